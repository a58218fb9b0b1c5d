"""Train Hashmark's image copy descriptor on CPU (SSCD-style).

    python3 Scripts/train-descriptor/train.py --data ../shared/data/dev --out /tmp/descriptor.pt
    python3 Scripts/train-descriptor/train.py --data ../shared/data/dev --data /work/train-pool --out /tmp/d.pt

`--data` may be given several times (a folder with a manifest.csv each: the dev pool, and the
pictures `build-train-pool.py` collects from Debian packages that no evaluation uses); validation
works are held out of the first folder only, so its held-out set stays the same.

Two views of each work per batch (the work as registered, and a copy through `augment.strong_view`),
InfoNCE over the batch (temperature 0.05) plus a KoLeo entropy term that spreads the descriptors.
Stem and the first three blocks stay as pretrained; every batch norm stays frozen (folded at export).
Whole works are held out for validation (`--val-fraction`, chosen by a hash of the file name).
Reserved packages of ../shared/data/README.md are refused, whatever the manifest says.
"""
import argparse, csv, hashlib, math, os, sys, time
import cv2
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import augment
from model import INPUT_SIZE, from_export, normalise, pretrained

RESERVED = ("tuxpaint-stamps-default", "plasma-workspace-wallpapers", "supertux-data", "lincity-ng-data",
            "extremetuxracer-data", "hugin-data", "kstars-data", "ukui-wallpapers", "gnome-backgrounds",
            "desktop-base", "debian-edu-artwork", "xfdesktop4-data", "sway-backgrounds", "imagemagick-6-doc",
            "mypaint-data-extras", "dasher-data")
MAX_SIDE = 320


def load_works(folder, prefix=""):
    """(prefix + path, RGB or RGBA uint8) of every image of the folder's manifest, longest side ≤ MAX_SIDE."""
    works = []
    with open(os.path.join(folder, "manifest.csv")) as f:
        for row in csv.DictReader(f):
            if row["kind"] != "image":
                continue
            if any(p in row["source_package"] for p in RESERVED):
                raise SystemExit(f"reserved package in training data: {row['path']}")
            img = augment.read_rgb(os.path.join(folder, row["path"]))
            if img is None:
                continue
            if img.shape[2] == 4 and img[..., 3].min() == 255:
                img = np.ascontiguousarray(img[..., :3])
            s = MAX_SIDE / max(img.shape[:2])
            if s < 1:
                img = cv2.resize(img, (max(1, round(img.shape[1] * s)), max(1, round(img.shape[0] * s))),
                                 interpolation=cv2.INTER_AREA)
            works.append((prefix + row["path"], img))
    return works


def is_validation(name, fraction):
    return int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) / 2**32 < fraction


def batch_tensor(images):
    x = np.stack([augment.u8(augment.area_resize(i, INPUT_SIZE, INPUT_SIZE)) for i in images])
    return normalise(x)


def koleo(z):
    """Kozachenko–Leonenko entropy estimate: −mean log of each vector's nearest-neighbour distance."""
    d = torch.cdist(z, z) + torch.eye(len(z)) * 1e9
    return -torch.log(d.min(dim=1).values + 1e-8).mean()


def info_nce(a, b, t):
    z = torch.cat([a, b])
    s = z @ z.T / t
    s.fill_diagonal_(-1e9)
    n = len(a)
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(s, target)


@torch.no_grad()
def evaluate(model, works, val_idx, rng, photos, queries=3):
    """Top-1 retrieval of strong copies of validation works among all works' registered descriptors."""
    model.eval()
    refs = []
    for i in range(0, len(works), 64):
        refs.append(model(batch_tensor([augment.over_white(w) for _, w in works[i:i + 64]])))
    refs = torch.cat(refs)
    hits, pos, neg = 0, [], []
    for i in val_idx:
        q = model(batch_tensor([augment.strong_view(works[i][1], rng, photos) for _ in range(queries)]))
        s = q @ refs.T
        pos += s[:, i].tolist()
        s[:, i] = -1
        neg += s.max(dim=1).values.tolist()
        hits += int((q @ refs.T).argmax(dim=1).eq(i).sum())
    # The model stays in eval mode: batch norms use their stored statistics throughout training,
    # so what is exported (folded) is what was trained. (Until 2026-12-06 this put the model back
    # in train mode, so training after the first validation normalised by batch statistics;
    # hashmark-descriptor-1 was trained that way.)
    return hits / (len(val_idx) * queries), float(np.median(pos)), float(np.percentile(pos, 10)), float(np.max(neg))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", action="append", help="a folder with manifest.csv (repeatable; default ../shared/data/dev)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--init", help="an exported model folder to go on from (e.g. Models/image-descriptor) "
                                   "instead of the ImageNet trunk and a random projection")
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--temperature", type=float, default=0.05)
    ap.add_argument("--koleo", type=float, default=0.3)
    ap.add_argument("--val-fraction", type=float, default=0.15)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--eval-every", type=int, default=5, help="epochs between validations")
    ap.add_argument("--max-steps", type=int, default=0, help="stop early (smoke runs)")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    t0 = time.time()
    folders = args.data or ["../shared/data/dev"]
    works = load_works(folders[0])
    first = len(works)
    for folder in folders[1:]:
        works += load_works(folder, prefix=os.path.basename(os.path.normpath(folder)) + ":")
    val_idx = [i for i, (n, _) in enumerate(works[:first]) if is_validation(n, args.val_fraction)]
    train_idx = [i for i in range(len(works)) if i not in set(val_idx)]
    photos = [w for i, (_, w) in enumerate(works) if w.shape[2] == 3 and i in set(train_idx)]
    print(f"{len(works)} works: {len(train_idx)} train, {len(val_idx)} held out; loaded in {time.time() - t0:.0f} s",
          flush=True)

    model = from_export(args.init) if args.init else pretrained()
    frozen = ["_conv_stem", "_bn0"] + [f"_blocks.{i}." for i in range(3)]
    params = []
    for name, p in model.named_parameters():
        if any(name.startswith(f) for f in frozen) or "_bn" in name:
            p.requires_grad = False
        else:
            params.append(p)
    if not args.init:
        torch.nn.init.orthogonal_(model.projection.weight, generator=torch.Generator().manual_seed(args.seed))
        torch.nn.init.zeros_(model.projection.bias)
    model.eval()  # batch norms frozen throughout; nothing else depends on the mode
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=1e-4)
    steps_per_epoch = len(train_idx) // args.batch
    total = args.epochs * steps_per_epoch
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 50) * 0.5 * (1 + math.cos(math.pi * s / total)))
    vrng = np.random.default_rng(12345)
    acc = evaluate(model, works, val_idx, vrng, photos)
    print(f"before: top-1 {acc[0]:.3f}, positive cosine median {acc[1]:.3f} p10 {acc[2]:.3f}, best negative {acc[3]:.3f}", flush=True)
    step = 0
    for epoch in range(args.epochs):
        order = rng.permutation(train_idx)
        for b in range(steps_per_epoch):
            idx = order[b * args.batch:(b + 1) * args.batch]
            ta = time.time()
            a = batch_tensor([augment.light_view(works[i][1], rng) for i in idx])
            v = batch_tensor([augment.strong_view(works[i][1], rng, photos) for i in idx])
            tb = time.time()
            za, zb = model(a), model(v)
            loss_nce = info_nce(za, zb, args.temperature)
            loss_ent = koleo(torch.cat([za, zb]))
            loss = loss_nce + args.koleo * loss_ent
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if step % 10 == 0:
                print(f"epoch {epoch} step {step}/{total} nce {loss_nce.item():.3f} koleo {loss_ent.item():.3f} "
                      f"(augment {tb - ta:.1f} s, model {time.time() - tb:.1f} s; {time.time() - t0:.0f} s)", flush=True)
            if args.max_steps and step >= args.max_steps:
                break
        torch.save(model.state_dict(), args.out)
        if (epoch + 1) % args.eval_every and epoch + 1 != args.epochs:
            continue
        acc = evaluate(model, works, val_idx, np.random.default_rng(12345), photos)
        print(f"epoch {epoch}: top-1 {acc[0]:.3f}, positive cosine median {acc[1]:.3f} p10 {acc[2]:.3f}, "
              f"best negative {acc[3]:.3f}; {time.time() - t0:.0f} s", flush=True)
        if args.max_steps and step >= args.max_steps:
            break
    print(f"wall time {time.time() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
