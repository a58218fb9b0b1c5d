#!/usr/bin/env python3
"""PDQ speed: hashmark (exact and fast) against Meta's reference (pdqhash), same inputs, same run.

Inputs: small real photos (~0.1-0.3 MP) from the data set as they are, and "large" ~3 MP images made
by upscaling 1 MP wallpapers 2x with Pillow (LANCZOS; the data set has nothing above 1 MP), saved
as JPEG (q=90) and PNG in a temporary directory. Every file is decoded once with Pillow to RGB and
written as PPM: hashmark's `pdq-bench` hashes exactly those buffers (decoding is not timed on the
Swift side yet: the decoder lives in HashmarkMedia, see README.md TODO), while pdqhash is timed
both on the decoded buffer (hash only: the like-for-like ratio) and as Pillow decode + compute.

Usage (from the repository root):  python3 Benchmarks/pdq_bench.py [--reps N] [DATA_ROOT]
Single core: both sides run one thread; run on an otherwise idle machine.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

REFVENV_PY = "/tmp/refvenv/bin/python"
try:
    import numpy as np
    import pdqhash
    from PIL import Image
except ImportError:
    if os.path.exists(REFVENV_PY) and os.path.abspath(sys.prefix) != os.path.dirname(os.path.dirname(REFVENV_PY)):
        os.execv(REFVENV_PY, [REFVENV_PY] + sys.argv)
    sys.exit("needs pdqhash, pillow and numpy (pip install pdqhash pillow numpy)")

HERE = os.path.dirname(os.path.abspath(__file__))
SMALL = [
    "sample/images/scikit-image__chelsea.jpg",
    "sample/images/scikit-image__coffee.jpg",
    "sample/images/scikit-learn__china.jpg",
    "sample/images/openclipart-png__lock.png",
    "dev/images/stellarium-data__hurricane3.png",
]
LARGE_SOURCES = [
    "sample/images/lomiri-wallpapers-16.04__Dragonfly_by_Bolly.jpg",
    "sample/images/scipy__face_raccoon.jpg",
]


def median_ms(fn, reps):
    fn()
    samples = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1e3)
    return statistics.median(samples)


def hex_of(vector):
    bits = [int(b) & 1 for b in vector]
    return "".join("%x" % (bits[i] << 3 | bits[i + 1] << 2 | bits[i + 2] << 1 | bits[i + 3])
                   for i in range(0, 256, 4))


def main():
    args = sys.argv[1:]
    reps = 15
    if "--reps" in args:
        i = args.index("--reps")
        reps = int(args[i + 1])
        del args[i:i + 2]
    root = args[0] if args else "/work/shared/data"
    tmp = tempfile.mkdtemp(prefix="pdq-bench-")
    files = [os.path.join(root, p) for p in SMALL]
    for p in LARGE_SOURCES:
        big = Image.open(os.path.join(root, p)).convert("RGB")
        big = big.resize((big.width * 2, big.height * 2), Image.Resampling.LANCZOS)
        stem = os.path.join(tmp, "large-" + os.path.splitext(os.path.basename(p))[0])
        big.save(stem + ".jpg", quality=90)
        big.save(stem + ".png")
        files += [stem + ".jpg", stem + ".png"]

    ppms, rows = [], []
    for k, f in enumerate(files):
        arr = np.ascontiguousarray(np.asarray(Image.open(f).convert("RGB"), dtype=np.uint8))
        ppm = os.path.join(tmp, "%02d.ppm" % k)
        with open(ppm, "wb") as out:
            out.write(b"P6\n%d %d\n255\n" % (arr.shape[1], arr.shape[0]))
            out.write(arr.tobytes())
        ppms.append(ppm)
        vec, quality = pdqhash.compute(arr)
        rows.append({
            "name": os.path.basename(f), "mp": arr.shape[0] * arr.shape[1] / 1e6,
            "refHex": hex_of(vec), "refQuality": int(quality),
            "refHashMs": median_ms(lambda: pdqhash.compute(arr), reps),
            "refEndToEndMs": median_ms(
                lambda: pdqhash.compute(np.asarray(Image.open(f).convert("RGB"), dtype=np.uint8)), reps),
        })

    subprocess.check_call(["swift", "build", "-c", "release", "-Xswiftc", "-target-cpu", "-Xswiftc",
                           "native", "--package-path", HERE, "--product", "pdq-bench"],
                          stdout=subprocess.DEVNULL)
    binpath = subprocess.check_output(["swift", "build", "-c", "release", "-Xswiftc", "-target-cpu",
                                       "-Xswiftc", "native", "--package-path", HERE, "--show-bin-path"],
                                      text=True).strip()
    out = subprocess.check_output([os.path.join(binpath, "pdq-bench"), "--reps", str(reps)] + ppms, text=True)
    swift = [json.loads(line) for line in out.splitlines() if line.strip()]

    print("median ms per image, %d reps, one thread; ratio = pdqhash / hashmark" % reps)
    header = ("file", "MP", "pdqhash hash", "pdqhash Pillow+hash", "hm exact", "hm fast",
              "x exact", "x fast", "exact==ref", "fast d")
    print("%-44s %5s %12s %19s %9s %8s %8s %7s %10s %6s" % header)
    ratios_exact, ratios_fast = [], []
    for r, s in zip(rows, swift):
        same = s["exact"] == r["refHex"] and s["quality"] == r["refQuality"]
        rx, rf = r["refHashMs"] / s["exactMs"], r["refHashMs"] / s["fastMs"]
        ratios_exact.append(rx)
        ratios_fast.append(rf)
        print("%-44s %5.2f %12.2f %19.2f %9.2f %8.2f %7.1fx %6.1fx %10s %6d" % (
            r["name"][:44], r["mp"], r["refHashMs"], r["refEndToEndMs"], s["exactMs"], s["fastMs"],
            rx, rf, "yes" if same else "NO", s["fastDistance"]))
    print("\nexact-path stages (ms): luma, Jarosz filter SIMD, Jarosz filter scalar twin")
    for r, s in zip(rows, swift):
        print("%-44s %8.2f %8.2f %8.2f" % (r["name"][:44], s["lumaMs"], s["filterMs"], s["filterScalarMs"]))
    print("median hash-only speed-up: exact %.1fx, fast %.1fx" % (
        statistics.median(ratios_exact), statistics.median(ratios_fast)))


if __name__ == "__main__":
    main()
