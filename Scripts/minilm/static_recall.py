#!/usr/bin/env python3
"""Recall of the paraphrase first stage (static table) against the exact transformer scan.

Corpus: every sentence of Corpus/texts (reserved packages excluded). Queries: the sentences of
the language-model paraphrase fixtures (Tests/Fixtures/paraphrase, when present) and of dev-pool
texts by the same authors (../shared/data/dev: Austen, Spurgeon, Melville chunks not in the
Corpus). A relevant pair is a (query, corpus) sentence pair whose transformer cosine is at least
`--seed` (the aligner's seed threshold); it is recalled when the corpus sentence is among the
query's `k` nearest by static cosine. Prints recall@k for several k and the pair counts.

Usage: python Scripts/minilm/static_recall.py [--seed 0.6] [--dev-files 40]
"""
import argparse, csv, pathlib, re, sys
import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import batched  # noqa: E402
from distill_static import MODEL, ROOT, dequantised_weights, is_reserved, tokenizer  # noqa: E402


def sentences(text):
    text = re.sub(r"\s+", " ", text)
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 3]


def static_table():
    info = (MODEL / "static.json").read_text()
    import json
    info = json.loads(info)
    blob = (MODEL / "static.bin").read_bytes()
    v, d = info["vocab"], info["dims"]
    q = np.frombuffer(blob, np.int8, v * d).reshape(v, d).astype(np.float32)
    s = np.frombuffer(blob, "<f4", v, v * d)
    return q * s[:, None]


def static_embed(table, id_lists):
    out = np.stack([table[ids[1:-1]].sum(0) if len(ids) > 2 else np.zeros(table.shape[1]) for ids in id_lists])
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=float, default=0.6)
    ap.add_argument("--dev-files", type=int, default=40)
    args = ap.parse_args()
    tok = tokenizer()
    ids = lambda ss: [e.ids[:256] for e in tok.encode_batch(ss)]
    corpus = []
    for r in csv.DictReader((ROOT / "Corpus/manifest.csv").open()):
        if r["path"].startswith("texts/") and not is_reserved(r["source_package"]):
            corpus += sentences((ROOT / "Corpus" / r["path"]).read_text(encoding="utf-8"))
    queries = []
    fixtures = ROOT / "Tests/Fixtures/paraphrase"
    for m in sorted(fixtures.glob("manifest*.csv")):
        for r in csv.DictReader(m.open()):
            queries += sentences((fixtures / r["file"]).read_text(encoding="utf-8"))
    nfix = len(queries)
    dev = ROOT.parent / "shared/data/dev"
    rows = [r for r in csv.DictReader((dev / "manifest.csv").open())
            if r["kind"] == "text" and r["source_package"] in ("deb:r-cran-janeaustenr", "deb:sword-comm-tdavid", "deb:r-cran-tokenizers")]
    for r in rows[: args.dev_files]:
        queries += sentences((dev / r["path"]).read_text(encoding="utf-8"))[:60]
    print(f"corpus {len(corpus)} sentences; queries {len(queries)} ({nfix} from fixtures)")
    w = dequantised_weights()
    cid, qid = ids(corpus), ids(queries)
    ce, qe = batched.embed_many(w, cid), batched.embed_many(w, qid)
    table = static_table()
    cs, qs = static_embed(table, cid), static_embed(table, qid)
    exact, approx = qe @ ce.T, qs @ cs.T
    relevant = exact >= args.seed
    n = int(relevant.sum())
    print(f"relevant pairs (cosine >= {args.seed}): {n}; queries with one: {int(relevant.any(1).sum())}")
    rank = (-approx).argsort(1)
    for k in (5, 10, 20, 50, 100, 200):
        top = np.zeros_like(relevant)
        np.put_along_axis(top, rank[:, :k], True, 1)
        print(f"recall@{k}: {(relevant & top).sum() / max(n, 1):.4f}")
    for t in (0.3, 0.4, 0.5, 0.6):
        sel = approx >= t
        print(f"static >= {t}: recall {(relevant & sel).sum() / max(n, 1):.4f}, {sel.sum() / len(queries):.1f} candidates a query")


if __name__ == "__main__":
    main()
