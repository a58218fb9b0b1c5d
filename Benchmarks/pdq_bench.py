#!/usr/bin/env python3
"""PDQ speed and fast-path accuracy: hashmark against Meta's reference (pdqhash), same files, same run.

Default mode, end to end (read file, decode, hash), one core: hashmark's default path and `--exact`
(`Fingerprinter.analyse`, as `hashmark hash` runs it, timed in-process by `pdq-bench --decode`)
against Pillow decode + `pdqhash.compute` (timed in-process here), median ms per file and ratio.
Inputs: small real photos and PNGs (~0.15-0.3 MP) from the data set as they are, and "large" ~4 MP
images made by upscaling real ~1 MP photos 2x with Pillow (LANCZOS; the data set has nothing above
~1 MP), saved as JPEG q=90 and PNG into a temporary directory.

  --hash-only   hash only on the Pillow-decoded buffers (PPM): PDQ.hash / fastHash vs pdqhash.compute
  --survey      every JPEG of sample/ and dev/ plus its 2x upscale (JPEG q=90): distance of each
                fast-path candidate (DCT-scaled decode to a minimum side, then PDQ.fastHash) to the
                exact hash (full decode + PDQ.hash), summarised for quality >= 80

Usage (from the repository root):  python3 Benchmarks/pdq_bench.py [--reps N] [--hash-only|--survey] [DATA_ROOT]
Both sides run on one thread, pinned to the same CPU; run on an otherwise idle machine.
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
    "sample/images/scikit-image__retina.jpg",
    "sample/images/lomiri-wallpapers-20.04__Infinite-Sea_by_Aury88.jpg",
    "sample/images/scikit-image__hubble_deep_field.jpg",
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


def distance(a, b):
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def upscale2x(path, stem, png=True):
    big = Image.open(path).convert("RGB")
    big = big.resize((big.width * 2, big.height * 2), Image.Resampling.LANCZOS)
    big.save(stem + ".jpg", quality=90)
    out = [stem + ".jpg"]
    if png:
        big.save(stem + ".png")
        out.append(stem + ".png")
    return out


def build_bench():
    """Release build of pdq-bench (before pinning to one CPU); returns the executable's path."""
    build = ["swift", "build", "-c", "release", "-Xswiftc", "-target-cpu", "-Xswiftc", "native",
             "--package-path", HERE]
    subprocess.check_call(build + ["--product", "pdq-bench"], stdout=subprocess.DEVNULL)
    return os.path.join(subprocess.check_output(build + ["--show-bin-path"], text=True).strip(), "pdq-bench")


BENCH = None


def swift_bench(mode_args, files, reps=None):
    cmd = [BENCH] + mode_args + (["--reps", str(reps)] if reps else []) + files
    out = subprocess.check_output(cmd, text=True)
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def bench_files(root, tmp):
    files = [os.path.join(root, p) for p in SMALL]
    for p in LARGE_SOURCES:
        stem = os.path.join(tmp, "large-" + os.path.splitext(os.path.basename(p))[0])
        files += upscale2x(os.path.join(root, p), stem)
    return files


def pillow_pdqhash(f):
    return pdqhash.compute(np.asarray(Image.open(f).convert("RGB"), dtype=np.uint8))


def end_to_end(root, tmp, reps):
    files = bench_files(root, tmp)
    rows = []
    for f in files:
        vec, quality = pillow_pdqhash(f)
        rows.append({"name": os.path.basename(f), "refHex": hex_of(vec), "refQuality": int(quality),
                     "refMs": median_ms(lambda: pillow_pdqhash(f), reps)})
    swift = swift_bench(["--decode"], files, reps)

    print("end to end (read + decode + hash), median ms per file, %d reps, one thread pinned to one CPU" % reps)
    print("ratio = (Pillow + pdqhash) / hashmark; d = Hamming distance to hashmark's exact hash")
    header = ("file", "px", "MP", "Pillow+pdqhash", "hm default", "hm --exact", "x default", "x exact",
              "exact=ref", "default d", "q")
    print("%-40s %11s %5s %14s %10s %10s %9s %8s %9s %9s %4s" % header)
    rd, rx = [], []
    for r, s in zip(rows, swift):
        rd.append(r["refMs"] / s["defaultMs"])
        rx.append(r["refMs"] / s["exactMs"])
        same = s["exactPlainHash"] == r["refHex"] and s["quality"] == r["refQuality"]
        print("%-40s %11s %5.2f %14.2f %10.2f %10.2f %8.1fx %7.1fx %9s %9d %4d" % (
            r["name"][:40], "%dx%d" % (s["width"], s["height"]), s["width"] * s["height"] / 1e6, r["refMs"],
            s["defaultMs"], s["exactMs"], rd[-1], rx[-1],
            "yes" if same else "d=%d" % distance(s["exactPlainHash"], r["refHex"]), s["defaultDistance"],
            s["quality"]))
    print("median ratio: default %.1fx, exact %.1fx; minimum ratio: default %.1fx, exact %.1fx" % (
        statistics.median(rd), statistics.median(rx), min(rd), min(rx)))

    print("\nfast-path candidates: DCT-scaled decode to minimum shorter side, then PDQ.fastHash (ms / distance)")
    sides = [c["minimumSide"] for c in swift[0]["candidates"]]
    print("%-40s %10s" % ("file", "full decode") + "".join("%14s" % s for s in sides))
    for r, s in zip(rows, swift):
        print("%-40s %10.2f" % (r["name"][:40], s["decodeFullMs"]) +
              "".join("%14s" % ("%.2f / %d" % (c["ms"], c["distance"])) for c in s["candidates"]))


def hash_only(root, tmp, reps):
    files = bench_files(root, tmp)
    ppms, rows = [], []
    for k, f in enumerate(files):
        arr = np.ascontiguousarray(np.asarray(Image.open(f).convert("RGB"), dtype=np.uint8))
        ppm = os.path.join(tmp, "%02d.ppm" % k)
        with open(ppm, "wb") as out:
            out.write(b"P6\n%d %d\n255\n" % (arr.shape[1], arr.shape[0]))
            out.write(arr.tobytes())
        ppms.append(ppm)
        vec, quality = pdqhash.compute(arr)
        rows.append({"name": os.path.basename(f), "mp": arr.shape[0] * arr.shape[1] / 1e6,
                     "refHex": hex_of(vec), "refQuality": int(quality),
                     "refHashMs": median_ms(lambda: pdqhash.compute(arr), reps)})
    swift = swift_bench([], ppms, reps)
    print("hash only (decoded buffers), median ms per image, %d reps; ratio = pdqhash / hashmark" % reps)
    header = ("file", "MP", "pdqhash", "hm exact", "hm fast", "x exact", "x fast", "exact==ref", "fast d",
              "luma", "filter", "scalar")
    print("%-40s %5s %8s %9s %8s %8s %7s %10s %6s %6s %7s %7s" % header)
    for r, s in zip(rows, swift):
        same = s["exact"] == r["refHex"] and s["quality"] == r["refQuality"]
        print("%-40s %5.2f %8.2f %9.2f %8.2f %7.1fx %6.1fx %10s %6d %6.2f %7.2f %7.2f" % (
            r["name"][:40], r["mp"], r["refHashMs"], s["exactMs"], s["fastMs"], r["refHashMs"] / s["exactMs"],
            r["refHashMs"] / s["fastMs"], "yes" if same else "NO", s["fastDistance"], s["lumaMs"],
            s["filterMs"], s["filterScalarMs"]))


def survey(root, tmp):
    files = []
    for part in ("sample", "dev"):
        folder = os.path.join(root, part, "images")
        for name in sorted(os.listdir(folder)):
            if name.lower().endswith((".jpg", ".jpeg")):
                files.append(os.path.join(folder, name))
    originals = list(files)
    for k, f in enumerate(originals):
        files += upscale2x(f, os.path.join(tmp, "%03d-2x-%s" % (k, os.path.splitext(os.path.basename(f))[0])),
                           png=False)
    results = swift_bench(["--survey"], files)
    print("fast-path survey: %d JPEGs (%d originals + their 2x upscales, JPEG q=90)" % (len(files), len(originals)))
    print("distance to the exact hash (full decode + PDQ.hash); candidates: minimum shorter side of the "
          "DCT-scaled decode, then PDQ.fastHash")
    sides = list(results[0]["distances"].keys())
    sides.sort(key=lambda s: (s.endswith("geo"), -1 if s == "none" else -int(s.split()[0])))
    for subset, label in ((lambda r: r["quality"] >= 80, "quality >= 80"), (lambda r: True, "all qualities")):
        chosen = [r for r in results if subset(r)]
        print("\n%s: %d files (%d at >= 1000 px shorter side)" % (
            label, len(chosen), sum(1 for r in chosen if min(r["width"], r["height"]) >= 1000)))
        print("%-10s %6s %6s %6s %8s" % ("minSide", "max", "p99", "mean", "n > 10"))
        for side in sides + ["default"]:
            ds = sorted(r["defaultDistance"] if side == "default" else r["distances"][side] for r in chosen)
            if not ds:
                continue
            print("%-10s %6d %6d %6.2f %8d" % (side, ds[-1], ds[min(len(ds) - 1, int(len(ds) * 0.99))],
                                              statistics.mean(ds), sum(1 for d in ds if d > 10)))
        worst = sorted(chosen, key=lambda r: -r["defaultDistance"])[:5]
        print("worst for the default path: " + ", ".join(
            "%s (%dx%d q%d d=%d)" % (os.path.basename(r["file"]), r["width"], r["height"], r["quality"],
                                     r["defaultDistance"]) for r in worst))


def main():
    args = sys.argv[1:]
    reps = 15
    if "--reps" in args:
        i = args.index("--reps")
        reps = int(args[i + 1])
        del args[i:i + 2]
    mode = "e2e"
    for flag in ("--hash-only", "--survey"):
        if flag in args:
            args.remove(flag)
            mode = flag
    root = args[0] if args else "/work/shared/data"
    global BENCH
    BENCH = build_bench()
    # One core for both sides (children inherit the affinity).
    cpu = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    with tempfile.TemporaryDirectory(prefix="pdq-bench-") as tmp:
        if mode == "--survey":
            survey(root, tmp)
        elif mode == "--hash-only":
            hash_only(root, tmp, reps)
        else:
            end_to_end(root, tmp, reps)


if __name__ == "__main__":
    main()
