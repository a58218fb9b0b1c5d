#!/usr/bin/env python3
"""Hashmark's image descriptor in Swift against the same model in PyTorch and onnxruntime, on CPU,
one thread each, in the same run and on the same images (resize included everywhere):

    (cd Benchmarks && swift build -c release -Xswiftc -target-cpu -Xswiftc native)
    python3 Benchmarks/Sources/descriptor-bench/descriptor_bench.py [--images 40] [--reps 5]

The reference networks are built from Models/image-descriptor's own files (folded batch norms:
convolutions with biases), so all three compute one function; the input is the numpy area resize
of Scripts/train-descriptor/augment.py rounded to bytes. Prints ms per image for each, the ratios,
and the largest difference of Swift's descriptors from PyTorch's (needs torch, onnx, onnxruntime,
opencv-python-headless; Scripts/train-descriptor/requirements.txt pins them).
"""
import argparse, glob, io, json, os, subprocess, sys, tempfile, time
import cv2
import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
sys.path.insert(0, os.path.join(ROOT, "Scripts/train-descriptor"))
import augment  # noqa: E402


class Folded(torch.nn.Module):
    """The descriptor from model.json + weights.bin: conv + bias, ReLU6, GeM, linear, L2."""

    def __init__(self, folder):
        super().__init__()
        m = json.load(open(os.path.join(folder, "model.json")))
        blob = open(os.path.join(folder, "weights.bin"), "rb").read()
        t = {e["name"]: torch.from_numpy(np.frombuffer(blob, "<f4", count=int(np.prod(e["shape"])),
                                                       offset=e["offset"]).reshape(e["shape"]).copy())
             for e in m["tensors"]}
        a = m["architecture"]
        self.blocks, self.t, self.a = a["blocks"], t, a
        self.stem = t["stem.weight"].reshape(a["stemChannels"], 3, 3, 3).permute(0, 3, 1, 2).contiguous()

    def forward(self, x):
        t = self.t
        x = F.relu6(F.conv2d(x, self.stem, t["stem.bias"], 2, 1))
        for i, (e, k, s, cin, cout) in enumerate(self.blocks):
            y = x
            if e != 1:
                y = F.relu6(F.conv2d(y, t[f"blocks.{i}.expand.weight"][:, :, None, None], t[f"blocks.{i}.expand.bias"]))
            w = t[f"blocks.{i}.depthwise.weight"][:, None]
            y = F.relu6(F.conv2d(y, w, t[f"blocks.{i}.depthwise.bias"], s, k // 2, groups=w.shape[0]))
            y = F.conv2d(y, t[f"blocks.{i}.project.weight"][:, :, None, None], t[f"blocks.{i}.project.bias"])
            x = x + y if s == 1 and cin == cout else y
        x = F.relu6(F.conv2d(x, t["head.weight"][:, :, None, None], t["head.bias"]))
        g = x.clamp(min=1e-6).pow(3).mean(dim=(2, 3)).pow(1 / 3)
        return F.normalize(F.linear(g, t["projection.weight"], t["projection.bias"]), dim=1)


def prepare(rgb, size, mean, scale):
    """The exact input (numpy area resize, rounded): for the accuracy comparison."""
    x = augment.u8(augment.area_resize(rgb, size, size)).astype(np.float32)
    return np.ascontiguousarray(((x - mean) / scale).transpose(2, 0, 1)[None])


def prepare_fast(rgb, size, mean, scale):
    """OpenCV's area resize (C++, SIMD; not bit-identical to ours): what the timings include."""
    x = cv2.resize(rgb, (size, size), interpolation=cv2.INTER_AREA).astype(np.float32)
    return np.ascontiguousarray(((x - mean) / scale).transpose(2, 0, 1)[None])


def best_of(f, reps):
    best = float("inf")
    for _ in range(reps + 1):
        s = time.thread_time()
        out = f()
        best = min(best, time.thread_time() - s)
    return best, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=os.path.join(ROOT, "Models/image-descriptor"))
    ap.add_argument("--images", type=int, default=40)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--bench", default=os.path.join(ROOT, "Benchmarks/.build/release/descriptor-bench"))
    args = ap.parse_args()
    torch.set_num_threads(1)
    files = sorted(glob.glob(os.path.join(ROOT, "Corpus/images/*")))[:args.images]
    a = json.load(open(os.path.join(args.model, "model.json")))["architecture"]
    net = Folded(args.model).eval()

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "swift.f32")
        swift = json.loads(subprocess.run([args.bench, "--reps", str(args.reps), "--out", out, args.model] + files,
                                          check=True, capture_output=True, text=True).stdout)
        swift_vectors = np.fromfile(out, "<f4").reshape(len(files), -1)
        onnx_path = os.path.join(tmp, "descriptor.onnx")
        torch.onnx.export(net, torch.zeros(1, 3, a["input"], a["input"]), onnx_path, opset_version=17)
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        session = ort.InferenceSession(onnx_path, so, providers=["CPUExecutionProvider"])

    # RGB as Hashmark decodes it: transparent pixels composited over white.
    rgbs = [np.ascontiguousarray(augment.over_white(augment.read_rgb(f))) for f in files]
    t_torch = t_ort = 0.0
    diffs, cosines, ort_diffs = [], [], []
    name = session.get_inputs()[0].name
    for rgb, sv in zip(rgbs, swift_vectors):
        x = prepare(rgb, a["input"], a["mean"], a["scale"])
        with torch.no_grad():
            v = net(torch.from_numpy(x))[0].numpy()
            dt, _ = best_of(lambda: net(torch.from_numpy(prepare_fast(rgb, a["input"], a["mean"], a["scale"])))[0].numpy(),
                            args.reps)
        t_torch += dt
        w = session.run(None, {name: x})[0][0]
        dt, _ = best_of(lambda: session.run(None, {name: prepare_fast(rgb, a["input"], a["mean"], a["scale"])})[0][0],
                        args.reps)
        t_ort += dt
        diffs.append(float(np.abs(sv - v).max()))
        cosines.append(float(sv @ v))
        ort_diffs.append(float(np.abs(w - v).max()))
    n = len(files)
    ms = {"swift": swift["msPerImage"], "pytorch": 1000 * t_torch / n, "onnxruntime": 1000 * t_ort / n}
    print(f"{n} images (Corpus/images), {a['input']} px input, one thread, best of {args.reps} reps each, "
          "resize included (Swift: its own; PyTorch and onnxruntime: OpenCV INTER_AREA)")
    for k, v in ms.items():
        print(f"  {k:12s} {v:7.2f} ms/image")
    print(f"  (Swift network alone {swift['networkMsPerImage']:.2f} ms)")
    print(f"  Swift / PyTorch time ratio {ms['swift'] / ms['pytorch']:.2f}, Swift / onnxruntime {ms['swift'] / ms['onnxruntime']:.2f}")
    print(f"  Swift vs PyTorch: max |diff| {max(diffs):.2e}, min cosine {min(cosines):.6f}; onnxruntime vs PyTorch max |diff| {max(ort_diffs):.2e}")
    print(f"  torch {torch.__version__}, onnxruntime {ort.__version__}, opencv {cv2.__version__}")


if __name__ == "__main__":
    main()
