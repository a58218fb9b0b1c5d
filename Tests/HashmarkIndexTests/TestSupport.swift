import Foundation
import HashmarkFingerprint


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
