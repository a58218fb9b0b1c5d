"""Shared by the image pool builders (Scripts/eval/build-image-pool.py for evaluation,
Scripts/train-descriptor/build-train-pool.py for training): the pictures of some Debian packages,
with each file's licence from the package's DEP-5 copyright file.

Per package: every PNG/JPEG of at least `min_side` px on its short side and aspect <= 3, not flat
(grey standard deviation >= 12; transparent ones: >= 10 % visible), taken in a seeded order up to
`per_package`; near duplicates are dropped across the whole pool (16 x 16 grey thumbnails with a
correlation above 0.92). Longest side capped at 1,024 px (area resampling); PNGs stay PNG (alpha
kept), JPEGs stay JPEG.
"""
import glob
import hashlib
import os
import re
import sys

import cv2
import numpy as np

from debian_pool import copyright_stanzas, licence_for, unpack


# The evaluation pool's packages (build-image-pool.py): games no model was trained on.
EVALUATION_PACKAGES = [
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


def collect(packages, out, cache, per_package, min_side, rng):
    """Copies the kept pictures of `packages` (in order; `rng` shuffles each package's files) into
    OUT/images and returns their manifest rows (the shared pool's columns)."""
    os.makedirs(os.path.join(out, "images"), exist_ok=True)
    rows, seen, thumbs, skipped = [], set(), [], {}

    def skip(why):
        skipped[why] = skipped.get(why, 0) + 1

    for pkg in packages:
        root, version = unpack(pkg, cache)
        stanzas = copyright_stanzas(root, pkg)
        if not stanzas:
            print(f"{pkg}: no machine-readable copyright file, skipped", file=sys.stderr)
            continue
        files = sorted(p for p in glob.glob(os.path.join(root, "**/*"), recursive=True)
                       if p.lower().endswith((".png", ".jpg", ".jpeg")) and os.path.isfile(p) and not os.path.islink(p))
        rng.shuffle(files)
        kept = 0
        for path in files:
            if kept >= per_package:
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
            if min(h, w) < min_side or max(h, w) > 3 * min(h, w):
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
            dest = os.path.join(out, rel)
            if s < 1:
                img = cv2.resize(img, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
                cv2.imwrite(dest, img, [cv2.IMWRITE_JPEG_QUALITY, 92] if not is_png else [])
            else:
                open(dest, "wb").write(data)
            rows.append({
                "path": rel, "kind": "image", "source_package": f"deb:{pkg}", "licence": lic[0], "version": version,
                "origin": origin, "title": stem, "author": lic[1],
                "detail": f"{img.shape[1]}x{img.shape[0]}" + (" (downscaled)" if s < 1 else ""),
                "sha256": hashlib.sha256(open(dest, "rb").read()).hexdigest(),
            })
            kept += 1
        print(f"{pkg} {version}: {kept} images", file=sys.stderr)
    print(f"{len(rows)} images in {out}; skipped: {skipped}", file=sys.stderr)
    return rows
