#!/usr/bin/env python3
"""Builds an image pool for `hashmark eval --only image --pool DIR`: pictures that Debian 12 game
packages ship (paintings, portraits, landscapes, textures, sprites, interface art), with each
package's licence, so that the evaluation has thousands of works no model was trained on and
enough unrelated images to show a false-positive rate of 0.1 % (>= 3,000 negative cases).

    python3 Scripts/eval/build-image-pool.py --out /work/image-pool [--cache /work/audio-debs]

Per package: every PNG/JPEG of at least `--min-side` px on its short side and aspect <= 3, not
flat (grey standard deviation >= 12), taken in a seeded order up to `--per-package`; then near
duplicates are dropped across the whole pool (16 x 16 grey thumbnails with a correlation above
0.92: animation frames, recoloured team variants, resized copies), so that no two pool works are
copies of each other. Longest side capped at 1,024 px (area resampling); PNGs stay PNG (alpha
kept), JPEGs stay JPEG. Packages reserved for independent evaluation, and those the shared dev and
sample pools (which trained and tuned the models) came from, are never used. Writes
OUT/manifest.csv (the shared pool's columns) and OUT/ATTRIBUTION.md.

With `--hashmark BIN` it also writes OUT/related.csv (read by `hashmark eval` beside the manifest):
the pairs of pool works that Hashmark's own PDQ and keypoint matchers already find close before
any edit, at looser thresholds than the decision rule's (PDQ <= 48, >= 12 inliers): a fort sprite
drawn from a map, terrain tiles of one set, recoloured sprites. They share material, so neither
is an unrelated negative for the other.
"""
import argparse
import csv
import glob
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from debian_pool import write_pool  # noqa: E402
from image_pool import EVALUATION_PACKAGES, IN_SHARED_POOLS, collect  # noqa: E402


def related_pairs(binary, out, model):
    """Pairs (a, b, evidence) of pool works that `hashmark check` matches with each other by PDQ or
    keypoints at thresholds looser than `model`'s. Every work is registered, so each file's PDQ matches itself
    and the cascade stops there: a second pass with PDQ off lets the keypoints speak. Run outside
    the repository, so that no image descriptor model is found."""
    binary = os.path.abspath(binary)
    files = sorted(glob.glob(os.path.join(os.path.abspath(out), "images", "*")))
    pairs = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "pool.sqlite")
        subprocess.run([binary, "corpus", "add", "--db", db] + files, cwd=tmp, capture_output=True)
        # Looser than the decision rule: a pair that is this near before any edit gets matched
        # after one (terrain tiles of one set, recoloured armour sprites), so it is no negative.
        rules = json.load(open(model))
        rules["image"]["pdqMaxDistance"] = max(rules["image"]["pdqMaxDistance"], 48)
        rules["image"]["pdqCandidateRadius"] = max(rules["image"]["pdqCandidateRadius"], 48)
        rules["image"]["localMinInliers"] = min(rules["image"]["localMinInliers"], 12)
        rules.pop("descriptor", None)
        loose = os.path.join(tmp, "loose.json")
        json.dump(rules, open(loose, "w"))
        rules["image"]["pdqMaxDistance"], rules["image"]["pdqCandidateRadius"] = -1, 0
        keypoints_only = os.path.join(tmp, "keypoints-only.json")
        json.dump(rules, open(keypoints_only, "w"))
        for rules_path in (loose, keypoints_only):
            for i in range(0, len(files), 200):
                run = subprocess.run([binary, "check", "--json", "--db", db, "--model", rules_path] + files[i:i + 200],
                                     cwd=tmp, capture_output=True, text=True)
                for line in run.stdout.splitlines():
                    v = json.loads(line)
                    me = os.path.splitext(os.path.basename(v["file"]))[0]
                    for m in v.get("matches", []):
                        other = m["work"]["id"]
                        if m.get("isMatch") and other != me and m["matcher"] in ("pdq", "local-features"):
                            e = m["evidence"]
                            what = (f"PDQ distance {e['pdqDistance']}" if m["matcher"] == "pdq"
                                    else f"{e['inliers']} keypoint inliers")
                            pairs.setdefault(tuple(sorted((me, other))), f"hashmark check matches them: {what}")
    return [(a, b, e) for (a, b), e in sorted(pairs.items())]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--cache", default="/tmp/pool-debs")
    ap.add_argument("--per-package", type=int, default=160)
    ap.add_argument("--min-side", type=int, default=128)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hashmark", help="hashmark binary: write related.csv (pairs it already matches)")
    ap.add_argument("--model", default="Models/hashmark-model.json", help="the rules related.csv loosens")
    args = ap.parse_args()
    assert not set(EVALUATION_PACKAGES) & IN_SHARED_POOLS
    rng = random.Random(args.seed)
    rows = collect(EVALUATION_PACKAGES, args.out, args.cache, args.per_package, args.min_side, rng)
    write_pool(args.out, rows, "image pool built by Scripts/eval/build-image-pool.py",
               "Images over 1,024 px were downscaled: modified versions of the originals.")
    if args.hashmark:
        pairs = related_pairs(args.hashmark, args.out, args.model)
        with open(os.path.join(args.out, "related.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["work", "related", "evidence"])
            w.writerows(pairs)
        print(f"{len(pairs)} related pairs in related.csv", file=sys.stderr)


if __name__ == "__main__":
    main()
