import HashmarkFingerprint
import Testing

/// Hamming kernels against their bit-by-bit twins.
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

    @Test(arguments: [0, 1, 63, 64, 65, 1000])
    func scanTwinsAgree(length: Int) {
        let hashes = Self.randomHashes(length, seed: UInt64(100 + length))
        var queries = Self.randomHashes(3, seed: 99)
        if let first = hashes.first {
            queries += [first, first.inverted]
        }
        for q in queries {
            for invert in [false, true] {
                #expect(Hamming.distances(query: q, hashes: hashes, invertAware: invert)
                        == Hamming.distancesScalar(query: q, hashes: hashes, invertAware: invert))
                for radius in [-1, 0, 10, 120, 128, 256] {
                    #expect(Hamming.scan(query: q, hashes: hashes, radius: radius, invertAware: invert)
                            == Hamming.scanScalar(query: q, hashes: hashes, radius: radius, invertAware: invert))
                }
            }
        }
    }

    @Test func scanFindsPlantedNeighboursInSlices() {
        var hashes = Self.randomHashes(130, seed: 12)
        let query = Self.randomHashes(1, seed: 13)[0]
        var near = query
        for bit in [3, 70, 200] { near[bit: bit].toggle() }
        hashes[5] = near
        hashes[64] = query.inverted
        #expect(Hamming.scan(query: query, hashes: hashes, radius: 3) == [5])
        #expect(Hamming.scan(query: query, hashes: hashes, radius: 3, invertAware: true) == [5, 64])
        // A sub-range starting at an odd offset: indices are relative to the slice.
        let found = hashes.withUnsafeBufferPointer { all in
            Hamming.scan(query: query, hashes: UnsafeBufferPointer(rebasing: all[3..<68]), radius: 3, invertAware: true)
        }
        #expect(found == [2, 61])
        #expect(Hamming.distances(query: query, hashes: [near, query.inverted], invertAware: true) == [3, 0])
    }
}
