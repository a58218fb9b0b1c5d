#!/usr/bin/env python3
"""Regenerates the HashmarkMedia fixtures and expected.json from two real images.

Sources (licences in README.md): scikit-image "chelsea" (CC0-1.0) and openclipart "lock"
(public domain), both from /work/shared/data/sample. Run with a Python that has Pillow:
    /tmp/refvenv/bin/python Tests/Fixtures/media/make_fixtures.py /work/shared/data/sample/images
Expectations are what Pillow decodes from each written file, so the Swift decoder is checked
against an independent implementation, not against itself.
"""
import io, json, os, random, struct, sys, zipfile, zlib
from PIL import Image, ImageOps

SRC = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/sample/images"
OUT = os.path.dirname(os.path.abspath(__file__))
expected = {}


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def over_white(im):
    """RGBA over white with the decoder's documented rounding: (c*a + 255*(255-a) + 127) // 255."""
    rgba = im.convert("RGBA")
    px = bytearray()
    raw = rgba.tobytes()
    for i in range(0, len(raw), 4):
        r, g, b, a = raw[i:i + 4]
        px += bytes((c * a + 255 * (255 - a) + 127) // 255 for c in (r, g, b))
    return Image.frombytes("RGB", rgba.size, bytes(px))


def expect(name, im, fmt, tolerance, exact=False, **extra):
    rgb = im if im.mode == "RGB" else im.convert("RGB")
    w, h = rgb.size
    pts = [(x * (w - 1) // 4, y * (h - 1) // 4) for y in range(5) for x in range(5)]
    expected[name] = dict(format=fmt, width=w, height=h, tolerance=tolerance,
                          fnv1a64=fnv1a64(rgb.tobytes()) if exact else None,
                          samples=[[x, y, *rgb.getpixel((x, y))] for x, y in pts], **extra)


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width, height, color_type, depth, rows, interlace=False, palette=None):
    """A minimal PNG writer (Pillow cannot write 16-bit RGB or Adam7), rows = list of bytes."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
    bpp = channels * depth // 8

    def pack(sub_rows):
        return b"".join(b"\x00" + r for r in sub_rows)

    if interlace:
        raw = b""
        for x0, y0, dx, dy in [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]:
            sub = [b"".join(rows[y][x * bpp:(x + 1) * bpp] for x in range(x0, width, dx)) for y in range(y0, height, dy)]
            if sub and sub[0]:
                raw += pack(sub)
    else:
        raw = pack(rows)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, int(interlace)))
    if palette:
        out += chunk(b"PLTE", palette)
    return out + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


chelsea_path = os.path.join(SRC, "scikit-image__chelsea.jpg")
chelsea_bytes = open(chelsea_path, "rb").read()
chelsea = Image.open(chelsea_path).convert("RGB")
small = chelsea.resize((64, 43), Image.LANCZOS)
lock = Image.open(os.path.join(SRC, "openclipart-png__lock.png")).convert("RGBA").resize((48, 48), Image.LANCZOS)

# --- Good JPEG: the real file, full size and DCT-scaled (Pillow's draft mode = libjpeg scaling).
write("chelsea.jpg", chelsea_bytes)
expect("chelsea.jpg", chelsea, "jpeg", 3)
for d in (2, 4, 8):
    im = Image.open(io.BytesIO(chelsea_bytes))
    im.draft("RGB", (451 // d, 300 // d))  # Pillow picks the largest scale keeping these
    expect("_", im.convert("RGB"), "jpeg", 3)
    expected["chelsea.jpg"].setdefault("scaled", {})[str(d)] = expected.pop("_")

# --- Other JPEG flavours: progressive, greyscale, Adobe CMYK (stored inverted, as Photoshop does).
b = io.BytesIO(); small.save(b, "JPEG", quality=90, progressive=True); write("progressive.jpg", b.getvalue())
expect("progressive.jpg", Image.open(io.BytesIO(b.getvalue())), "jpeg", 3)
b = io.BytesIO(); small.convert("L").save(b, "JPEG", quality=90); write("grey.jpg", b.getvalue())
expect("grey.jpg", Image.open(io.BytesIO(b.getvalue())), "jpeg", 3)
b = io.BytesIO(); small.convert("CMYK").save(b, "JPEG", quality=95); write("cmyk.jpg", b.getvalue())
cmyk = Image.open(io.BytesIO(b.getvalue()))  # Pillow un-inverts Adobe CMYK on read
cmyk_rgb = bytearray()
raw = cmyk.tobytes()
for i in range(0, len(raw), 4):
    c, m, y, k = raw[i:i + 4]  # the decoder's documented conversion: R = (255-C)(255-K)/255, rounded
    cmyk_rgb += bytes(((255 - v) * (255 - k) + 127) // 255 for v in (c, m, y))
expect("cmyk.jpg", Image.frombytes("RGB", cmyk.size, bytes(cmyk_rgb)), "jpeg", 1)

# --- EXIF orientation 1..8: 24x16 image of six solid 8x8 blocks, q100 4:4:4 so blocks stay flat.
colors = [(230, 30, 30), (30, 200, 40), (40, 60, 220), (240, 240, 40), (200, 40, 220), (20, 20, 20)]
blocks = Image.new("RGB", (24, 16))
for i, c in enumerate(colors):
    blocks.paste(c, ((i % 3) * 8, (i // 3) * 8, (i % 3) * 8 + 8, (i // 3) * 8 + 8))
for n in range(1, 9):
    exif = Image.Exif()
    exif[0x0112] = n
    buf = io.BytesIO()
    blocks.save(buf, "JPEG", quality=100, subsampling=0, exif=exif.tobytes())
    write(f"exif-orientation-{n}.jpg", buf.getvalue())
    upright = ImageOps.exif_transpose(Image.open(io.BytesIO(buf.getvalue())))
    expect(f"exif-orientation-{n}.jpg", upright, "jpeg", 4, exifOrientation=n)
# Big-endian ("MM") Exif written by hand, orientation 6, inserted right after SOI.
plain = io.BytesIO()
blocks.save(plain, "JPEG", quality=100, subsampling=0)
tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, 6, 0) + struct.pack(">I", 0)
app1 = b"\xff\xe1" + struct.pack(">H", 2 + 6 + len(tiff)) + b"Exif\x00\x00" + tiff
mm = plain.getvalue()[:2] + app1 + plain.getvalue()[2:]
write("exif-orientation-6-motorola.jpg", mm)
expect("exif-orientation-6-motorola.jpg", ImageOps.exif_transpose(Image.open(io.BytesIO(mm))), "jpeg", 4, exifOrientation=6)

# --- PNG variants.
rgb_rows = [small.tobytes()[y * 64 * 3:(y + 1) * 64 * 3] for y in range(43)]
write("rgb8.png", png(64, 43, 2, 8, rgb_rows))
write("rgb8-interlaced.png", png(64, 43, 2, 8, rgb_rows, interlace=True))
rows16 = [b"".join(struct.pack(">H", v * 257 + (x * 37 + y * 11) % 200) for x, v in enumerate(r)) for y, r in enumerate(rgb_rows)]
write("rgb16.png", png(64, 43, 2, 16, rows16))
pal = small.quantize(colors=32)
write("palette.png", png(64, 43, 3, 8, [pal.tobytes()[y * 64:(y + 1) * 64] for y in range(43)],
                         palette=bytes(pal.getpalette()[:96])))
la = lock.convert("LA")
write("grey-alpha.png", png(48, 48, 4, 8, [la.tobytes()[y * 96:(y + 1) * 96] for y in range(48)]))
rgba_buf = io.BytesIO()
lock.save(rgba_buf, "PNG")
write("rgba.png", rgba_buf.getvalue())
for name in ("rgb8.png", "rgb8-interlaced.png", "palette.png"):
    expect(name, Image.open(os.path.join(OUT, name)), "png", 0, exact=True)
for name in ("grey-alpha.png", "rgba.png"):
    expect(name, over_white(Image.open(os.path.join(OUT, name))), "png", 0, exact=True)
# Pillow reduces 16-bit samples by taking the high byte; libpng rounds: allow 1.
expect("rgb16.png", Image.open(os.path.join(OUT, "rgb16.png")), "png", 1)

# --- WebP lossy and lossless, GIF (two frames: the second must be ignored).
for name, kw in (("lossy.webp", dict(quality=80)), ("lossless.webp", dict(lossless=True))):
    b = io.BytesIO(); small.save(b, "WEBP", **kw); write(name, b.getvalue())
    expect(name, Image.open(os.path.join(OUT, name)), "webp", 3 if "lossy" in name else 0, exact="lossless" in name)
b = io.BytesIO(); lock.save(b, "WEBP", lossless=True); write("alpha.webp", b.getvalue())
expect("alpha.webp", over_white(Image.open(os.path.join(OUT, "alpha.webp"))), "webp", 0, exact=True)
frames = [small.quantize(colors=64), small.transpose(Image.FLIP_LEFT_RIGHT).quantize(colors=64)]
b = io.BytesIO(); frames[0].save(b, "GIF", save_all=True, append_images=frames[1:], duration=100); write("two-frames.gif", b.getvalue())
expect("two-frames.gif", Image.open(os.path.join(OUT, "two-frames.gif")).convert("RGB"), "gif", 0, exact=True)
b = io.BytesIO(); frames[0].save(b, "GIF", interlace=True); write("interlaced.gif", b.getvalue())
expect("interlaced.gif", Image.open(os.path.join(OUT, "interlaced.gif")).convert("RGB"), "gif", 0, exact=True)

# --- Malformed files: (name, bytes, expected error code).
rgb8 = open(os.path.join(OUT, "rgb8.png"), "rb").read()
gif = open(os.path.join(OUT, "two-frames.gif"), "rb").read()
webp = open(os.path.join(OUT, "lossy.webp"), "rb").read()
sof = chelsea_bytes.index(b"\xff\xc0")
huge_jpeg = chelsea_bytes[:sof + 5] + struct.pack(">HH", 65000, 65000) + chelsea_bytes[sof + 9:]
idat = rgb8.index(b"IDAT")
corrupt_png = bytearray(rgb8); corrupt_png[idat + 200:idat + 216] = bytes(16)
scan = chelsea_bytes.index(b"\xff\xda")
rng = random.Random(7)
corrupt_jpeg = bytearray(chelsea_bytes)
dht = chelsea_bytes.index(b"\xff\xc4")
corrupt_jpeg[dht + 5:dht + 21] = b"\xff" * 16  # Huffman code counts now claim thousands of codes
corrupt_scan = bytearray(chelsea_bytes)
middle = (scan + len(chelsea_bytes)) // 2
corrupt_scan[middle:middle + 64] = bytes(rng.randrange(1, 255) for _ in range(64))  # no 0xFF: no marker
stray_marker = bytearray(chelsea_bytes)
stray_marker[middle:middle + 2] = b"\xff\xd5"  # a restart marker where no restart interval exists
huge_png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 60000, 60000, 8, 2, 0, 0, 0)) + rgb8[33:]
garbage = bytes(rng.randrange(256) for _ in range(2048))
malformed = [
    ("empty.jpg", b"", "empty-file"),
    ("truncated.jpg", chelsea_bytes[:len(chelsea_bytes) // 2], "truncated"),
    ("truncated-in-header.jpg", chelsea_bytes[:scan - 40], "truncated"),
    ("corrupt-huffman-table.jpg", bytes(corrupt_jpeg), "corrupt-image"),
    ("corrupt-stray-marker.jpg", bytes(stray_marker), "corrupt-image"),
    ("huge-65000x65000.jpg", huge_jpeg, "too-many-pixels"),
    ("truncated.png", rgb8[:len(rgb8) // 2], "truncated"),
    ("corrupt-idat.png", bytes(corrupt_png), "corrupt-image"),
    ("huge-60000x60000.png", huge_png, "too-many-pixels"),
    ("png-magic-jpeg-body.png", rgb8[:8] + chelsea_bytes, "corrupt-image"),
    ("text-renamed.jpg", b"This is a plain text file that someone renamed to .jpg.\n", "unsupported-media"),
    ("random-garbage.jpg", garbage, "unknown-format"),
    ("truncated.gif", gif[:len(gif) // 4], "truncated"),
    ("truncated.webp", webp[:len(webp) // 2], "truncated"),
]
for name, data, code in malformed:
    write(name, data)
    expected[name] = dict(error=code)
# Random bytes inside entropy-coded data are valid Huffman codes as often as not: libjpeg cannot
# notice them, so this file decodes (garbled from the corruption on). The tests pin that down.
write("corrupt-scan-undetectable.jpg", bytes(corrupt_scan))

# --- Sniffing samples (non-image), written for Hashmark: (name, bytes, media type).
FIXED_TIME = (2024, 1, 1, 0, 0, 0)  # fixed entry times keep regeneration byte-identical
docx = io.BytesIO()
with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr(zipfile.ZipInfo("[Content_Types].xml", FIXED_TIME), "<Types/>")
    z.writestr(zipfile.ZipInfo("word/document.xml", FIXED_TIME), "<w:document/>")
other_zip = io.BytesIO()
with zipfile.ZipFile(other_zip, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr(zipfile.ZipInfo("notes.txt", FIXED_TIME), "hello")
sniff = [
    ("plain.txt", "It is a truth universally acknowledged.\nCafé, naïve.\n".encode(), "text"),
    ("latin1.txt", "Caf\xe9 na\xefve \xe0 la cr\xe8me.\n".encode("latin-1"), "text"),
    ("utf16.txt", "\ufeffHello, UTF-16.\n".encode("utf-16-le"), "text"),
    ("page.html", b"\xef\xbb\xbf\n  <!DOCTYPE html>\n<html><body><p>Hi</p></body></html>\n", "html"),
    ("page-xhtml.html", b"<?xml version=\"1.0\"?>\n<!-- generated -->\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>", "html"),
    ("html-fragment.txt", b"<p>Not a document, just a fragment.</p>\n", "text"),
    ("notes.md", b"# Title\n\nSome *markdown* text.\n", "markdown"),
    ("doc.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n", "pdf"),
    ("doc.docx", docx.getvalue(), "docx"),
    ("archive.zip", other_zip.getvalue(), "zip"),
]
for name, data, kind in sniff:
    write(name, data)
    expected[name] = dict(mediaType=kind)

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
print(f"wrote {len(expected)} expectations to {OUT}")
