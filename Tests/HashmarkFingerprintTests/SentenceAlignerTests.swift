import HashmarkFingerprint
import HashmarkTestSupport
import Testing

/// Synthetic similarity matrices for the paraphrase scenarios the aligner must recover.
struct SimilarityMatrix {
    var n: Int, m: Int, values: [Float]

    /// Noise in [0, 0.4) everywhere, below the default threshold.
    init(_ n: Int, _ m: Int, rng: inout TestRandom) {
        (self.n, self.m) = (n, m)
        values = (0..<(n * m)).map { _ in Float.random(in: 0..<0.4, using: &rng) }
    }

    subscript(q: Int, w: Int) -> Float {
        get { values[q * m + w] }
        set { values[q * m + w] = newValue }
    }

    func align(_ p: SentenceAlignmentParameters = .default) throws -> [SentencePassage] {
        try SentenceAligner.align(similarity: values, queryCount: n, workCount: m, parameters: p)
    }
}

@Suite("Sentence alignment scenarios")
struct SentenceAlignerTests {
    @Test func copyWithOneDroppedAndOneAddedSentence() throws {
        var rng = TestRandom(seed: 11)
        var s = SimilarityMatrix(20, 30, rng: &rng)
        // Work 10..<19 copied as query 4..; work 13 dropped; a new query sentence after work 16.
        let mapping = [(4, 10), (5, 11), (6, 12), (7, 14), (8, 15), (9, 16), (11, 17), (12, 18)]
        for (q, w) in mapping { s[q, w] = 0.85 }
        let passages = try s.align()
        #expect(passages.count == 1, "\(rng.replay)")
        let p = try #require(passages.first)
        #expect(p.pairs.map { [$0.query, $0.work] } == mapping.map { [$0.0, $0.1] }, "\(rng.replay)")
        #expect(p.queryRange == 4..<13 && p.workRange == 10..<19)
        #expect(p.seedCount == 8 && p.pairCount == 8 && p.swapCount == 0)
        #expect(abs(p.meanSimilarity - 0.85) < 1e-5 && p.minSimilarity == 0.85)
        // Seeds at 0.85 score (0.85 − 0.5) × 10 = 3.5 each; two gaps cost 1 each.
        #expect(abs(p.score - (8 * 3.5 - 2 * 1)) < 1e-4)
    }

    @Test func twoSwappedSentences() throws {
        var rng = TestRandom(seed: 12)
        var s = SimilarityMatrix(10, 10, rng: &rng)
        let mapping = [(2, 2), (3, 3), (4, 5), (5, 4), (6, 6), (7, 7)]
        for (q, w) in mapping { s[q, w] = 0.9 }
        let p = try #require(try s.align().first)
        #expect(p.pairs.map { [$0.query, $0.work] } == mapping.map { [$0.0, $0.1] }, "\(rng.replay)")
        #expect(p.swapCount == 1 && p.seedCount == 6)
        #expect(abs(p.score - (6 * 4 - 0.5)) < 1e-4)
    }

    @Test func aSplitAndAMergeAreAlignedAsPairs() throws {
        var rng = TestRandom(seed: 14)
        var s = SimilarityMatrix(12, 12, rng: &rng)
        // Work 3 split into queries 3 and 4; works 6 and 7 merged into query 6.
        let mapping = [(1, 1), (2, 2), (3, 3), (4, 3), (5, 5), (6, 6), (6, 7), (7, 8)]
        for (q, w) in mapping { s[q, w] = 0.8 }
        let p = try #require(try s.align().first)
        #expect(p.pairs.map { [$0.query, $0.work] } == mapping.map { [$0.0, $0.1] }, "\(rng.replay)")
        #expect(p.queryRange == 1..<8 && p.workRange == 1..<9 && p.seedCount == 8)
        // 8 seeds at 3 each, a split and a merge at 0.5 each, work 4 skipped (gap 1).
        #expect(abs(p.score - (8 * 3 - 2 * 0.5 - 1)) < 1e-4)
    }

    @Test func marginsSeparateAStandoutPairFromAUniformRow() {
        // Row 0: one pair stands out; rows 1 and 2: every pair alike (one author's voice).
        let sim: [Float] = [0.8, 0.3, 0.3, 0.3,
                            0.6, 0.6, 0.6, 0.6,
                            0.6, 0.6, 0.6, 0.6]
        let m = SentenceMargin.margins(sim, rows: 3, columns: 4, neighbours: 3)
        #expect(abs(m[0] - (0.8 - (0.3 + 0.6) / 2)) < 1e-6)
        #expect(abs(m[4] - (0.6 - (0.6 + 0.7) / 2)) < 1e-6)
        #expect(abs(m[5] - (0.6 - (0.6 + 0.45) / 2)) < 1e-6)
        let capped = SentenceMargin.capped(sim, rows: 3, columns: 4, neighbours: 3, minMargin: 0.1, seed: 0.5)
        #expect(capped[0] == 0.8)
        #expect(capped[4...].allSatisfy { $0 < 0.5 })
    }

    @Test func twoSeparatePassages() throws {
        var rng = TestRandom(seed: 13)
        var s = SimilarityMatrix(30, 40, rng: &rng)
        for k in 0..<5 { s[2 + k, 30 + k] = 0.8 }
        for k in 0..<4 { s[20 + k, 3 + k] = 0.95 }
        let passages = try s.align()
        #expect(passages.count == 2, "\(rng.replay)")
        #expect(passages.map(\.queryRange) == [20..<24, 2..<7], "\(rng.replay)")
        #expect(passages.map(\.workRange) == [3..<7, 30..<35], "\(rng.replay)")
        #expect(passages[0].score >= passages[1].score)
    }

    @Test func noiseBelowTheThresholdGivesNoPassage() throws {
        var rng = TestRandom(seed: 14)
        let s = SimilarityMatrix(50, 60, rng: &rng)
        #expect(try s.align().isEmpty, "\(rng.replay)")
    }

    @Test func shortRunsBelowMinPairsAreNotReported() throws {
        var rng = TestRandom(seed: 15)
        var s = SimilarityMatrix(12, 12, rng: &rng)
        s[3, 3] = 0.99
        s[4, 4] = 0.99
        #expect(try s.align().isEmpty, "\(rng.replay)")
        var p = SentenceAlignmentParameters.default
        p.minPairs = 2
        #expect(try s.align(p).map(\.queryRange) == [3..<5], "\(rng.replay)")
    }

    @Test func badShapesAndOversizedMatricesThrow() {
        #expect(throws: TextFingerprintError.self) {
            try SentenceAligner.align(similarity: [0.9, 0.9], queryCount: 3, workCount: 1)
        }
        var p = SentenceAlignmentParameters.default
        p.maxCells = 10
        #expect(throws: TextFingerprintError.self) {
            try SentenceAligner.align(similarity: [Float](repeating: 0, count: 12), queryCount: 3, workCount: 4,
                                      parameters: p)
        }
        #expect(throws: TextFingerprintError.self) {
            try SentenceAligner.align(similarity: [], queryCount: Int.max, workCount: 2)
        }
        #expect((try? SentenceAligner.align(similarity: [], queryCount: 0, workCount: 5))?.isEmpty == true)
    }

    @Test func passageByteSpansFollowTheSentenceSpans() throws {
        let query = "Intro here. The cat sat down. It purred loudly! Then it slept. Bye."
        let work = "The cat sat. It purred. Then it slept. Other stuff."
        let qs = SentenceSplitter.split(query), ws = SentenceSplitter.split(work)
        #expect(qs.count == 5 && ws.count == 4)
        var sim = [Float](repeating: 0.1, count: qs.count * ws.count)
        for k in 0..<3 { sim[(k + 1) * ws.count + k] = 0.9 }
        let p = try #require(try SentenceAligner.align(similarity: sim, queryCount: qs.count, workCount: ws.count).first)
        let spans = try #require(p.byteSpans(query: qs, work: ws))
        #expect(String(decoding: Array(query.utf8)[spans.query], as: UTF8.self)
                == "The cat sat down. It purred loudly! Then it slept.")
        #expect(String(decoding: Array(work.utf8)[spans.work], as: UTF8.self) == "The cat sat. It purred. Then it slept.")
        #expect(p.byteSpans(query: Array(qs.prefix(2)), work: ws) == nil)
    }
}
