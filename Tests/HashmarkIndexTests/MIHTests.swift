import HashmarkFingerprint
import HashmarkIndex
import Testing

@Suite("Multi-index hashing equals the linear scan")
struct MIHTests {
    /// Clustered, near-duplicate data like a real corpus: many copies of few images.
    static func clustered(centers: Int, perCenter: Int, rng: inout SplitMix64) -> [Hash256] {
        var out: [Hash256] = []
        for _ in 0..<centers {
            let c = Hash256.random(using: &rng)
            for _ in 0..<perCenter { out.append(c.flipping(Int.random(in: 0...48, using: &rng), using: &rng)) }
        }
        out.shuffle(using: &rng)
        return out
    }

    func assertOracle(_ hashes: [Hash256], queries: [Hash256], radii: some Sequence<Int>,
                      invertAware: Bool = false) throws -> Int {
        let mih = try #require(MultiIndexHash256(hashes: hashes))
        var hits = 0
        for r in radii {
            for q in queries {
                let expected = HammingScan.search(hashes, query: q, radius: r, invertAware: invertAware)
                let got = mih.search(q, radius: r, invertAware: invertAware)
                #expect(got == expected, "radius \(r), query \(q.hex)")
                hits += got.count
            }
        }
        return hits
    }

    @Test func randomHashesAllRadii() throws {
        var rng = SplitMix64(seed: 1)
        let hashes = (0..<3000).map { _ in Hash256.random(using: &rng) }
        // Queries: unrelated, and stored hashes perturbed by 0…70 bits.
        var queries = (0..<4).map { _ in Hash256.random(using: &rng) }
        for d in stride(from: 0, through: 70, by: 5) {
            queries.append(hashes[Int.random(in: 0..<hashes.count, using: &rng)].flipping(d, using: &rng))
        }
        let hits = try assertOracle(hashes, queries: queries, radii: 0...63)
        #expect(hits > 0)
    }

    @Test func clusteredHashesAllRadii() throws {
        var rng = SplitMix64(seed: 2)
        let hashes = Self.clustered(centers: 12, perCenter: 150, rng: &rng)
        let queries = (0..<10).map { i in hashes[i * 97].flipping(i * 6, using: &rng) }
        let hits = try assertOracle(hashes, queries: queries, radii: 0...63)
        #expect(hits > 1000)  // dense clusters: the radius search must actually find many
    }

    @Test func invertAwareFindsComplements() throws {
        var rng = SplitMix64(seed: 3)
        let hashes = Self.clustered(centers: 8, perCenter: 100, rng: &rng)
        let queries = (0..<8).map { i in hashes[i * 50].inverted.flipping(i * 4, using: &rng) }
        _ = try assertOracle(hashes, queries: queries, radii: 0...63, invertAware: true)

        let mih = try #require(MultiIndexHash256(hashes: hashes))
        let hit = mih.search(hashes[7].inverted, radius: 0, invertAware: true)
        #expect(hit.contains(HammingMatch(index: 7, distance: 0, inverted: true)))
        #expect(mih.search(hashes[7].inverted, radius: 0).allSatisfy { hashes[$0.index] == hashes[7].inverted })
    }

    @Test func edgeCases() throws {
        var rng = SplitMix64(seed: 4)
        let empty = try #require(MultiIndexHash256(hashes: []))
        #expect(empty.search(.zero, radius: 63).isEmpty)

        // Duplicates, the all-zero and all-one hashes, and one-slot-only differences.
        let a = Hash256.random(using: &rng)
        var oneSlot = a
        for b in 240..<256 { oneSlot[bit: b].toggle() }
        let hashes = [a, a, .zero, Hash256.zero.inverted, oneSlot, a.flipping(1, using: &rng)]
        let mih = try #require(MultiIndexHash256(hashes: hashes))
        #expect(mih.search(a, radius: 0).map(\.index) == [0, 1])
        #expect(mih.search(a, radius: -1).isEmpty)
        #expect(mih.search(a, radius: 16).map(\.index) == [0, 1, 4, 5])
        // Radii ≥ 64 take the scan path and stay exact.
        for r in [64, 100, 128, 255, 256] {
            #expect(mih.search(a, radius: r) == HammingScan.search(hashes, query: a, radius: r))
            #expect(mih.search(a, radius: r, invertAware: true)
                    == HammingScan.search(hashes, query: a, radius: r, invertAware: true))
        }
        _ = try assertOracle(hashes, queries: hashes + [.zero, a.inverted], radii: 0...63, invertAware: true)
    }
}
