// descriptor-bench: HashmarkNeural's image descriptor (resize included), milliseconds per image on
// one thread.
//
//   descriptor-bench [--reps N] [--out FILE] MODEL_DIR IMAGE...
//
// Each image is decoded once (not timed); then `ImageDescriptorModel.embed(rgb:)` (area resize to
// the model's input, the network, L2) is timed as the best thread-CPU time over N reps, robust to
// other processes on a shared machine (descriptor_bench.py times PyTorch and onnxruntime the same
// way); `networkMsPerImage` times the network alone on a prepared input. Prints one JSON object; --out writes the descriptors (little-endian float32, one row per
// image) for the driver's accuracy comparison.

import Foundation
import HashmarkMedia
@_spi(Testing) import HashmarkNeural

var args = Array(CommandLine.arguments.dropFirst())
var reps = 5
var outPath: String?
while let flag = args.first, flag.hasPrefix("--"), args.count >= 2 {
    if flag == "--reps" { reps = max(1, Int(args[1]) ?? reps) } else if flag == "--out" { outPath = args[1] }
    args.removeFirst(2)
}
guard args.count >= 2,
      let manifest = FileManager.default.contents(atPath: args[0] + "/model.json"),
      let weights = FileManager.default.contents(atPath: args[0] + "/weights.bin") else {
    FileHandle.standardError.write(Data("usage: descriptor-bench [--reps N] [--out FILE] MODEL_DIR IMAGE...\n".utf8))
    exit(2)
}

func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

do {
    let model = try ImageDescriptorModel(manifestJSON: manifest, weights: weights)
    let images = try args.dropFirst().map { try ImageDecoder.decode(contentsOfFile: $0).image }
    var total = 0.0, worst = 0.0, network = 0.0
    var out: [Float] = []
    let zeros = [Float](repeating: 0, count: model.inputSize * model.inputSize * 3)
    for image in images {
        var bestNetwork = Double.infinity
        for _ in 0..<(reps + 1) {
            let s = cpuSeconds()
            _ = model.embed(normalised: zeros)
            bestNetwork = min(bestNetwork, cpuSeconds() - s)
        }
        network += bestNetwork
        var best = Double.infinity
        var v: [Float] = []
        for _ in 0..<(reps + 1) {  // the first run warms up
            let s = cpuSeconds()
            v = try image.pixels.withUnsafeBufferPointer { try model.embed(rgb: $0, width: image.width, height: image.height) }
            best = min(best, cpuSeconds() - s)
        }
        total += best
        worst = max(worst, best)
        out += v
    }
    print("{\"images\": \(images.count), \"model\": \"\(model.id)\", \"msPerImage\": \(String(format: "%.3f", 1000 * total / Double(images.count))), "
          + "\"worstMs\": \(String(format: "%.3f", 1000 * worst)), "
          + "\"networkMsPerImage\": \(String(format: "%.3f", 1000 * network / Double(images.count)))}")
    if let outPath {
        let bytes = out.withUnsafeBufferPointer { Data(buffer: $0) }
        try bytes.write(to: URL(fileURLWithPath: outPath))
    }
} catch {
    FileHandle.standardError.write(Data("descriptor-bench: \(error)\n".utf8))
    exit(1)
}
