import HashmarkFingerprint
import Testing

/// The Hamming distance against its bit-by-bit twin.
@Suite struct HammingTests {
    static func randomHashes(_ n: Int, seed: UInt64) -> [Hash256] {
        var rng = SplitMix64(state: seed)
        return (0..<n).map { _ in
            Hash256(words: SIMD4(rng.next(), rng.next(), rng.next(), rng.next()))
        }
    }

    @Test func distanceTwinsAgree() {
        let hashes = Self.randomHashes(200, seed: 10) + [.zero, Hash256.zero.inverted]
        for a in hashes.prefix(40) {
            for b in hashes {
                #expect(a.distance(to: b) == a.distanceBitByBit(to: b))
            }
        }
    }

    @Test func invertedHashIsAt256AndInvertAwareZero() {
        for h in Self.randomHashes(20, seed: 11) + [.zero] {
            #expect(h.distance(to: h.inverted) == 256)
            #expect(h.invertAwareDistance(to: h.inverted) == 0)
            #expect(h.distance(to: h) == 0)
        }
        var one = Hash256.zero
        one[bit: 17] = true
        #expect(one.distance(to: .zero) == 1)
        #expect(one.invertAwareDistance(to: Hash256.zero.inverted) == 1)
    }
}
