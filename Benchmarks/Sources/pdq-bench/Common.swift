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

func medianMilliseconds(reps: Int, _ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    var samples: [Double] = []
    try body() // warm-up
    for _ in 0..<reps {
        let d = try clock.measure(body)
        samples.append(Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15)
    }
    samples.sort()
    return samples[samples.count / 2]
}
