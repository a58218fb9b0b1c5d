#!/usr/bin/env python3
"""Step 1 of training the static table (see train_static.py): the transformer's embeddings of
dev-pool sentences, the regression targets. Reads ../shared/data/dev (reserved packages
excluded), splits sentences (3–60 words), keeps at most --max sentences (seeded sample), embeds
them with the batched NumPy forward on weights.bin, and writes an .npz with the token ids and
the 384-d unit embeddings.

Usage: python Scripts/minilm/tokenlearn_targets.py OUT.npz [--max 40000] [--data ../shared/data/dev]
"""
import argparse, csv, pathlib, re, sys, time
import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import batched  # noqa: E402
from static_common import ROOT, dequantised_weights, is_reserved, tokenizer  # noqa: E402

SEED = 5


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--max", type=int, default=40000)
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/dev"))
    args = ap.parse_args()
    data = pathlib.Path(args.data)
    sentences = []
    for r in csv.DictReader((data / "manifest.csv").open()):
        if r["kind"] != "text" or is_reserved(r["source_package"]):
            continue
        text = re.sub(r"\s+", " ", (data / r["path"]).read_text(encoding="utf-8", errors="replace"))
        sentences += [s for s in re.split(r"(?<=[.!?;:])\s+", text) if 3 <= len(s.split()) <= 60]
    rng = np.random.RandomState(SEED)
    pick = rng.choice(len(sentences), size=min(args.max, len(sentences)), replace=False)
    chosen = [sentences[i] for i in sorted(pick)]
    tok = tokenizer()
    ids = [e.ids[:256] for e in tok.encode_batch(chosen)]
    t = time.time()
    emb = batched.embed_many(dequantised_weights(), ids)
    flat = np.concatenate([np.array(x[1:-1], np.int32) for x in ids])
    lengths = np.array([len(x) - 2 for x in ids], np.int32)
    np.savez(args.out, ids=flat, lengths=lengths, embeddings=emb.astype(np.float32))
    print(f"{len(chosen)} of {len(sentences)} sentences embedded in {time.time() - t:.0f} s -> {args.out}")


if __name__ == "__main__":
    main()
