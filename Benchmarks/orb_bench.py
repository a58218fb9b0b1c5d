#!/usr/bin/env python3
"""Local features: hashmark's ORB-style matcher vs OpenCV ORB + RANSAC, same images, same run.

`orb-bench run` (Swift) registers the works, writes every work and every geometric query as PPM,
and reports extraction time, shortlist + verification result and time per query. This script then
runs OpenCV on exactly those PPMs: ORB_create(nfeatures=512), BFMatcher Hamming knn (k=2) with the
0.8 ratio test, estimateAffinePartial2D RANSAC (tolerance max(3 px, 1.5 % of the candidate's
diagonal), as hashmark), same inlier threshold (20). OpenCV's candidates: the 8 works with most
ratio-tested votes against all corpus descriptors stacked (hashmark: its shortlist, top 8).
`orb-bench scale` times shortlist + verification against synthetic 10k / 100k corpora.

Usage (from the repository root, after building the benchmark package in release mode):
    (cd Benchmarks && swift build -c release -Xswiftc -target-cpu -Xswiftc native)
    python3 Benchmarks/orb_bench.py [--works 20] [--negatives 10] [--sizes 10000,100000]
    python3 Benchmarks/orb_bench.py --extract-only 5   # extraction time only, both sides, 5 interleaved rounds
    python3 Benchmarks/orb_bench.py --pairs 100        # unrelated data/dev pairs: largest inlier count
    python3 Benchmarks/orb_bench.py ... --then-jpeg 80 # every geometric query re-encoded as JPEG q80
Needs opencv-python-headless and numpy (re-executes itself with /tmp/refvenv when present).
Single thread on both sides (cv2.setNumThreads(1)).
"""
import argparse
import glob
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

REFVENV_PY = "/tmp/refvenv/bin/python"
try:
    import cv2
    import numpy as np
except ImportError:
    if os.path.exists(REFVENV_PY) and os.path.abspath(sys.prefix) != os.path.dirname(os.path.dirname(REFVENV_PY)):
        os.execv(REFVENV_PY, [REFVENV_PY] + sys.argv)
    sys.exit("needs opencv-python-headless and numpy (pip install opencv-python-headless)")

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = "/work/shared/data"
MIN_INLIERS = 20


def select(args):
    """Seeded, disjoint sets: works (sample + dev), held-out negatives (dev), synthetic pool (dev)."""
    rnd = random.Random(args.seed)
    sample = sorted(glob.glob(f"{DATA}/sample/images/*"))
    dev = sorted(glob.glob(f"{DATA}/dev/images/*"))
    rnd.shuffle(sample)
    rnd.shuffle(dev)
    n_sample = min(len(sample), (args.works + 1) // 2)
    works = sample[:n_sample] + dev[:args.works - n_sample]
    rest = dev[args.works - n_sample:]
    return works, rest[:args.negatives], rest[args.negatives:args.negatives + args.pool]


def write_list(tmp, name, paths):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write("\n".join(paths) + "\n")
    return path


def ms_since(t):
    return (time.perf_counter() - t) * 1000


class OpenCV:
    def __init__(self):
        cv2.setNumThreads(1)
        self.orb = cv2.ORB_create(nfeatures=512)
        self.bf = cv2.BFMatcher(cv2.NORM_HAMMING)

    def extract(self, ppm):
        image = cv2.imread(ppm, cv2.IMREAD_COLOR)  # loading is not timed (hashmark: RGB in memory)
        t = time.perf_counter()
        grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        kps, des = self.orb.detectAndCompute(grey, None)
        elapsed = ms_since(t)
        pts = np.float32([k.pt for k in kps]).reshape(-1, 2)
        return {"pts": pts, "des": des, "w": image.shape[1], "h": image.shape[0]}, elapsed

    def ratio_pairs(self, qdes, cdes):
        if qdes is None or cdes is None or len(cdes) < 2:
            return []
        out = []
        for m in self.bf.knnMatch(qdes, cdes, k=2):
            if len(m) == 2 and m[0].distance < 0.8 * m[1].distance:
                out.append(m[0])
        return out

    def verify(self, q, c):
        pairs = self.ratio_pairs(q["des"], c["des"])
        if len(pairs) < 3:
            return 0
        src = np.float32([q["pts"][m.queryIdx] for m in pairs])
        dst = np.float32([c["pts"][m.trainIdx] for m in pairs])
        tol = max(3.0, 0.015 * float(np.hypot(c["w"], c["h"])))
        model, mask = cv2.estimateAffinePartial2D(src, dst, method=cv2.RANSAC, ransacReprojThreshold=tol,
                                                  maxIters=2000, confidence=0.999)
        return 0 if model is None else int(mask.sum())

    def build(self, works):
        self.works = works
        des = [w["des"] for w in works if w["des"] is not None]
        self.stack = np.vstack(des)
        self.owner = np.concatenate([np.full(len(w["des"]), i) for i, w in enumerate(works) if w["des"] is not None])

    def query(self, q, expected, max_candidates=8):
        votes = np.zeros(len(self.works), dtype=np.int64)
        for m in self.ratio_pairs(q["des"], self.stack):
            votes[self.owner[m.trainIdx]] += 1
        order = [int(i) for i in np.argsort(-votes, kind="stable")[:max_candidates] if votes[i] > 0]
        best_work, best, wrong = -1, 0, 0
        for w in order:
            n = self.verify(q, self.works[w])
            if n > best:
                best, best_work = n, w
            if w != expected:
                wrong = max(wrong, n)
        return best_work, best, wrong


def summarise(rows, name):
    """Detection per kind and overall for positives, false positives on negatives."""
    pos = [r for r in rows if r["expected"] >= 0]
    neg = [r for r in rows if r["expected"] < 0]
    hit = lambda r: r["best_work"] == r["expected"] and r["best_inliers"] >= MIN_INLIERS
    kinds = {}
    for r in pos:
        kinds.setdefault(r["kind"], []).append(hit(r))
    return {
        "matcher": name,
        "detected": sum(map(hit, pos)), "positives": len(pos),
        "misattributed": sum(1 for r in pos if r["wrong_max_inliers"] >= MIN_INLIERS),
        "false_positives": sum(1 for r in neg if r["best_inliers"] >= MIN_INLIERS), "negatives": len(neg),
        "max_negative_inliers": max((r["best_inliers"] for r in neg), default=0),
        "by_kind": {k: f"{sum(v)}/{len(v)}" for k, v in sorted(kinds.items())},
    }


def pct(a, b):
    return f"{100 * a / b:.1f} %" if b else "n/a"


def extract_only(a, paths):
    """Extraction time only, both sides on the same PPMs, interleaved image by image: REPEAT rounds;
    in each, every image is extracted by a warm `orb-bench serve` process and by OpenCV, the side
    that goes first alternating. The VM's speed drifts over seconds; interleaving keeps that drift
    out of the ratio, and both processes stay warm."""
    med = statistics.median
    with tempfile.TemporaryDirectory(prefix="orbbench-") as tmp:
        lst = write_list(tmp, "images", paths)
        server = subprocess.Popen([a.bin, "serve", "--works", lst, "--out", tmp], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True, bufsize=1)
        images = json.loads(server.stdout.readline())["images"]
        cv = OpenCV()
        hm_ms, hm_mirror_ms, hm_kps, cv_ms, cv_kps = {}, {}, {}, {}, {}

        def swift(i):
            server.stdin.write(f"{i}\n")
            server.stdin.flush()
            return json.loads(server.stdout.readline())

        for i, im in enumerate(images):  # warm-up, both sides
            swift(i)
            cv.extract(im["ppm"])
        for r in range(a.extract_only):
            for i, im in enumerate(images):
                p = im["file"]
                if (r + i) % 2:
                    f, ms = cv.extract(im["ppm"])
                    s = swift(i)
                else:
                    s = swift(i)
                    f, ms = cv.extract(im["ppm"])
                cv_ms.setdefault(p, []).append(ms)
                cv_kps[p] = len(f["pts"])
                hm_ms.setdefault(p, []).append(s["extract_ms"])
                hm_mirror_ms.setdefault(p, []).append(s["extract_mirrored_ms"])
                hm_kps[p] = s["keypoints"]
        server.stdin.close()
        server.wait()
        rows = []
        for im in images:
            p = im["file"]
            rows.append({"file": os.path.basename(p), "mp": im["width"] * im["height"] / 1e6,
                         "hashmark_ms": med(hm_ms[p]), "hashmark_mirrored_ms": med(hm_mirror_ms[p]),
                         "opencv_ms": med(cv_ms[p]), "hashmark_keypoints": hm_kps[p], "opencv_keypoints": cv_kps[p],
                         "hashmark_min_ms": min(hm_ms[p]), "opencv_min_ms": min(cv_ms[p])})
    for r in rows:
        print(f"{r['file'][:48]:48} {r['mp']:.2f} MP  hashmark {r['hashmark_ms']:6.2f} ms "
              f"(+mirror {r['hashmark_mirrored_ms']:6.2f})  opencv {r['opencv_ms']:6.2f} ms  "
              f"kp {r['hashmark_keypoints']}/{r['opencv_keypoints']}")
    hm, hmm, oc = (med(r[k] for r in rows) for k in ("hashmark_ms", "hashmark_mirrored_ms", "opencv_ms"))
    ratios = [r["hashmark_ms"] / r["opencv_ms"] for r in rows]
    print(f"median over {len(rows)} images ({a.extract_only} rounds, interleaved image by image): hashmark {hm:.2f} ms "
          f"(with mirrored descriptors {hmm:.2f} ms), opencv {oc:.2f} ms; hashmark / opencv = {hm / oc:.2f} "
          f"(median of per-image ratios {med(ratios):.2f})")
    hmin, omin = med(r["hashmark_min_ms"] for r in rows), med(r["opencv_min_ms"] for r in rows)
    print(f"fastest of the {a.extract_only} rounds per image, median over images (less sensitive to other load): "
          f"hashmark {hmin:.2f} ms, opencv {omin:.2f} ms; hashmark / opencv = {hmin / omin:.2f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"images": rows, "repeat": a.extract_only}, f)


def pairs_only(a):
    """False positives beyond the 10 negatives: a seeded sample of `a.pairs` data/dev images, every
    unordered pair verified by `orb-bench pairs` (LocalMatcher, 20 inliers). Prints the largest count
    and every pair with >= `a.pairs_report` inliers with its file names, so that near-duplicate
    series (same package and name stem) can be told apart from true unrelated pairs by eye."""
    dev = sorted(glob.glob(f"{DATA}/dev/images/*"))
    random.Random(a.pairs_seed).shuffle(dev)
    with tempfile.TemporaryDirectory(prefix="orbpairs-") as tmp:
        lst = write_list(tmp, "images", dev[:a.pairs])
        out = json.loads(subprocess.run([a.bin, "pairs", "--images", lst, "--report", str(a.pairs_report)],
                                        check=True, capture_output=True, text=True).stdout)
    print(f"{len(dev[:a.pairs])} images, {out['pairs']} pairs, most inliers {out['max_inliers']} "
          f"(threshold {MIN_INLIERS}); pairs with >= {a.pairs_report}:")
    for r in sorted(out["reported"], key=lambda r: -r["inliers"]):
        print(f"  {r['inliers']:4d}  {os.path.basename(r['a'])}  {os.path.basename(r['b'])}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--works", type=int, default=20)
    ap.add_argument("--negatives", type=int, default=10)
    ap.add_argument("--pool", type=int, default=60)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--sizes", default="10000,100000", help="synthetic corpus sizes; '' skips")
    ap.add_argument("--scale-queries", type=int, default=10)
    ap.add_argument("--scale-timeout", type=float, default=900, help="seconds per corpus size")
    ap.add_argument("--bin", default=os.path.join(HERE, ".build", "release", "orb-bench"))
    ap.add_argument("--json", help="also write all raw results here")
    ap.add_argument("--extract-only", type=int, metavar="REPEAT", default=0,
                    help="only time extraction of the works (+ negatives): REPEAT rounds, each image once per "
                         "side per round, interleaved image by image")
    ap.add_argument("--then-jpeg", type=int, metavar="Q", default=0,
                    help="re-encode every geometric query as JPEG quality Q after its edit (both matchers)")
    ap.add_argument("--pairs", type=int, metavar="N", default=0,
                    help="only the unrelated-pairs check: N seeded data/dev images, every pair verified")
    ap.add_argument("--pairs-seed", type=int, default=2026)
    ap.add_argument("--pairs-report", type=int, default=10)
    a = ap.parse_args()
    if a.pairs:
        return pairs_only(a)
    works, negatives, pool = select(a)
    if a.extract_only:
        return extract_only(a, works + negatives)
    result = {"opencv_version": cv2.__version__}

    with tempfile.TemporaryDirectory(prefix="orbbench-") as tmp:
        wl, nl, pl = (write_list(tmp, n, p) for n, p in (("works", works), ("negatives", negatives), ("pool", pool)))
        t = time.perf_counter()
        jpeg = ["--then-jpeg", str(a.then_jpeg)] if a.then_jpeg else []
        swift = json.loads(subprocess.run([a.bin, "run", "--works", wl, "--negatives", nl, "--out", tmp,
                                           "--seed", str(a.seed)] + jpeg,
                                          check=True, capture_output=True, text=True).stdout)
        print(f"swift run: {ms_since(t) / 1000:.0f} s", file=sys.stderr)
        cv = OpenCV()
        cv.extract(swift["works"][0]["ppm"])  # warm-up
        cv_works, cv_work_ms = [], []
        for w in swift["works"]:
            f, ms = cv.extract(w["ppm"])
            cv_works.append(f)
            cv_work_ms.append(ms)
        cv.build(cv_works)
        cv_rows, cv_query_extract, cv_query_ms = [], [], []
        for q in swift["queries"]:
            f, ms = cv.extract(q["ppm"])
            cv_query_extract.append(ms)
            t = time.perf_counter()
            bw, bi, wr = cv.query(f, q["expected"])
            cv_query_ms.append(ms_since(t))
            cv_rows.append({"expected": q["expected"], "kind": q["kind"], "best_work": bw, "best_inliers": bi,
                            "wrong_max_inliers": wr})
        if a.json:  # the comparison is saved before the (long) scale runs
            with open(a.json, "w") as f:
                json.dump({"swift": swift, "opencv_rows": cv_rows, "opencv_work_ms": cv_work_ms,
                           "opencv_query_extract_ms": cv_query_extract, "opencv_query_ms": cv_query_ms}, f)
        result["scale"] = {"sizes": []}
        for size in [s for s in a.sizes.split(",") if s]:
            t = time.perf_counter()
            try:
                out = subprocess.run([a.bin, "scale", "--works", wl, "--pool", pl, "--sizes", size,
                                      "--queries", str(a.scale_queries), "--seed", str(a.seed)],
                                     check=True, capture_output=True, text=True, timeout=a.scale_timeout)
                result["scale"]["sizes"] += json.loads(out.stdout)["sizes"]
                print(f"swift scale {size}: {ms_since(t) / 1000:.0f} s", file=sys.stderr)
            except subprocess.TimeoutExpired:
                result.setdefault("scale_not_measured", []).append(f"{size}: over {a.scale_timeout} s")
                print(f"swift scale {size}: timed out", file=sys.stderr)

    med = statistics.median
    hm_work_ms = [w["extract_ms"] for w in swift["works"]]
    hm = summarise(swift["queries"], "hashmark")
    oc = summarise(cv_rows, "opencv")
    pixels = [w["width"] * w["height"] / 1e6 for w in swift["works"]]
    result.update({
        "selection": {"works": len(works), "negatives": len(negatives), "pool": len(pool),
                      "geometric_cases": len(swift["queries"]) // max(1, len(works) + len(negatives)),
                      "work_megapixels_median": med(pixels)},
        "hashmark": hm, "opencv": oc,
        "extract_ms_median": {"hashmark_works": med(hm_work_ms), "opencv_works": med(cv_work_ms),
                              "hashmark_queries_with_mirror": med(q["extract_mirrored_ms"] for q in swift["queries"]),
                              "opencv_queries": med(cv_query_extract)},
        "extract_ratio_hashmark_over_opencv": med(hm_work_ms) / med(cv_work_ms),
        "query_ms_median_real_corpus": {"hashmark": med(q["query_ms"] for q in swift["queries"]),
                                        "hashmark_shortlist": med(q["shortlist_ms"] for q in swift["queries"]),
                                        "opencv": med(cv_query_ms)},
        "stored_bytes_per_work": {"median": med(w["stored_bytes"] for w in swift["works"]),
                                  "max": max(w["stored_bytes"] for w in swift["works"])},
        "keypoints_per_work_median": {"hashmark": med(w["keypoints"] for w in swift["works"]),
                                      "opencv": med(len(f["pts"]) for f in cv_works)},
    })
    if result["scale"]["sizes"]:
        result["scale_summary"] = [{
            "works": s["works"], "descriptors": s["descriptors"], "index_build_s": s["index_build_ms"] / 1000,
            "query_ms_median": med(s["query_ms"]), "query_ms_max": max(s["query_ms"]),
            "shortlist_ms_median": med(s["shortlist_ms"]), "shortlisted_median": med(s["shortlisted"]),
            "detected": f"{s['detected']}/{s['queries']}", "peak_rss_mib": s["peak_rss_mib"],
            "index_mib": s["index_mib"], "visited_median": med(s["visited"]),
            "expected_first": sum(r == 0 for r in s["expected_rank"]),
            "expected_in_top8": sum(0 <= r < 8 for r in s["expected_rank"])}
            for s in result["scale"]["sizes"]]
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"summary": result, "swift": swift, "opencv_rows": cv_rows}, f)
    print(json.dumps(result, indent=1, sort_keys=True), file=sys.stderr)  # keep a copy if stdout is lost
    result.pop("scale", None)
    print(json.dumps(result, indent=1, sort_keys=True))
    for s in (hm, oc):
        print(f"{s['matcher']}: detection {s['detected']}/{s['positives']} = {pct(s['detected'], s['positives'])}, "
              f"FP {s['false_positives']}/{s['negatives']} = {pct(s['false_positives'], s['negatives'])}, "
              f"misattributed {s['misattributed']}")
    r = result["extract_ratio_hashmark_over_opencv"]
    print(f"extraction median: hashmark {med(hm_work_ms):.1f} ms, opencv {med(cv_work_ms):.1f} ms "
          f"(hashmark / opencv = {r:.2f})")


if __name__ == "__main__":
    main()
