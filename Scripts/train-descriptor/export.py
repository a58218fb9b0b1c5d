"""Write a trained descriptor checkpoint as Hashmark's own files (format hashmark.weights/1):

    python3 Scripts/train-descriptor/export.py --checkpoint /tmp/descriptor.pt --out Models/image-descriptor \
        --model-id hashmark-descriptor-1

Batch norms are folded into the convolutions (w·γ/√(σ²+ε), β − μ·γ/√(σ²+ε)); tensors are float32
little-endian in PyTorch's layouts: `stem.weight` [32, 27] (patch order ky, kx, channel),
`blocks.N.{expand,project}.weight` [out, in], `blocks.N.depthwise.weight` [c, k, k], `head`,
`projection`. model.json carries the architecture, the tensor table and the sha256 of weights.bin.

`--background DIR` (a pool folder with manifest.csv, e.g. ../shared/data/dev) also writes
background.bin: the descriptors of its images (transparent ones over white), little-endian float32,
one row each. The matcher scores a pair by its cosine minus the query's `rank`-th highest cosine
with this set (SSCD's similarity normalisation): a submission that resembles everything (a sketch,
a flat render) needs more than one that resembles nothing.
"""
import argparse, csv, hashlib, json, os, sys
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import augment
from model import BLOCKS, EMBED_DIM, HEAD_CHANNELS, INPUT_SIZE, Descriptor, normalise


def fold(conv_w, bn):
    s = bn.weight / torch.sqrt(bn.running_var + bn.eps)
    return conv_w * s.reshape(-1, *([1] * (conv_w.dim() - 1))), bn.bias - bn.running_mean * s


def tensors(m):
    out = []
    w, b = fold(m._conv_stem.weight, m._bn0)
    out += [("stem.weight", w.permute(0, 2, 3, 1).reshape(w.shape[0], -1)), ("stem.bias", b)]
    for i, blk in enumerate(m._blocks):
        if blk.expand != 1:
            w, b = fold(blk._expand_conv.weight, blk._bn0)
            out += [(f"blocks.{i}.expand.weight", w[:, :, 0, 0]), (f"blocks.{i}.expand.bias", b)]
        w, b = fold(blk._depthwise_conv.weight, blk._bn1)
        out += [(f"blocks.{i}.depthwise.weight", w[:, 0]), (f"blocks.{i}.depthwise.bias", b)]
        w, b = fold(blk._project_conv.weight, blk._bn2)
        out += [(f"blocks.{i}.project.weight", w[:, :, 0, 0]), (f"blocks.{i}.project.bias", b)]
    w, b = fold(m._conv_head.weight, m._bn1)
    out += [("head.weight", w[:, :, 0, 0]), ("head.bias", b)]
    out += [("projection.weight", m.projection.weight), ("projection.bias", m.projection.bias)]
    return [(n, t.detach().float().contiguous().numpy()) for n, t in out]


def background(m, folder):
    """Descriptors of every image of `folder`'s manifest (transparent ones over white), as Hashmark
    registers works: decoded, area-resized to the input, rounded to bytes."""
    rows = []
    for row in csv.DictReader(open(os.path.join(folder, "manifest.csv"))):
        if row.get("kind", "image") != "image" or not row["path"].startswith("images/"):
            continue
        img = augment.read_rgb(os.path.join(folder, row["path"]))
        if img is None:
            continue
        rows.append(augment.u8(augment.area_resize(augment.over_white(img), INPUT_SIZE, INPUT_SIZE)))
    out = []
    with torch.no_grad():
        for i in range(0, len(rows), 64):
            out.append(m(normalise(np.stack(rows[i:i + 64]))).numpy())
    return np.concatenate(out).astype("<f4")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--model-id", required=True)
    ap.add_argument("--background", help="pool folder whose images become background.bin")
    ap.add_argument("--rank", type=int, default=3, help="which highest background cosine is subtracted")
    args = ap.parse_args()
    m = Descriptor()
    m.load_state_dict(torch.load(args.checkpoint, map_location="cpu", weights_only=True))
    m.eval()
    os.makedirs(args.out, exist_ok=True)
    blob, table = bytearray(), []
    for name, t in tensors(m):
        table.append({"name": name, "dtype": "float32", "shape": list(t.shape), "offset": len(blob)})
        blob += t.astype("<f4").tobytes()
    with open(os.path.join(args.out, "weights.bin"), "wb") as f:
        f.write(blob)
    manifest = {
        "format": "hashmark.weights/1",
        "model": args.model_id,
        "architecture": {"input": INPUT_SIZE, "mean": 127.5, "scale": 128.0, "stemChannels": 32,
                         "blocks": [list(b) for b in BLOCKS], "headChannels": HEAD_CHANNELS,
                         "dimension": EMBED_DIM, "gemP": m.gem_p, "activation": "relu6"},
        "tensors": table,
        "weightsSha256": hashlib.sha256(blob).hexdigest(),
    }
    if args.background:
        vectors = background(m, args.background)
        data = vectors.tobytes()
        with open(os.path.join(args.out, "background.bin"), "wb") as f:
            f.write(data)
        manifest["background"] = {"count": len(vectors), "rank": args.rank, "sha256": hashlib.sha256(data).hexdigest(),
                                  "source": os.path.basename(os.path.normpath(args.background)) + " pool images, over white"}
    with open(os.path.join(args.out, "model.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(f"{len(table)} tensors, {len(blob)} bytes, weights sha256 {manifest['weightsSha256']}")


if __name__ == "__main__":
    main()
