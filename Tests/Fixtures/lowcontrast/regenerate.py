#!/usr/bin/env python3
"""Regenerates the low-contrast local-feature fixtures (binary PPM, P6) from the shared data set.

Run with the reference venv (Pillow): /tmp/refvenv/bin/python Tests/Fixtures/lowcontrast/regenerate.py
Reads /work/shared/data/{sample,dev}; writes <name>.ppm here and prints the README table rows.
Written by the shared writer of Tests/Fixtures/local (RGB, Lanczos to a longest side of MAX_SIDE)
(512: the faint structure of these works is what the tests are about, so they are kept larger than
the 384 px of Tests/Fixtures/local). The Swift tests derive every edited copy themselves.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "local"))
import regenerate as local  # noqa: E402  (the shared writer of Tests/Fixtures/local)

MAX_SIDE = 512

# (output name, data set, path in that data set's manifest)
IMAGES = [
    ("warty_final_ubuntu", "sample", "images/lomiri-wallpapers__warty-final-ubuntu.jpg"),
    ("trees_fog", "dev", "images/stellarium-data__trees_fog_512.jpg"),
]


if __name__ == "__main__":
    sys.exit(local.write(IMAGES, MAX_SIDE, HERE))
