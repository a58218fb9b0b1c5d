#!/usr/bin/env python3
"""Re-record the PDQ golden fixtures (an explicit act: run this script, review the diff, commit).

For each source image below: decode with Pillow, convert to RGB (alpha dropped, greyscale
expanded, as Pillow's convert("RGB") does), optionally resize/crop so the fixture set stays small,
write the exact RGB buffer as a binary PPM (P6), and record Meta's reference results from the
`pdqhash` package (pdqhash.compute and pdqhash.compute_dihedral) in golden.json. README.md is
rewritten with every file's provenance and licence, copied from the data manifests.

Usage: python3 Tests/Fixtures/pdq/regenerate.py [DATA_ROOT]   (default /work/shared/data)
Needs pdqhash, pillow and numpy: uses /tmp/refvenv if present, else builds a throwaway venv.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REFVENV_PY = "/tmp/refvenv/bin/python"


def ensure_reference_python():
    """Re-exec under a Python that has pdqhash, pillow and numpy."""
    try:
        import numpy  # noqa: F401
        import pdqhash  # noqa: F401
        from PIL import Image  # noqa: F401
        return
    except ImportError:
        pass
    if os.path.exists(REFVENV_PY) and os.path.abspath(sys.prefix) != os.path.dirname(os.path.dirname(REFVENV_PY)):
        os.execv(REFVENV_PY, [REFVENV_PY] + sys.argv)
    venv = tempfile.mkdtemp(prefix="pdq-golden-venv-")
    subprocess.check_call([sys.executable, "-m", "venv", venv])
    py = os.path.join(venv, "bin", "python")
    subprocess.check_call([py, "-m", "pip", "install", "-q", "pdqhash", "pillow", "numpy"])
    os.execv(py, [py] + sys.argv)


ensure_reference_python()

import numpy as np  # noqa: E402
import pdqhash  # noqa: E402
from PIL import Image  # noqa: E402

# (fixture name, manifest set, path in that set, transform). Transforms keep the total small
# while covering: widths 1024 and > 512 (fast path), odd sizes, portrait, greyscale and RGBA
# sources, the exact 64x64 case the reference treats specially, the 5-pixel minimum, and a strip
# below the minimum (all-zero hash, quality 0).
FIXTURES = [
    ("apollo17_1024x512", "dev", "images/stellarium-data__apollo17.png", None),
    ("coffee_600x400", "sample", "images/scikit-image__coffee.jpg", None),
    ("friends_360x540", "sample", "images/lomiri-wallpapers-16.04__friends_by_Aitzol_Berasategi.jpg", ("resize", 360, 540)),
    ("chelsea_451x300", "sample", "images/scikit-image__chelsea.jpg", None),
    ("camera_grey_255x255", "sample", "images/scikit-image__camera.jpg", ("resize", 255, 255)),
    ("lock_rgba_219x219", "sample", "images/openclipart-png__lock.png", ("resize", 219, 219)),
    ("guard_rgba_201x199", "dev", "images/wesnoth-1.16-data__guard.png", ("resize", 201, 199)),
    ("retina_97x61", "sample", "images/scikit-image__retina.jpg", ("resize", 97, 61)),
    ("dragonfly_64x64", "sample", "images/lomiri-wallpapers-16.04__Dragonfly_by_Bolly.jpg", ("resize", 64, 64)),
    ("astronaut_5x7", "sample", "images/scikit-image__astronaut.jpg", ("resize", 5, 7)),
    ("china_strip_4x300", "sample", "images/scikit-learn__china.jpg", ("crop", 300, 0, 304, 300)),
]


def hex_of(vector):
    """ThreatExchange hex: pdqhash's bit 0 is the most significant bit of the first digit."""
    bits = [int(b) & 1 for b in vector]
    assert len(bits) == 256
    return "".join("%x" % (bits[i] << 3 | bits[i + 1] << 2 | bits[i + 2] << 1 | bits[i + 3])
                   for i in range(0, 256, 4))


def load_manifest(root, which):
    with open(os.path.join(root, which, "manifest.csv"), newline="") as f:
        return {row["path"]: row for row in csv.DictReader(f)}


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"
    manifests = {w: load_manifest(root, w) for w in ("sample", "dev")}
    golden = {
        "reference": "pdqhash %s (Python wrapper of facebook/ThreatExchange pdq/cpp)" % pdqhash.__version__,
        "bitOrder": "hex digit 0's most significant bit is pdqhash vector index 0",
        "dihedralOrder": ["original", "rotate90", "rotate180", "rotate270",
                          "flipX", "flipY", "flipPlus1", "flipMinus1"],
        "fixtures": [],
    }
    readme_rows = []
    for name, which, rel, transform in FIXTURES:
        src = os.path.join(root, which, rel)
        img = Image.open(src)
        img.load()
        rgb = img.convert("RGB")
        note = "decoded by Pillow, convert('RGB')"
        if transform and transform[0] == "resize":
            rgb = rgb.resize((transform[1], transform[2]), Image.Resampling.LANCZOS)
            note += ", resized to %dx%d (LANCZOS)" % (transform[1], transform[2])
        elif transform and transform[0] == "crop":
            rgb = rgb.crop(transform[1:])
            note += ", cropped to box %s" % (transform[1:],)
        arr = np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8))
        h, w, _ = arr.shape
        with open(os.path.join(HERE, name + ".ppm"), "wb") as f:
            f.write(b"P6\n%d %d\n255\n" % (w, h))
            f.write(arr.tobytes())
        vec, quality = pdqhash.compute(arr)
        dvecs, dquality = pdqhash.compute_dihedral(arr)
        golden["fixtures"].append({
            "file": name + ".ppm", "width": int(w), "height": int(h),
            "pdq": hex_of(vec), "quality": int(quality),
            "dihedral": [hex_of(v) for v in dvecs], "dihedralQuality": int(dquality),
        })
        m = manifests[which][rel]
        readme_rows.append((name + ".ppm", "%s/%s" % (which, rel), m["source_package"], m["licence"],
                            m["version"], m["origin"], m["author"], note))
        print("%-22s %4dx%-4d q=%3d %s" % (name, w, h, quality, hex_of(vec)))

    with open(os.path.join(HERE, "golden.json"), "w") as f:
        json.dump(golden, f, indent=1)
        f.write("\n")

    lines = [
        "# PDQ golden fixtures",
        "",
        "Each `.ppm` is the exact 8-bit RGB buffer that Meta's reference hashed (binary PPM, P6);",
        "`golden.json` holds `pdqhash.compute` (hex, quality) and `pdqhash.compute_dihedral` (8 hex,",
        "quality) for it. Re-record explicitly with `python3 Tests/Fixtures/pdq/regenerate.py`",
        "(uses /tmp/refvenv or a throwaway venv with pdqhash, pillow, numpy); review the diff.",
        "Reference: " + golden["reference"] + ".",
        "",
        "Provenance and licence (columns copied from /work/shared/data/*/manifest.csv):",
        "",
        "| fixture | source | source_package | licence | version | origin | author | processing |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in readme_rows:
        lines.append("| " + " | ".join(c.replace("|", "/") if c else "" for c in row) + " |")
    lines += ["", "`golden.json` and `regenerate.py`: written for Hashmark (same licence as the project).", ""]
    with open(os.path.join(HERE, "README.md"), "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    main()
