import Foundation
import HashmarkFingerprint

/// Deterministic generator so a failing oracle case can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Hash256 {
    static func random(using rng: inout SplitMix64) -> Hash256 {
        Hash256(words: SIMD4(rng.next(), rng.next(), rng.next(), rng.next()))
    }

    /// A copy with exactly `count` distinct bits flipped.
    func flipping(_ count: Int, using rng: inout SplitMix64) -> Hash256 {
        var out = self
        var bits = Array(0..<256)
        bits.shuffle(using: &rng)
        for b in bits.prefix(count) { out[bit: b].toggle() }
        return out
    }
}

/// A fresh directory under the system temp folder, removed by the caller.
func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hashmark-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}
