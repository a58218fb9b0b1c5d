import HashmarkTestSupport
import Testing
@_spi(Testing) import HashmarkIndex

/// The integer first pass of the quantised scan (AVX-512 VNNI): its kernel against the scalar
/// twin, its rounded scores within their error bound, and its answers equal to the float scan's.
@Suite("VectorScan: integer first pass",
       .enabled(if: VectorScan.integerAvailable, "this CPU has no AVX-512 VNNI: the float scan answers"))
struct VectorScanIntegerTests {
    /// Random unit rows, near-duplicates of a few of them (noise 1e-4: scores closer than the
    /// rounding's error) and an exact duplicate.
    static func table(_ d: Int, _ rng: inout TestRandom) -> (float: VectorScan, quantised: VectorScan, rows: [[Float]]) {
        var rows = (0..<(16 * 9 + 5)).map { _ in VectorScanTests.randomUnit(d, &rng) }
        for centre in [3, 40, 77] {
            for _ in 0..<6 {
                let v = rows[centre].map { $0 + Float.random(in: -1e-4...1e-4, using: &rng) }
                let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                rows.append(v.map { $0 / n })
            }
        }
        rows.append(rows[40])
        var float = VectorScan(dimension: d), quantised = VectorScan(dimension: d, quantised: true)
        for r in rows { float.append(r); quantised.append(r) }
        return (float, quantised, rows)
    }

    @Test func kernelEqualsItsScalarTwin() throws {
        var rng = TestRandom(seed: 51)
        for d in [8, 64, 384] {
            let (_, scan, _) = Self.table(d, &rng)
            for _ in 0..<3 {
                let dots = try #require(scan.integerDots(VectorScanTests.randomUnit(d, &rng)))
                #expect(dots.kernel.count == scan.count)
                #expect(dots.kernel == dots.twin, "d \(d) \(rng.replay)")
            }
        }
    }

    @Test func roundedScoresStayWithinTheirBound() throws {
        var rng = TestRandom(seed: 52)
        for d in [8, 64, 384] {
            let (_, scan, rows) = Self.table(d, &rng)
            for _ in 0..<5 {
                let q = VectorScanTests.randomUnit(d, &rng)
                let (scores, bound) = try #require(scan.roundedScores(q))
                let worst = zip(scores, rows).map { abs($0 - VectorScan.dotScalar(q, $1)) }.max() ?? 0
                #expect(worst <= bound, "d \(d): error \(worst), bound \(bound)")
                #expect(bound < 0.05, "d \(d): bound \(bound) (too loose to prune anything)")
            }
        }
    }

    /// The same rows and scores as the float scan, ties and near-ties included, for batches that
    /// fill the four-query kernel and batches that do not.
    @Test func answersAreTheFloatScans() {
        var rng = TestRandom(seed: 53)
        for d in [64, 384] {
            let (float, quantised, rows) = Self.table(d, &rng)
            for size in [1, 4, 9] {
                let queries = (0..<size).map { i in i == 0 ? rows[40] : i == 1 ? rows[3] : VectorScanTests.randomUnit(d, &rng) }
                for k in [1, 3, 10] {
                    let want = float.nearest(batch: queries, k: k), got = quantised.nearest(batch: queries, k: k)
                    for (a, b) in zip(got, want) {
                        #expect(a.map(\.row) == b.map(\.row), "d \(d) batch \(size) k \(k)")
                        #expect(a.map(\.score) == b.map(\.score), "d \(d) batch \(size) k \(k)")
                    }
                }
            }
        }
    }
}
