"""The NumPy reference of all-MiniLM-L6-v2 (BERT encoder, mean pooling, L2 normalisation), as
sentence-transformers computes it: the oracle the Swift forward pass is golden-tested against.

`weights` maps the safetensors names to float32 arrays; pass the original weights for the model
as published, or `dequantised(...)` ones for exactly what Hashmark's weight file holds."""
import math
import numpy as np

LAYERS, HEADS, HIDDEN, EPS = 6, 12, 384, 1e-12


def layer_norm(x, g, b):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + EPS) * g + b


def gelu(x):
    # BERT's "gelu": the exact erf form.
    erf = np.vectorize(math.erf, otypes=[np.float64])
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def embed(weights, ids):
    """Token ids (with [CLS] … [SEP]) -> the L2-normalised 384-d sentence embedding (float64)."""
    w = {k: v.astype(np.float64) for k, v in weights.items()}
    n = len(ids)
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n] \
        + w["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    d = HIDDEN // HEADS
    for l in range(LAYERS):
        p = f"encoder.layer.{l}."
        lin = lambda name, v: v @ w[p + name + ".weight"].T + w[p + name + ".bias"]
        q = lin("attention.self.query", x).reshape(n, HEADS, d).transpose(1, 0, 2)
        k = lin("attention.self.key", x).reshape(n, HEADS, d).transpose(1, 0, 2)
        v = lin("attention.self.value", x).reshape(n, HEADS, d).transpose(1, 0, 2)
        s = q @ k.transpose(0, 2, 1) / math.sqrt(d)
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        a = (s @ v).transpose(1, 0, 2).reshape(n, HIDDEN)
        x = layer_norm(lin("attention.output.dense", a) + x,
                       w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
        h = gelu(lin("intermediate.dense", x))
        x = layer_norm(lin("output.dense", h) + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
    pooled = x.mean(0)
    return pooled / max(np.linalg.norm(pooled), 1e-12)
