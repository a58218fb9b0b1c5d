#!/usr/bin/env python3
"""Writes progressive JPEGs with many valid scans, by hand (no imaging library needed).

An 8x8 flat grey (128) image: every DCT coefficient is zero, so each scan's entropy data is one
Huffman code ("0": DC difference 0, or end-of-band) or one refinement bit 0, padded to 0x7F.
Successive approximation splits every coefficient band into many scans:
DC first (Al = top), DC refinements top..1, then for each AC coefficient k = 1..63 one first scan
and `top` refinements, so 64 * (top + 1) scans, each a correct progression (no decoder warning).

    python3 Tests/Fixtures/media/make_many_scans.py Tests/Fixtures/media
writes progressive-448-scans.jpg (top = 6) and progressive-896-scans.jpg (top = 13, the most
libjpeg accepts for 8-bit data).
"""
import struct
import sys


def segment(marker, body):
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def sos(ss, se, ah, al):
    return segment(0xDA, bytes([1, 1, 0x00, ss, se, ah << 4 | al])) + b"\x7F"


def jpeg(top):
    out = b"\xFF\xD8"
    out += segment(0xDB, b"\x00" + b"\x01" * 64)                      # DQT 0: all ones
    out += segment(0xC2, bytes([8, 0, 8, 0, 8, 1, 1, 0x11, 0]))         # SOF2: 8x8, one component
    table = bytes([1] + [0] * 15) + b"\x00"                             # one code "0" for symbol 0
    out += segment(0xC4, b"\x00" + table + b"\x10" + table)             # DHT: DC 0 and AC 0
    out += sos(0, 0, 0, top)
    for al in range(top, 0, -1):
        out += sos(0, 0, al, al - 1)
    for k in range(1, 64):
        out += sos(k, k, 0, top)
        for al in range(top, 0, -1):
            out += sos(k, k, al, al - 1)
    return out + b"\xFF\xD9"


if __name__ == "__main__":
    directory = sys.argv[1] if len(sys.argv) > 1 else "."
    for top in (6, 13):
        data = jpeg(top)
        name = f"{directory}/progressive-{64 * (top + 1)}-scans.jpg"
        with open(name, "wb") as f:
            f.write(data)
        print(name, len(data), "bytes,", data.count(b"\xFF\xDA"), "scans")
