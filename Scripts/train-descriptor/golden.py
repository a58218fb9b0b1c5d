"""Golden fixtures for the Swift forward pass (Tests/HashmarkNeuralTests/ImageDescriptorGoldenTests):

    python3 Scripts/train-descriptor/golden.py --model-dir Models/image-descriptor \
        --checkpoint /tmp/descriptor.pt --fixtures Tests/Fixtures/descriptor [--make-images]

`--make-images` (once) writes 24 small PNGs made from bundled Corpus images (area-downscaled to
48–160 px, several aspect ratios; licences as in Corpus/manifest.csv). The reference is the PyTorch
model with its batch norms unfolded, on the numpy area resize rounded to bytes, exactly the input
definition the Swift code implements; the expected vectors go to golden.json with the sha256 of the
weights they belong to.
"""
import argparse, csv, json, os, sys
import cv2
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import augment
from model import INPUT_SIZE, Descriptor, normalise

SIDES = [48, 80, 111, 128, 160, 203]


def make_images(fixtures, corpus="Corpus"):
    rows = [r for r in csv.DictReader(open(os.path.join(corpus, "manifest.csv"))) if r["path"].startswith("images/")]
    rows = sorted(rows, key=lambda r: r["path"])
    rows = [rows[i * len(rows) // 24] for i in range(min(24, len(rows)))]
    out = []
    for i, r in enumerate(rows):
        img = cv2.imread(os.path.join(corpus, r["path"]), cv2.IMREAD_COLOR)
        side = SIDES[i % len(SIDES)]
        s = side / max(img.shape[:2])
        img = cv2.resize(img, (max(1, round(img.shape[1] * s)), max(1, round(img.shape[0] * s))),
                         interpolation=cv2.INTER_AREA)
        name = f"d{i:02d}-" + os.path.splitext(os.path.basename(r["path"]))[0][:40] + ".png"
        cv2.imwrite(os.path.join(fixtures, name), img)
        out.append({"file": name, "from": r["path"], "licence": r["license"], "owner": r["owner"]})
    with open(os.path.join(fixtures, "sources.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--make-images", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.fixtures, exist_ok=True)
    if args.make_images:
        make_images(args.fixtures)
    m = Descriptor()
    m.load_state_dict(torch.load(args.checkpoint, map_location="cpu", weights_only=True))
    m.eval()
    manifest = json.load(open(os.path.join(args.model_dir, "model.json")))
    entries = []
    for name in sorted(f for f in os.listdir(args.fixtures) if f.endswith(".png")):
        rgb = cv2.imread(os.path.join(args.fixtures, name), cv2.IMREAD_COLOR)[..., ::-1]
        x = augment.u8(augment.area_resize(np.ascontiguousarray(rgb), INPUT_SIZE, INPUT_SIZE))
        with torch.no_grad():
            v = m(normalise(x[None]))[0].numpy()
        entries.append({"file": name, "descriptor": [round(float(a), 7) for a in v]})
    with open(os.path.join(args.fixtures, "golden.json"), "w") as f:
        json.dump({"model": manifest["model"], "weightsSha256": manifest["weightsSha256"],
                   "reference": f"PyTorch {torch.__version__}, batch norms unfolded", "entries": entries}, f)
        f.write("\n")
    print(f"{len(entries)} golden descriptors")


if __name__ == "__main__":
    main()
