#!/usr/bin/env python3
"""PDQ radius search: hashmark's MIH vs its linear scan vs a numpy bitwise_count scan, same run.

`mih-bench` (Swift) generates the hashes and queries, times MIH and the Swift scan, and dumps both
as raw little-endian uint64 words; this script then times numpy over exactly those hashes and
queries and checks that every numpy result count equals MIH's.

Usage (from the repository root, after building the benchmark package in release mode):
    (cd Benchmarks && swift build -c release -Xswiftc -target-cpu -Xswiftc native)
    python3 Benchmarks/mih_bench.py [--n 1000000] [--kind random|clustered] [--sqlite] [--dihedral]
Single-threaded on both sides; run on an otherwise idle machine. Wall and thread-CPU times are
both reported (`*_cpu_ms_*`): on a shared machine the CPU times are the steadier comparison.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

REFVENV_PY = "/tmp/refvenv/bin/python"
try:
    import numpy as np
except ImportError:
    if os.path.exists(REFVENV_PY) and os.path.abspath(sys.prefix) != os.path.dirname(os.path.dirname(REFVENV_PY)):
        os.execv(REFVENV_PY, [REFVENV_PY] + sys.argv)
    sys.exit("needs numpy >= 2.0 (pip install numpy)")

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--kind", default="random", choices=["random", "clustered"])
    ap.add_argument("--radius", type=int, default=31)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--scan-queries", type=int, default=20)
    ap.add_argument("--numpy-queries", type=int, default=20)
    ap.add_argument("--sqlite", action="store_true")
    ap.add_argument("--dihedral", action="store_true")
    ap.add_argument("--bin", default=os.path.join(HERE, ".build", "release", "mih-bench"))
    a = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        cmd = [a.bin, "--n", str(a.n), "--kind", a.kind, "--radius", str(a.radius),
               "--queries", str(a.queries), "--scan-queries", str(a.scan_queries), "--dump", tmp]
        cmd += ["--sqlite"] if a.sqlite else []
        cmd += ["--dihedral"] if a.dihedral else []
        swift = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        hashes = np.fromfile(os.path.join(tmp, "hashes.u64"), dtype="<u8").reshape(-1, 4)
        queries = np.fromfile(os.path.join(tmp, "queries.u64"), dtype="<u8").reshape(-1, 4)

    k = min(a.numpy_queries, len(queries))
    agree = True
    c = time.thread_time()
    t = time.perf_counter()
    for i in range(k):
        d = np.bitwise_count(np.bitwise_xor(hashes, queries[i])).sum(axis=1, dtype=np.int32)
        if int(np.count_nonzero(d <= a.radius)) != swift["query_result_counts"][i]:
            agree = False
    numpy_ms = (time.perf_counter() - t) * 1000 / k
    numpy_cpu_ms = (time.thread_time() - c) * 1000 / k

    swift.pop("query_result_counts")
    swift["numpy_ms_per_query"] = numpy_ms
    swift["numpy_cpu_ms_per_query"] = numpy_cpu_ms
    swift["numpy_agrees_with_mih"] = agree
    swift["ratio_scan_over_mih"] = swift["scan_ms_per_query"] / swift["mih_ms_per_query"]
    swift["ratio_numpy_over_mih"] = numpy_ms / swift["mih_ms_per_query"]
    swift["cpu_ratio_scan_over_mih"] = swift["scan_cpu_ms_per_query"] / swift["mih_cpu_ms_per_query"]
    swift["cpu_ratio_numpy_over_mih"] = numpy_cpu_ms / swift["mih_cpu_ms_per_query"]
    print(json.dumps(swift, indent=1, sort_keys=True))
    if not (agree and swift["scan_agrees_with_mih"]):
        sys.exit("result counts disagree")


if __name__ == "__main__":
    main()
