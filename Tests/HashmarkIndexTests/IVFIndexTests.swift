import HashmarkTestSupport
import Testing
@_spi(Testing) import HashmarkIndex

/// The inverted file against the exact scan (its oracle): identical when every cell is probed,
/// and, for near-duplicate queries (what a copy's descriptor is) with few probes, the same top row
/// and ≥ 99 % of the exact neighbours close enough to matter.
@Suite("IVFIndex")
struct IVFIndexTests {
    static func unit(_ v: [Float]) -> [Float] {
        let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / n }
    }

    /// `count` unit vectors around `clusters` random centres (spread `noise`), row-major.
    static func clustered(_ count: Int, clusters: Int, dimension d: Int, noise: Float, _ rng: inout TestRandom) -> [Float] {
        let centres = (0..<clusters).map { _ in (0..<d).map { _ in Float.random(in: -1...1, using: &rng) } }
        var out: [Float] = []
        for i in 0..<count {
            let c = centres[i % clusters]
            out += unit(c.map { $0 + noise * Float.random(in: -1...1, using: &rng) })
        }
        return out
    }

    @Test func probingEveryCellIsTheExactScan() {
        var rng = TestRandom(seed: 7)
        let d = 64
        let vectors = Self.clustered(3_000, clusters: 40, dimension: d, noise: 0.8, &rng)
        let ivf = IVFIndex(vectors: vectors, dimension: d, lists: 32)
        var exact = VectorScan(dimension: d)
        for r in 0..<3_000 { exact.append(Array(vectors[(r * d)..<((r + 1) * d)])) }
        #expect(ivf.lists == 32 && ivf.cellSizes.reduce(0, +) == 3_000)
        for _ in 0..<20 {
            let q = Self.unit((0..<d).map { _ in Float.random(in: -1...1, using: &rng) })
            let a = ivf.nearest(q, k: 10, probes: ivf.lists), b = exact.nearest(q, k: 10)
            #expect(a.map(\.row) == b.map(\.row) && a.map(\.score) == b.map(\.score), "\(rng.replay)")
        }
    }

    @Test func nearDuplicatesAreFoundWithFewProbes() {
        var rng = TestRandom(seed: 11)
        let d = 128, n = 20_000
        let vectors = Self.clustered(n, clusters: 500, dimension: d, noise: 1.5, &rng)
        let ivf = IVFIndex(vectors: vectors, dimension: d, lists: 128)
        var exact = VectorScan(dimension: d)
        for r in 0..<n { exact.append(Array(vectors[(r * d)..<((r + 1) * d)])) }
        var top1 = 0, agree = 0, total = 0
        for _ in 0..<300 {
            // A copy: a corpus vector moved a little (cosine ~0.93 to it), as an edit moves a descriptor.
            let r = Int.random(in: 0..<n, using: &rng)
            let q = Self.unit(vectors[(r * d)..<((r + 1) * d)].map { $0 + 0.06 * Float.random(in: -1...1, using: &rng) })
            let truth = exact.nearest(q, k: 5)
            let got = ivf.nearest(q, k: 5, probes: 16)
            top1 += got.first?.row == truth.first?.row ? 1 : 0
            // Neighbours close enough to matter to a decision (cosine ≥ 0.5); the rest of an exact
            // top 5 are near-ties among a cluster's unrelated members.
            let close = truth.filter { $0.score >= 0.5 }.map(\.row)
            agree += close.filter(Set(got.map(\.row)).contains).count
            total += close.count
        }
        #expect(top1 >= 297, "top-1 equal for \(top1) of 300 at 16 of 128 cells (the engine: 16 of √n)")
        #expect(total >= 300 && Double(agree) / Double(total) >= 0.99, "\(agree) of \(total) neighbours at cosine >= 0.5, top-1 \(top1)")
    }

    @Test func smallAndEmptyInputs() {
        let empty = IVFIndex(vectors: [], dimension: 8, lists: 4)
        #expect(empty.lists == 0)
        #expect(empty.nearest([Float](repeating: 0.5, count: 8), k: 3, probes: 2).isEmpty)
        let one = IVFIndex(vectors: [1, 0, 0, 0, 0, 0, 0, 0], dimension: 8, lists: 16)
        #expect(one.lists == 1)
        #expect(one.nearest([1, 0, 0, 0, 0, 0, 0, 0], k: 3, probes: 4).map(\.row) == [0])
    }
}
