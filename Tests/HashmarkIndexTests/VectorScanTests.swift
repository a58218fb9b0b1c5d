import HashmarkTestSupport
import Testing
@_spi(Testing) import HashmarkIndex

/// The paraphrase first stage's exact scan against a brute-force oracle (sort every row by its
/// scalar dot product), and its SIMD dot product against the scalar twin.
@Suite("VectorScan")
struct VectorScanTests {
    static func randomUnit(_ d: Int, _ rng: inout TestRandom) -> [Float] {
        let v = (0..<d).map { _ in Float.random(in: -1...1, using: &rng) }
        let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / n }
    }

    @Test func nearestEqualsTheBruteForceOracle() {
        var rng = TestRandom(seed: 41)
        for d in [8, 64, 384] {
            var scan = VectorScan(dimension: d)
            let rows = (0..<500).map { _ in Self.randomUnit(d, &rng) }
            for r in rows { scan.append(r) }
            // A duplicate row: ties must break towards the lower row.
            scan.append(rows[17])
            for _ in 0..<20 {
                let q = Self.randomUnit(d, &rng)
                for k in [1, 5, 50, 1_000] {
                    let got = scan.nearest(q, k: k)
                    let oracle = (0..<scan.count).map { r in
                        (row: r, score: VectorScan.dotScalar(q, scan.row(r)))
                    }.sorted { $0.score != $1.score ? $0.score > $1.score : $0.row < $1.row }.prefix(k)
                    #expect(got.count == min(k, scan.count))
                    // The scalar twin computes the same bits, so rows and scores agree exactly.
                    #expect(got.map(\.row) == oracle.map(\.row), "d \(d) k \(k)")
                    #expect(got.map(\.score) == oracle.map(\.score), "d \(d) k \(k)")
                }
            }
        }
    }

    @Test func simdScoreEqualsTheScalarTwin() {
        var rng = TestRandom(seed: 41)
        for d in [8, 256, 384] {
            var scan = VectorScan(dimension: d)
            // 50 rows: three full panels and a partial one.
            let rows = (0..<50).map { _ in Self.randomUnit(d, &rng) }
            for r in rows { scan.append(r) }
            let q = Self.randomUnit(d, &rng)
            for r in 0..<50 {
                #expect(scan.row(r) == rows[r])
                #expect(scan.scoreSIMD(q, row: r) == VectorScan.dotScalar(q, rows[r]), "d \(d) row \(r)")
            }
        }
    }

    /// A batch (four queries at a time, then the rest one by one) gives each query what it gets
    /// alone and what the scalar oracle gives, across block and panel-group boundaries and ties.
    @Test func batchEqualsOneQueryAtATime() {
        var rng = TestRandom(seed: 43)
        for d in [64, 384] {
            var scan = VectorScan(dimension: d)
            var rows: [[Float]] = []
            for _ in 0..<(16 * 37 + 5) { rows.append(Self.randomUnit(d, &rng)); scan.append(rows[rows.count - 1]) }
            scan.append(rows[300])  // a tie: the lower row first
            let queries = (0..<9).map { i in i == 5 ? rows[300] : Self.randomUnit(d, &rng) }
            let batch = scan.nearest(batch: queries, k: 7)
            for (i, (q, got)) in zip(queries, batch).enumerated() {
                let alone = scan.nearest(q, k: 7)
                #expect(got.map(\.row) == alone.map(\.row), "d \(d) query \(i)")
                #expect(got.map(\.score) == alone.map(\.score), "d \(d) query \(i)")
                let oracle = (0..<scan.count).map { r in (row: r, score: VectorScan.dotScalar(q, scan.row(r))) }
                    .sorted { $0.score != $1.score ? $0.score > $1.score : $0.row < $1.row }.prefix(7)
                #expect(got.map(\.row) == oracle.map(\.row) && got.map(\.score) == oracle.map(\.score), "d \(d) query \(i)")
            }
            #expect(batch[5].prefix(2).map(\.row) == [300, scan.count - 1])
        }
        #expect(VectorScan(dimension: 8).nearest(batch: [], k: 3).isEmpty)
    }

    @Test func tiesAndEdgeCases() {
        var scan = VectorScan(dimension: 8)
        #expect(scan.nearest([Float](repeating: 0, count: 8), k: 3).isEmpty)
        let e0: [Float] = [1, 0, 0, 0, 0, 0, 0, 0]
        scan.append(e0)
        scan.append(e0)
        scan.append([0, 1, 0, 0, 0, 0, 0, 0])
        let got = scan.nearest(e0, k: 2)
        #expect(got.map(\.row) == [0, 1])
        #expect(scan.nearest(e0, k: 0).isEmpty)
        #expect(scan.nearest(e0, k: 10).count == 3)
    }
}
