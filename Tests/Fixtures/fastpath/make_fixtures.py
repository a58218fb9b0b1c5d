#!/usr/bin/env python3
"""Regenerates the fast-path fixtures from /work/shared/data (Pillow; see README.md).

Usage: python3 Tests/Fixtures/fastpath/make_fixtures.py [DATA_ROOT]   (uses /tmp/refvenv if present)
"""
import os
import sys

REFVENV_PY = "/tmp/refvenv/bin/python"
try:
    from PIL import Image
except ImportError:
    if os.path.exists(REFVENV_PY):
        os.execv(REFVENV_PY, [REFVENV_PY] + sys.argv)
    sys.exit("needs pillow")

HERE = os.path.dirname(os.path.abspath(__file__))
root = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"


def load(name):
    return Image.open(os.path.join(root, "sample/images", name)).convert("RGB")


# 2x LANCZOS upscale of a CC0 photo: 2048x2048, decoded at 1/4 by the fast path.
retina = load("scikit-image__retina.jpg")
retina.resize((2048, 2048), Image.Resampling.LANCZOS).save(os.path.join(HERE, "retina-2x-2048.jpg"), quality=90)

# The public-domain original as it is: 1000x872, decoded at 1/2.
with open(os.path.join(root, "sample/images/scikit-image__hubble_deep_field.jpg"), "rb") as f:
    data = f.read()
with open(os.path.join(HERE, "hubble-1000x872.jpg"), "wb") as f:
    f.write(data)

# A CC0 photo upscaled to odd sizes (the last DCT block is short) and stored turned, with an
# EXIF orientation that turns it back: 6 (rotate 90 cw) and 3 (rotate 180), so the short block
# sits at the start of an upright axis.
coffee = load("scikit-image__coffee.jpg").resize((1203, 803), Image.Resampling.LANCZOS)
for orientation, stored in ((6, coffee.transpose(Image.Transpose.ROTATE_90)),
                            (3, coffee.transpose(Image.Transpose.ROTATE_180))):
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored.save(os.path.join(HERE, "coffee-1203x803-orientation%d.jpg" % orientation), quality=90, exif=exif)
