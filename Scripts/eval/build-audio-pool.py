#!/usr/bin/env python3
"""Builds an audio pool for `hashmark eval --only audio --pool DIR`: one clip per track of the free
music that Debian 12 game packages ship, with each package's licence, so that the evaluation has
hundreds of unrelated recordings (its false-positive rate needs >= 3,000 negative cases to show
0.1 %).

    python3 Scripts/eval/build-audio-pool.py --out /work/audio-pool [--cache /work/audio-debs]

Downloads the packages below with `apt-get download` (no installation), unpacks them with
`dpkg-deb -x`, keeps every Ogg/FLAC/WAV/MP3 of at least `--seconds` + 5 s (music, not UI
sounds; tracker modules are skipped: neither SoX nor libsndfile reads them), drops files whose
bytes repeat, and cuts one clip of `--seconds` from a seeded offset with SoX (22.05 kHz mono FLAC):
one clip per track, so no two pool recordings share material. Writes OUT/manifest.csv (the shared
pool's columns: path,kind,source_package,licence,version,origin,title,author,detail,sha256) and
OUT/ATTRIBUTION.md. The licence is the package's, read from its Debian copyright file (DEP-5
`License:` of the `Files:` stanza that matches the track, else of `Files: *`); tracks whose licence
cannot be read are skipped. Packages in ../shared/data/README.md's reserved list are never used,
nor the ones the shared sample pool's audio came from.
"""
import argparse
import glob
import hashlib
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from debian_pool import RESERVED, copyright_stanzas, licence_for, run, unpack, write_pool  # noqa: E402

PACKAGES = [
    "frozen-bubble-data", "xmoto-data", "teeworlds-data", "hedgewars-data", "megaglest-data",
    "endless-sky-data", "flare-game", "lugaru-data", "freedroidrpg-data", "openarena-data",
    "freeorion-data", "openclonk-data", "7kaa-data", "scorched3d-data", "btanks-data", "warmux-data",
    "widelands-data", "naev-data", "supertuxkart-data",
]
# The shared sample pool's audio came from these: a pool for negatives must not contain them.
IN_SAMPLE_POOL = {"lomiri-sounds", "singularity-music", "ufoai-music", "wesnoth-1.16-music",
                  "warzone2100-music", "warzone2100-data", "espeak-ng"}
AUDIO = (".ogg", ".oga", ".flac", ".wav", ".mp3")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--cache", default="/tmp/audio-pool-debs")
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    assert not (set(PACKAGES) & (RESERVED | IN_SAMPLE_POOL)), "a reserved or sample-pool package is listed"
    os.makedirs(os.path.join(args.out, "audio"), exist_ok=True)
    os.makedirs(args.cache, exist_ok=True)
    rng = random.Random(args.seed)
    rows, seen, skipped = [], set(), {}
    for pkg in PACKAGES:
        root, version = unpack(pkg, args.cache)
        stanzas = copyright_stanzas(root, pkg)
        kept = 0
        for path in sorted(glob.glob(os.path.join(root, "**/*"), recursive=True)):
            if not path.lower().endswith(AUDIO) or os.path.islink(path) or not os.path.isfile(path):
                continue
            origin = os.path.relpath(path, root)
            data = open(path, "rb").read()
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                skipped["repeated bytes"] = skipped.get("repeated bytes", 0) + 1
                continue
            try:
                duration = float(run("soxi", "-D", path).strip())
            except (subprocess.CalledProcessError, ValueError):
                skipped["unreadable by SoX"] = skipped.get("unreadable by SoX", 0) + 1
                continue
            if duration < args.seconds + 5:
                skipped["shorter than the clip + 5 s"] = skipped.get("shorter than the clip + 5 s", 0) + 1
                continue
            lic = licence_for(stanzas, origin)
            if not lic or not lic[0]:
                skipped["no licence found"] = skipped.get("no licence found", 0) + 1
                continue
            seen.add(digest)
            start = round(rng.uniform(0, duration - args.seconds), 2)
            stem = re.sub(r"[^A-Za-z0-9_.-]", "_", os.path.splitext(os.path.basename(path))[0])
            rel = f"audio/{pkg}__{stem}.flac"
            n = 2
            while os.path.exists(os.path.join(args.out, rel)) and any(r["path"] == rel for r in rows):
                rel = f"audio/{pkg}__{stem}_{n}.flac"
                n += 1
            out = os.path.join(args.out, rel)
            subprocess.run(["sox", path, "-r", "22050", "-c", "1", "-b", "16", out, "trim", str(start), str(args.seconds)],
                           check=True, capture_output=True)
            rows.append({
                "path": rel, "kind": "audio", "source_package": f"deb:{pkg}", "licence": lic[0], "version": version,
                "origin": origin, "title": stem, "author": lic[1],
                "detail": f"{args.seconds:.1f} s excerpt at {start:.2f} s of {duration:.1f} s",
                "sha256": hashlib.sha256(open(out, "rb").read()).hexdigest(),
            })
            kept += 1
        print(f"{pkg} {version}: {kept} clips", file=sys.stderr)
    write_pool(args.out, rows, "audio pool built by Scripts/eval/build-audio-pool.py",
               "Clips are excerpts of the tracks, resampled to 22.05 kHz mono: modified versions of the originals.")
    print(f"{len(rows)} clips in {args.out}; skipped: {skipped}", file=sys.stderr)


if __name__ == "__main__":
    main()
