#!/usr/bin/env python3
"""Text fingerprint speed: hashmark's text-bench against datasketch MinHash on the same files.

datasketch: 5-word shingles (lower-cased whitespace split, joined by spaces, UTF-8), MinHash with
128 permutations filled by `update_batch`; the time includes tokenising. hashmark: the same
configuration (normalise + 5-word shingles + 128-permutation MinHash), plus its default pipeline.

Usage (from the repository root, after `swift build -c release --package-path Benchmarks
-Xswiftc -target-cpu -Xswiftc native`):
    python3 Benchmarks/Sources/text-bench/text_bench.py [--reps N] [DATA_ROOT]
Single thread on both sides.
"""
import glob, json, os, subprocess, sys, time

REFVENV_PY = "/tmp/refvenv/bin/python"
try:
    from datasketch import MinHash
except ImportError:
    if os.path.exists(REFVENV_PY) and os.path.abspath(sys.prefix) != os.path.dirname(os.path.dirname(REFVENV_PY)):
        os.execv(REFVENV_PY, [REFVENV_PY] + sys.argv)
    sys.exit("needs datasketch (pip install datasketch)")

args = sys.argv[1:]
reps = 3
if args[:1] == ["--reps"]:
    reps, args = int(args[1]), args[2:]
root = args[0] if args else os.path.join(os.path.dirname(__file__), "../../../../shared/data")
files = sorted(glob.glob(os.path.join(root, "sample/texts/*.txt")) + glob.glob(os.path.join(root, "dev/texts/*.txt")))
texts = [open(f, "rb").read() for f in files]
mb = sum(len(t) for t in texts) / 1e6

def datasketch_all():
    for t in texts:
        words = t.decode("utf-8", "replace").lower().split()
        m = MinHash(num_perm=128)
        m.update_batch([" ".join(words[i:i + 5]).encode() for i in range(len(words) - 4)])

best = min((lambda s: (datasketch_all(), time.perf_counter() - s)[1])(time.perf_counter()) for _ in range(reps))
binary = os.environ.get("TEXT_BENCH_BIN") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../.build/release/text-bench")
res = json.loads(subprocess.run([binary, "--reps", str(reps)] + files, check=True, capture_output=True, text=True).stdout)
res["datasketch_mb_s"] = mb / best
res["ratio_minhash_vs_datasketch"] = res["minhash_k5_p128_mb_s"] / res["datasketch_mb_s"]
print(json.dumps(res, indent=2, sort_keys=True))
