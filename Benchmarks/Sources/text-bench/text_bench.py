#!/usr/bin/env python3
"""Text fingerprint speed: hashmark's text-bench against datasketch MinHash on the same files.

datasketch: 5-word shingles (lower-cased whitespace split, joined by spaces, UTF-8), MinHash with
128 permutations filled by `update_batch`; the time includes decoding and tokenising. hashmark:
the same configuration (normalise + 5-word shingles + 128-permutation MinHash), plus its default
pipeline. Both sides: each file's best thread-CPU time over --reps runs, summed over files
(CPU time leaves out the time other processes hold the core: the machine is shared), single
thread, optionally pinned to one CPU with --cpu.

Usage (from the repository root, after `swift build -c release --package-path Benchmarks
-Xswiftc -target-cpu -Xswiftc native --product text-bench`):
    python3 Benchmarks/Sources/text-bench/text_bench.py [--reps N] [--books N] [--cpu C] [DATA_ROOT]
DATA_ROOT defaults to /work/shared/data (its sample/texts and dev/texts). --books 0 skips the
synthetic-book index; other text-bench options (--chapters-per-book, --keep-frequent) pass through.
Runs itself under /tmp/refvenv/bin/python when datasketch is not importable.
"""
import glob, json, os, subprocess, sys, time

REFVENV_PY = "/tmp/refvenv/bin/python"
try:
    from datasketch import MinHash
except ImportError:
    if os.path.exists(REFVENV_PY) and os.path.abspath(sys.prefix) != os.path.dirname(os.path.dirname(REFVENV_PY)):
        os.execv(REFVENV_PY, [REFVENV_PY] + sys.argv)
    sys.exit("needs datasketch: python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install datasketch numpy")

args = sys.argv[1:]
reps, cpu, passthrough = 3, None, []
while args and args[0].startswith("--"):
    flag, value, args = args[0], args[1], args[2:]
    if flag == "--reps":
        reps = int(value)
    elif flag == "--cpu":
        cpu = int(value)
    else:
        passthrough += [flag, value]
if cpu is not None:
    os.sched_setaffinity(0, {cpu})  # inherited by the Swift process
root = args[0] if args else "/work/shared/data"
files = sorted(glob.glob(os.path.join(root, "sample/texts/*.txt")) + glob.glob(os.path.join(root, "dev/texts/*.txt")))
if not files:
    sys.exit(f"no texts under {root}/{{sample,dev}}/texts")
texts = [open(f, "rb").read() for f in files]
mb = sum(len(t) for t in texts) / 1e6

def datasketch_one(t):
    words = t.decode("utf-8", "replace").lower().split()
    m = MinHash(num_perm=128)
    m.update_batch([" ".join(words[i:i + 5]).encode() for i in range(len(words) - 4)])
    return m

def best_time(t):
    times = []
    for _ in range(reps):
        s = time.thread_time()
        datasketch_one(t)
        times.append(time.thread_time() - s)
    return min(times)

datasketch_s = sum(best_time(t) for t in texts)
binary = os.environ.get("TEXT_BENCH_BIN") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../.build/release/text-bench")
res = json.loads(subprocess.run([binary, "--reps", str(reps)] + passthrough + files,
                                check=True, capture_output=True, text=True).stdout)
res["datasketch_mb_s"] = mb / datasketch_s
res["ratio_minhash_vs_datasketch"] = res["minhash_k5_p128_mb_s"] / res["datasketch_mb_s"]
res["pinned_cpu"] = cpu
print(json.dumps(res, indent=2, sort_keys=True))
