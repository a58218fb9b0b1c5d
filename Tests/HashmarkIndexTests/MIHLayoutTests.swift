import HashmarkFingerprint
import HashmarkIndex
import Testing

/// Cases aimed at the table layout (23/24-bit slots that straddle 64-bit words, a 16-bit
/// directory prefix plus a suffix byte filtered 32 entries at a time), still judged by the oracle.
@Suite("Multi-index hashing: layout edge cases")
struct MIHLayoutTests {
    /// `base` with bits `start ..< start + length` (wrapping at 256) flipped.
    static func flippingRun(_ base: Hash256, start: Int, length: Int) -> Hash256 {
        var h = base
        for i in 0..<length { h[bit: (start + i) % 256].toggle() }
        return h
    }

    @Test func contiguousRunsAtEveryOffset() throws {
        // All differing bits packed into one or two neighbouring slots, at every bit offset, so
        // every slot boundary (including those inside a 64-bit word) is crossed.
        var rng = SplitMix64(seed: 11)
        let base = Hash256.random(using: &rng)
        var hashes: [Hash256] = []
        for start in 0..<256 {
            for length in [1, 3, 8, 17, 24, 25, 31, 32, 47] {
                hashes.append(Self.flippingRun(base, start: start, length: length))
            }
        }
        hashes += (0..<500).map { _ in Hash256.random(using: &rng) }
        let mih = try #require(MultiIndexHash256(hashes: hashes))
        var hits = 0
        for r in [0, 1, 2, 3, 8, 10, 11, 16, 21, 22, 23, 24, 25, 31, 32, 33, 46, 47, 48, 63] {
            for q in [base, base.inverted, Self.flippingRun(base, start: 120, length: 12)] {
                for invertAware in [false, true] {
                    let expected = HammingScan.search(hashes, query: q, radius: r, invertAware: invertAware)
                    #expect(mih.search(q, radius: r, invertAware: invertAware) == expected, "r \(r)")
                    hits += expected.count
                }
            }
        }
        #expect(hits > 10_000)
    }

    @Test func crowdedBucketsSpanSeveralSIMDSteps() throws {
        // 70 copies of one hash and 70 of a 1-bit neighbour per slot suffix share directory
        // buckets: the suffix filter runs over several 32-entry steps plus a ragged tail.
        var rng = SplitMix64(seed: 12)
        let a = Hash256.random(using: &rng)
        var hashes: [Hash256] = []
        for i in 0..<70 {
            hashes.append(a)
            hashes.append(Self.flippingRun(a, start: (i * 23 + 20) % 256, length: 1))  // a suffix bit or so
            hashes.append(Self.flippingRun(a, start: (i * 37) % 256, length: 2 + i % 5))
        }
        hashes += (0..<300).map { _ in Hash256.random(using: &rng) }
        hashes.shuffle(using: &rng)
        let mih = try #require(MultiIndexHash256(hashes: hashes))
        for r in 0...63 {
            let expected = HammingScan.search(hashes, query: a, radius: r)
            #expect(mih.search(a, radius: r) == expected, "r \(r)")
        }
        #expect(mih.search(a, radius: 0).count == 70)
    }

    @Test func memoryAccountingCountsEveryArray() throws {
        // 11 tables × (1 suffix byte + 3-byte id) per hash, 11 directories of 65,537 UInt32, and
        // the fixed padding; `memoryBytes` adds the 32-byte hashes.
        var rng = SplitMix64(seed: 13)
        for n in [0, 1, 5000] {
            let mih = try #require(MultiIndexHash256(hashes: (0..<n).map { _ in Hash256.random(using: &rng) }))
            #expect(mih.tableBytes == 11 * 65_537 * 4 + 11 * n * 4 + 64 + 4)
            #expect(mih.memoryBytes == mih.tableBytes + 32 * n)
        }
    }
}
