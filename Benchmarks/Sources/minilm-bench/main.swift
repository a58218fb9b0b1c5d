// minilm-bench: HashmarkNeural's all-MiniLM-L6-v2 forward pass, sentences per second on one thread.
//
//   minilm-bench [--reps N] [--out FILE] MODEL_DIR IDS_FILE
//
// MODEL_DIR holds model.json and weights.bin; IDS_FILE has one input per line (token ids separated
// by spaces, [CLS] … [SEP]). For each way of computing (the default: int8 weight panels times
// activations rounded to int16, where the CPU has AVX-512 VNNI; int8 panels turned into float32 as
// each GEMM needs them; float32 dequantised once at load) it prints one JSON object: the
// weights' resident bytes, the load time, and sentences/s from the sum over inputs of each input's
// best thread-CPU time over N reps (robust to other processes on a shared machine; minilm_bench.py
// times onnxruntime the same way). --out writes the embeddings (little-endian float32, one row per
// input) of the default mode, for the driver's accuracy comparison.

import Foundation
@_spi(Testing) import HashmarkNeural

var args = Array(CommandLine.arguments.dropFirst())
var reps = 5
var outPath: String?
while let flag = args.first, flag.hasPrefix("--"), args.count >= 2 {
    if flag == "--reps" { reps = max(1, Int(args[1]) ?? reps) } else if flag == "--out" { outPath = args[1] }
    args.removeFirst(2)
}
guard args.count == 2,
      let manifest = FileManager.default.contents(atPath: args[0] + "/model.json"),
      let weights = FileManager.default.contents(atPath: args[0] + "/weights.bin"),
      let idsText = try? String(contentsOfFile: args[1], encoding: .utf8) else {
    FileHandle.standardError.write(Data("usage: minilm-bench [--reps N] [--out FILE] MODEL_DIR IDS_FILE\n".utf8))
    exit(2)
}
let inputs: [[Int32]] = idsText.split(separator: "\n").map { $0.split(separator: " ").compactMap { Int32($0) } }

func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

let modes: [(once: Bool, int16: Bool, name: String)] = [
    (false, true, NeuralKernels.int16Available ? "int8 panels, int16 activations (VNNI)"
        : "int8 panels, int16 activations asked (no VNNI here: float32)"),
    (false, false, "int8 panels dequantised per GEMM, float32"),
    (true, false, "float32 dequantised once"),
]
for (once, int16, name) in modes {
    let t0 = cpuSeconds()
    let model: MiniLM
    do { model = try MiniLM(manifest: manifest, weights: weights, dequantiseOnce: once, int16Activations: int16) } catch {
        FileHandle.standardError.write(Data("minilm-bench: \(error)\n".utf8))
        exit(1)
    }
    let load = cpuSeconds() - t0
    var total = 0.0
    var embeddings: [Float] = []
    for ids in inputs { embeddings += try model.embed(tokenIDs: ids) }  // also warms up
    for ids in inputs {
        var best = Double.infinity
        for _ in 0..<reps {
            let s = cpuSeconds()
            _ = try model.embed(tokenIDs: ids)
            best = min(best, cpuSeconds() - s)
        }
        total += best
    }
    let tokens = inputs.reduce(0) { $0 + $1.count }
    print("{\"mode\": \"\(name)\", "
          + "\"residentWeightBytes\": \(model.residentBytes), \"loadSeconds\": \(String(format: "%.3f", load)), "
          + "\"inputs\": \(inputs.count), \"meanTokens\": \(String(format: "%.1f", Double(tokens) / Double(inputs.count))), "
          + "\"sentencesPerSecond\": \(String(format: "%.1f", Double(inputs.count) / total)), "
          + "\"msPerSentence\": \(String(format: "%.3f", 1000 * total / Double(inputs.count)))}")
    if int16, let outPath {
        let data = embeddings.withUnsafeBufferPointer { Data(buffer: $0) }
        FileManager.default.createFile(atPath: outPath, contents: data)
    }
}
