"""How far MiniLM's embeddings move when every linear layer's input is quantised per token
(symmetric, BITS bits), against the float forward pass of the same int8 weights: the question
whether an integer (VNNI) matrix product could replace the float one. NumPy only.

    python3 Scripts/minilm/activation_quantisation.py      # needs safetensors (embedding_goldens)

Prints min / mean / 5th-percentile cosine over the golden sentences of Tests/Fixtures/minilm for
8-bit, 8-bit except the FFN output projection, and 16-bit activations."""
import math
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import reference as R  # noqa: E402
from embedding_goldens import dequantised_weights  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]


def embed(W, ids, quant):
    n = len(ids)
    x = W["embeddings.word_embeddings.weight"][ids] + W["embeddings.position_embeddings.weight"][:n] \
        + W["embeddings.token_type_embeddings.weight"][0]
    x = R.layer_norm(x, W["embeddings.LayerNorm.weight"], W["embeddings.LayerNorm.bias"])
    d = R.HIDDEN // R.HEADS
    for l in range(R.LAYERS):
        p = f"encoder.layer.{l}."
        lin = lambda name, v: quant(v, name) @ W[p + name + ".weight"].T + W[p + name + ".bias"]
        q = lin("attention.self.query", x).reshape(n, R.HEADS, d).transpose(1, 0, 2)
        k = lin("attention.self.key", x).reshape(n, R.HEADS, d).transpose(1, 0, 2)
        v = lin("attention.self.value", x).reshape(n, R.HEADS, d).transpose(1, 0, 2)
        s = q @ k.transpose(0, 2, 1) / math.sqrt(d)
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        a = (s @ v).transpose(1, 0, 2).reshape(n, R.HIDDEN)
        x = R.layer_norm(lin("attention.output.dense", a) + x,
                         W[p + "attention.output.LayerNorm.weight"], W[p + "attention.output.LayerNorm.bias"])
        h = R.gelu(lin("intermediate.dense", x))
        x = R.layer_norm(lin("output.dense", h) + x, W[p + "output.LayerNorm.weight"], W[p + "output.LayerNorm.bias"])
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


def main():
    W = {k: v.astype(np.float64) for k, v in dequantised_weights().items()}
    rows = [l.rstrip("\n").split("\t") for l in (ROOT / "Tests/Fixtures/minilm/embeddings.tsv").open()][1:]
    gold = np.fromfile(ROOT / "Tests/Fixtures/minilm/embeddings-dequantised.f32", "<f4").reshape(len(rows), R.HIDDEN)
    for bits, skip in [(8, ()), (8, ("output.dense",)), (16, ())]:
        qmax = 2 ** (bits - 1) - 1

        def quant(v, name):
            if name in skip:
                return v
            s = np.abs(v).max(-1, keepdims=True) / qmax
            s[s == 0] = 1
            return np.round(v / s) * s

        cos = np.array([embed(W, [int(t) for t in r[4].split()], quant) @ gold[i] for i, r in enumerate(rows)])
        print(f"{bits}-bit activations{' (not ' + ', '.join(skip) + ')' if skip else ''}: "
              f"cosine min {cos.min():.5f} mean {cos.mean():.5f} p5 {np.percentile(cos, 5):.5f} over {len(rows)} sentences")


if __name__ == "__main__":
    main()
