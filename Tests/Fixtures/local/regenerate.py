#!/usr/bin/env python3
"""Regenerates the local-feature test fixtures (binary PPM, P6) from the shared data set.

Run with the reference venv (Pillow): /tmp/refvenv/bin/python Tests/Fixtures/local/regenerate.py
Reads /work/shared/data/{sample,dev}; writes <name>.ppm here and prints the README table rows.
Each image is flattened onto white (PNG alpha), converted to RGB and reduced with Lanczos so its
longest side is at most MAX_SIDE. The Swift tests derive every edited copy (crop, pad, rotate,
flip, perspective, aspect) themselves, so only the originals are stored.
"""
import csv
import os
import sys
from PIL import Image

MAX_SIDE = 384
DATA = "/work/shared/data"
HERE = os.path.dirname(os.path.abspath(__file__))

# (output name, data set, path in that data set's manifest)
IMAGES = [
    ("astronaut", "sample", "images/scikit-image__astronaut.jpg"),
    ("coffee", "sample", "images/scikit-image__coffee.jpg"),
    ("chelsea", "sample", "images/scikit-image__chelsea.jpg"),
    ("grace_hopper", "sample", "images/matplotlib__grace_hopper.jpg"),
    ("china", "sample", "images/scikit-learn__china.jpg"),
    ("painting_colors", "sample", "images/lomiri-wallpapers-20.04__Painting-Colors_by__herobrine7gamer.jpg"),
    ("damselfly", "dev", "images/openclipart-png__damselfly_leigh_purdie_r.png"),
    ("gateau", "dev", "images/openclipart-png__gateau_jean_victor_balin.png"),
    ("intro1", "dev", "images/colobot-common-textures__intro1.jpg"),
]


def manifest(dataset):
    with open(os.path.join(DATA, dataset, "manifest.csv"), newline="") as f:
        return {row["path"]: row for row in csv.DictReader(f)}


def write(images, max_side, out_dir):
    """Writes each (name, data set, path) of `images` as <name>.ppm in `out_dir`, longest side at
    most `max_side`, and prints the README table rows."""
    rows = []
    manifests = {d: manifest(d) for d in ("sample", "dev")}
    for name, dataset, path in images:
        img = Image.open(os.path.join(DATA, dataset, path))
        if img.mode in ("RGBA", "LA", "P"):
            img = img.convert("RGBA")
            white = Image.new("RGBA", img.size, (255, 255, 255, 255))
            img = Image.alpha_composite(white, img)
        img = img.convert("RGB")
        w, h = img.size
        s = min(1.0, max_side / max(w, h))
        if s < 1.0:
            img = img.resize((max(1, round(w * s)), max(1, round(h * s))), Image.LANCZOS)
        img.save(os.path.join(out_dir, name + ".ppm"), format="PPM")
        m = manifests[dataset][path]
        rows.append(f"| {name}.ppm | {img.size[0]}x{img.size[1]} | {dataset}/{path} | "
                    f"{m['source_package']} | {m['licence']} | {m['author']} |")
    print("\n".join(rows))


def main():
    write(IMAGES, MAX_SIDE, HERE)


if __name__ == "__main__":
    sys.exit(main())
