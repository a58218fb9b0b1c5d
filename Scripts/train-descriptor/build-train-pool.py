#!/usr/bin/env python3
"""Builds more training pictures for the image descriptor from Debian 12 packages that neither the
evaluation's image pool (Scripts/eval/build-image-pool.py), nor the shared dev and sample pools,
nor the reserved list of ../shared/data/README.md use: so that `hashmark eval --pool` keeps
measuring works the descriptor never saw.

    python3 Scripts/train-descriptor/build-train-pool.py --out /work/train-pool [--cache /work/pool-debs]
    python3 Scripts/train-descriptor/train.py --data ../shared/data/dev --data /work/train-pool --out /tmp/d.pt

Same selection as the evaluation pool (`Scripts/eval/image_pool.py`: size, flatness, near
duplicates, 1,024 px cap), a different seed and up to `--per-package` pictures a package; writes
OUT/manifest.csv and OUT/ATTRIBUTION.md with each file's licence.
"""
import argparse
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "eval"))
from debian_pool import RESERVED, write_pool  # noqa: E402
from image_pool import EVALUATION_PACKAGES, IN_SHARED_POOLS, collect  # noqa: E402

# Games (Wesnoth's campaigns: their story paintings), educational software, painting programs and
# maps, with DEP-5 copyright files.
PACKAGES = [
    "freecol", "xmoto-data", "marble-data", "gimp-data", "gimp-data-extras", "tuxpaint-data", "scratch",
    "trigger-rally-data", "tuxmath-data", "holotz-castle-data", "ri-li-data", "lbreakout2-data", "bzflag-data",
    "chromium-bsu-data", "lgeneral-data", "freedink-data", "kobodeluxe-data", "mirrormagic-data", "krita-data",
    "palapeli-data", "kgeography-data", "darktable", "khangman", "xscreensaver-data-extra",
    "powermanga-data", "netpanzer-data", "bomberclone-data", "pathological", "funnyboat", "raincat-data",
    "openclonk-data", "pinball-data", "open-invaders-data", "tecnoballz-data", "spacezero", "monsterz-data",
    "njam-data", "solarwolf", "gnurobbo-data",
] + [f"wesnoth-1.16-{c}" for c in ("httt", "sof", "nr", "utbs", "l", "did", "ei", "low", "trow", "thot", "dm", "dw",
                                   "sotbe", "tsg")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--cache", default="/tmp/pool-debs")
    ap.add_argument("--per-package", type=int, default=300)
    ap.add_argument("--min-side", type=int, default=128)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    clash = set(PACKAGES) & (set(EVALUATION_PACKAGES) | IN_SHARED_POOLS | RESERVED)
    assert not clash, f"packages used for evaluation or reserved: {sorted(clash)}"
    rows = collect(PACKAGES, args.out, args.cache, args.per_package, args.min_side, random.Random(args.seed))
    write_pool(args.out, rows, "descriptor training pool built by Scripts/train-descriptor/build-train-pool.py",
               "Images over 1,024 px were downscaled: modified versions of the originals.")


if __name__ == "__main__":
    main()
