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
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from debian_pool import copyright_stanzas, licence_for, unpack, write_pool  # noqa: E402

PACKAGES = [
    "endless-sky-data", "freedroidrpg-data", "freeorion-data", "hedgewars-data", "warmux-data",
    "widelands-data", "naev-data", "supertuxkart-data", "megaglest-data", "boswars-data", "torcs-data",
    "triplea", "pingus-data", "ardentryst", "blobwars-data", "brainparty-data", "btanks-data", "cube2-data",
    "enigma-data", "fillets-ng-data", "flare-game", "freeciv-data", "frozen-bubble-data", "glob2-data",
    "minetest-data", "pokerth-data", "scorched3d-data", "teeworlds-data", "tuxfootball", "tuxtype-data",
    "opencity-data", "lugaru-data", "foobillardplus-data", "starfighter-data", "lmms-common",
]
# The dev and sample pools' image sources: what trained the descriptor and tuned the thresholds.
IN_SHARED_POOLS = {"stellarium-data", "wesnoth-1.16-data", "openclipart-png", "neverball-data",
                   "colobot-common-textures", "mate-backgrounds", "lomiri-wallpapers-16.04",
                   "lomiri-wallpapers-20.04", "lomiri-wallpapers"}


def thumb(img):
    g = cv2.cvtColor(img[..., :3], cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img
    t = cv2.resize(g, (16, 16), interpolation=cv2.INTER_AREA).astype(np.float32).ravel()
    t -= t.mean()
    return t / (np.linalg.norm(t) + 1e-6)


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
    assert not set(PACKAGES) & IN_SHARED_POOLS
    os.makedirs(os.path.join(args.out, "images"), exist_ok=True)
    rng = random.Random(args.seed)
    rows, seen, thumbs, skipped = [], set(), [], {}

    def skip(why):
        skipped[why] = skipped.get(why, 0) + 1

    for pkg in PACKAGES:
        root, version = unpack(pkg, args.cache)
        stanzas = copyright_stanzas(root, pkg)
        if not stanzas:
            print(f"{pkg}: no machine-readable copyright file, skipped", file=sys.stderr)
            continue
        files = sorted(p for p in glob.glob(os.path.join(root, "**/*"), recursive=True)
                       if p.lower().endswith((".png", ".jpg", ".jpeg")) and os.path.isfile(p) and not os.path.islink(p))
        rng.shuffle(files)
        kept = 0
        for path in files:
            if kept >= args.per_package:
                break
            data = open(path, "rb").read()
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                skip("repeated bytes")
                continue
            seen.add(digest)
            img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
            if img is None or img.dtype != np.uint8:
                skip("not 8-bit decodable")
                continue
            h, w = img.shape[:2]
            if min(h, w) < args.min_side or max(h, w) > 3 * min(h, w):
                skip("too small or too elongated")
                continue
            grey = cv2.cvtColor(img[..., :3], cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img
            if img.ndim == 3 and img.shape[2] == 4:
                visible = img[..., 3] > 32
                if visible.mean() < 0.1:
                    skip("mostly transparent")
                    continue
                if grey[visible].std() < 12:
                    skip("flat")
                    continue
            elif grey.std() < 12:
                skip("flat")
                continue
            t = thumb(img if img.ndim == 3 else img)
            if thumbs and float(np.max(np.stack(thumbs) @ t)) > 0.92:
                skip("near duplicate of a kept image")
                continue
            origin = os.path.relpath(path, root)
            lic = licence_for(stanzas, origin)
            if not lic or not lic[0]:
                skip("no licence found")
                continue
            thumbs.append(t)
            s = 1024 / max(h, w)
            is_png = path.lower().endswith(".png")
            stem = re.sub(r"[^A-Za-z0-9_.-]", "_", os.path.splitext(os.path.basename(path))[0])[:60]
            rel = f"images/{pkg}__{stem}.{'png' if is_png else 'jpg'}"
            n = 2
            while any(r["path"] == rel for r in rows):
                rel = f"images/{pkg}__{stem}_{n}.{'png' if is_png else 'jpg'}"
                n += 1
            out = os.path.join(args.out, rel)
            if s < 1:
                img = cv2.resize(img, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
                cv2.imwrite(out, img, [cv2.IMWRITE_JPEG_QUALITY, 92] if not is_png else [])
            else:
                open(out, "wb").write(data)
            rows.append({
                "path": rel, "kind": "image", "source_package": f"deb:{pkg}", "licence": lic[0], "version": version,
                "origin": origin, "title": stem, "author": lic[1],
                "detail": f"{img.shape[1]}x{img.shape[0]}" + (" (downscaled)" if s < 1 else ""),
                "sha256": hashlib.sha256(open(out, "rb").read()).hexdigest(),
            })
            kept += 1
        print(f"{pkg} {version}: {kept} images", file=sys.stderr)
    write_pool(args.out, rows, "image pool built by Scripts/eval/build-image-pool.py",
               "Images over 1,024 px were downscaled: modified versions of the originals.")
    print(f"{len(rows)} images in {args.out}; skipped: {skipped}", file=sys.stderr)
    if args.hashmark:
        pairs = related_pairs(args.hashmark, args.out, args.model)
        with open(os.path.join(args.out, "related.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["work", "related", "evidence"])
            w.writerows(pairs)
        print(f"{len(pairs)} related pairs in related.csv", file=sys.stderr)


if __name__ == "__main__":
    main()
