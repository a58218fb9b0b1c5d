@_spi(Testing) import HashmarkEngine
import HashmarkTestSupport
import Testing

/// The corpus's descriptor table switches from the exact scan to the inverted file at
/// `ivfMinimum` rows and, for near-duplicate queries (a copy's descriptor), finds what the scan
/// finds.
@Suite("Descriptor table")
struct DescriptorTableTests {
    @Test func theInvertedFileFindsWhatTheScanFinds() {
        var rng = TestRandom(seed: 5)
        let d = 64, n = 4_000
        func unit(_ v: [Float]) -> [Float] { let s = v.reduce(0) { $0 + $1 * $1 }.squareRoot(); return v.map { $0 / s } }
        let centres = (0..<100).map { _ in (0..<d).map { _ in Float.random(in: -1...1, using: &rng) } }
        var vectors: [Float] = []
        for i in 0..<n { vectors += unit(centres[i % 100].map { $0 + 1.5 * Float.random(in: -1...1, using: &rng) }) }
        let ids = (0..<n).map { "w\($0)" }, variants = [Int](repeating: 0, count: n)
        let exact = CorpusIndex.DescriptorTable(workIDs: ids, variants: variants, vectors: vectors, dimension: d)
        let ivf = CorpusIndex.DescriptorTable(workIDs: ids, variants: variants, vectors: vectors, dimension: d, ivfMinimum: 1_000)
        #expect(!exact.isApproximate && ivf.isApproximate)
        var same = 0
        for _ in 0..<200 {
            let r = Int.random(in: 0..<n, using: &rng)
            let q = unit(vectors[(r * d)..<((r + 1) * d)].map { $0 + 0.05 * Float.random(in: -1...1, using: &rng) })
            let a = exact.nearest(q, k: 4), b = ivf.nearest(q, k: 4)
            #expect(a.first?.row == r)
            same += a.first?.row == b.first?.row && a.first?.score == b.first?.score ? 1 : 0
        }
        #expect(same >= 198, "the same closest work for \(same) of 200")
    }
}
