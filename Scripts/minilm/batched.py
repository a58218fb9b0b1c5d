"""A batched NumPy forward of all-MiniLM-L6-v2 (padded batches with an attention mask), for the
distillation of the static table and the first stage's recall measurement, where thousands of
sentences make `reference.embed` (one sentence at a time, exact erf) too slow. GELU's erf is the
Abramowitz–Stegun 7.1.26 approximation (absolute error ≤ 1.5e-7); float32 throughout. The golden
tests keep using `reference.embed`."""
import math
import numpy as np
from reference import LAYERS, HEADS, HIDDEN, layer_norm


def erf(x):
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-a * a)
    return s * y


def forward(w, ids, mask):
    """ids, mask: int arrays [B, L] (mask 1 for real tokens) -> L2-normalised embeddings [B, 384]."""
    b, n = ids.shape
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n][None] \
        + w["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"]).astype(np.float32)
    d = HIDDEN // HEADS
    bias = ((1.0 - mask[:, None, None, :]) * -1e9).astype(np.float32)
    for l in range(LAYERS):
        p = f"encoder.layer.{l}."
        lin = lambda name, v: v @ w[p + name + ".weight"].T + w[p + name + ".bias"]
        heads = lambda v: v.reshape(b, n, HEADS, d).transpose(0, 2, 1, 3)
        q, k, v = heads(lin("attention.self.query", x)), heads(lin("attention.self.key", x)), heads(lin("attention.self.value", x))
        s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(d) + bias
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        a = (s @ v).transpose(0, 2, 1, 3).reshape(b, n, HIDDEN)
        x = layer_norm(lin("attention.output.dense", a) + x,
                       w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
        h = lin("intermediate.dense", x)
        h = 0.5 * h * (1.0 + erf(h / math.sqrt(2.0)))
        x = layer_norm(lin("output.dense", h) + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        x = x.astype(np.float32)
    m = mask[:, :, None].astype(np.float32)
    pooled = (x * m).sum(1) / np.maximum(m.sum(1), 1)
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def embed_many(w, id_lists, batch=64):
    """Embeddings of many token-id lists ([CLS] … [SEP] each), batched by similar length."""
    order = sorted(range(len(id_lists)), key=lambda i: len(id_lists[i]))
    out = np.zeros((len(id_lists), HIDDEN), np.float32)
    for s in range(0, len(order), batch):
        idx = order[s:s + batch]
        n = max(len(id_lists[i]) for i in idx)
        ids = np.zeros((len(idx), n), np.int64)
        mask = np.zeros((len(idx), n), np.int64)
        for r, i in enumerate(idx):
            ids[r, :len(id_lists[i])] = id_lists[i]
            mask[r, :len(id_lists[i])] = 1
        out[idx] = forward(w, ids, mask)
    return out
