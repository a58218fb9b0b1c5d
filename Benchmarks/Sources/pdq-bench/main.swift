// pdq-bench: median wall time of hashmark's exact and fast PDQ per decoded image (binary PPM),
// single thread. Prints one JSON object per file; pdq_bench.py runs the reference beside it.
//
//   pdq-bench [--reps N] FILE.ppm...

import Foundation
import HashmarkFingerprint

struct BenchError: Error, CustomStringConvertible { let description: String }

func readPPM(_ path: String) throws -> RGBImage {
    guard let data = FileManager.default.contents(atPath: path) else { throw BenchError(description: "cannot read \(path)") }
    let bytes = [UInt8](data)
    var pos = 0
    func token() -> String {
        while pos < bytes.count, bytes[pos] == 32 || (9...13).contains(bytes[pos]) { pos += 1 }
        let start = pos
        while pos < bytes.count, !(bytes[pos] == 32 || (9...13).contains(bytes[pos])) { pos += 1 }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }
    guard token() == "P6", let w = Int(token()), let h = Int(token()), token() == "255" else {
        throw BenchError(description: "\(path): not a binary 8-bit PPM")
    }
    pos += 1
    guard let image = RGBImage(width: w, height: h, pixels: Array(bytes[pos...])) else {
        throw BenchError(description: "\(path): size mismatch")
    }
    return image
}

func medianMilliseconds(reps: Int, _ body: () -> Void) -> Double {
    let clock = ContinuousClock()
    var samples: [Double] = []
    body() // warm-up
    for _ in 0..<reps {
        let d = clock.measure(body)
        samples.append(Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15)
    }
    samples.sort()
    return samples[samples.count / 2]
}

var args = Array(CommandLine.arguments.dropFirst())
var reps = 15
if let i = args.firstIndex(of: "--reps"), i + 1 < args.count, let n = Int(args[i + 1]) {
    reps = max(1, n)
    args.removeSubrange(i...(i + 1))
}
guard !args.isEmpty else {
    FileHandle.standardError.write(Data("usage: pdq-bench [--reps N] FILE.ppm...\n".utf8))
    exit(64)
}
for path in args {
    do {
        let image = try readPPM(path)
        var exact = PDQHash(hash: .zero, quality: 0)
        var exactDihedral: [Hash256] = []
        var fast = PDQHash(hash: .zero, quality: 0)
        let exactMs = medianMilliseconds(reps: reps) { exact = PDQ.hash(image) }
        let dihedralMs = medianMilliseconds(reps: reps) { exactDihedral = PDQ.hashWithDihedral(image).dihedral }
        let fastMs = medianMilliseconds(reps: reps) { fast = PDQ.fastHash(image).hash }
        // Stages of the exact path, and the SIMD filter against its scalar twin.
        let luma = PDQ.luma(image)
        let lumaMs = medianMilliseconds(reps: reps) { _ = PDQ.luma(image) }
        let windows = (PDQKernels.jaroszWindowSize(old: image.width, new: 64),
                       PDQKernels.jaroszWindowSize(old: image.height, new: 64))
        let filterMs = medianMilliseconds(reps: reps) {
            var b = luma
            PDQKernels.jaroszFilter(&b, rows: image.height, cols: image.width,
                                    windowAlongRows: windows.0, windowAlongCols: windows.1, passes: 2)
        }
        let filterScalarMs = medianMilliseconds(reps: reps) {
            var b = luma
            PDQKernels.jaroszFilterScalar(&b, rows: image.height, cols: image.width,
                                          windowAlongRows: windows.0, windowAlongCols: windows.1, passes: 2)
        }
        let object: [String: Any] = [
            "lumaMs": lumaMs, "filterMs": filterMs, "filterScalarMs": filterScalarMs,
            "file": path, "width": image.width, "height": image.height,
            "exactMs": exactMs, "exactDihedralMs": dihedralMs, "fastMs": fastMs,
            "exact": exact.hash.hex, "quality": exact.quality, "fast": fast.hash.hex,
            "fastDistance": fast.hash.distance(to: exact.hash), "dihedralCount": exactDihedral.count,
        ]
        let json = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        exit(1)
    }
}
