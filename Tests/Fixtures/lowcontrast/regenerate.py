#!/usr/bin/env python3
"""Regenerates the low-contrast local-feature fixtures (binary PPM, P6) from the shared data set.

Run with the reference venv (Pillow): /tmp/refvenv/bin/python Tests/Fixtures/lowcontrast/regenerate.py
Reads /work/shared/data/{sample,dev}; writes <name>.ppm here and prints the README table rows.
Each image is converted to RGB and reduced with Lanczos so its longest side is at most MAX_SIDE
(512: the faint structure of these works is what the tests are about, so they are kept larger than
the 384 px of Tests/Fixtures/local). The Swift tests derive every edited copy themselves.
"""
import csv
import os
import sys
from PIL import Image

MAX_SIDE = 512
DATA = "/work/shared/data"
HERE = os.path.dirname(os.path.abspath(__file__))

# (output name, data set, path in that data set's manifest)
IMAGES = [
    ("warty_final_ubuntu", "sample", "images/lomiri-wallpapers__warty-final-ubuntu.jpg"),
    ("trees_fog", "dev", "images/stellarium-data__trees_fog_512.jpg"),
]


def manifest(dataset):
    with open(os.path.join(DATA, dataset, "manifest.csv"), newline="") as f:
        return {row["path"]: row for row in csv.DictReader(f)}


def main():
    rows = []
    manifests = {d: manifest(d) for d in ("sample", "dev")}
    for name, dataset, path in IMAGES:
        img = Image.open(os.path.join(DATA, dataset, path)).convert("RGB")
        w, h = img.size
        s = min(1.0, MAX_SIDE / max(w, h))
        if s < 1.0:
            img = img.resize((max(1, round(w * s)), max(1, round(h * s))), Image.LANCZOS)
        out = os.path.join(HERE, name + ".ppm")
        img.save(out, format="PPM")
        m = manifests[dataset][path]
        rows.append(f"| {name}.ppm | {img.size[0]}x{img.size[1]} | {dataset}/{path} | "
                    f"{m['source_package']} | {m['licence']} | {m['author']} |")
    print("\n".join(rows))


if __name__ == "__main__":
    sys.exit(main())
