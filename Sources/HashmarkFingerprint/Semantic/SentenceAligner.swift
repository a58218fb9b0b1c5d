/// Local alignment of a query's sentences with a work's, over their similarity matrix.
///
/// Smith–Waterman with linear gaps and three extra moves over two seeds each: the swap (cell
/// `(i, j)` follows `(i−2, j−2)` by aligning query `i−2` with work `j−1` and query `i−1` with work
/// `j−2`), so a reordering of two adjacent sentences costs `swapPenalty` instead of the gaps; the
/// split (`(i−2, j−1)`: queries `i−2, i−1` both with work `j−1`) and the merge (`(i−1, j−2)`:
/// query `i−1` with works `j−2, j−1`), which cost `splitPenalty`.
/// Up to `maxPassages` passages are found Waterman–Eggert style: after each best passage its
/// query rows and work columns are masked (no move may end in them, a barrier no path crosses)
/// and the matrix is recomputed, so passages are disjoint in both texts and their byte spans can
/// be summed. Passages with fewer than `minPairs` seeds are masked and skipped; at most
/// `4 × maxPassages` rounds are run.
///
/// Time O(rounds · n · m), memory (n+1)(m+1) Floats and bytes.
public enum SentenceAligner {
    /// The passages of `similarity` (row-major, `queryCount × workCount`), best score first.
    /// Throws `invalidParameters` for a matrix of the wrong size or bad parameters, and
    /// `inputTooLarge` above `parameters.maxCells`.
    public static func align(similarity: [Float], queryCount: Int, workCount: Int,
                             parameters: SentenceAlignmentParameters = .default)
        throws(TextFingerprintError) -> [SentencePassage] {
        var table = try Table(similarity: similarity, n: queryCount, m: workCount, p: parameters)
        var passages = [SentencePassage]()
        var rounds = 0
        while passages.count < parameters.maxPassages, rounds < 4 * parameters.maxPassages {
            rounds += 1
            table.fill()
            guard let passage = table.bestPassage() else { break }
            table.mask(rows: passage.queryRange, columns: passage.workRange)
            if passage.seedCount >= parameters.minPairs { passages.append(passage) }
        }
        return passages
    }

    /// The best local score of the unmasked matrix (0 when nothing aligns): the oracle's check.
    @_spi(Testing) public static func bestScore(similarity: [Float], queryCount: Int, workCount: Int,
                                                parameters: SentenceAlignmentParameters)
        throws(TextFingerprintError) -> Float {
        var table = try Table(similarity: similarity, n: queryCount, m: workCount, p: parameters)
        table.fill()
        return table.bestPassage()?.score ?? 0
    }
}

/// The DP matrices of one alignment.
struct SentenceAlignmentTable {
    enum Move: UInt8 { case stop, pair, swap, skipQuery, skipWork, split, merge }

    let sim: [Float], n: Int, m: Int, p: SentenceAlignmentParameters
    var h: [Float], move: [UInt8], maskedRow: [Bool], maskedColumn: [Bool]

    init(similarity: [Float], n: Int, m: Int, p: SentenceAlignmentParameters) throws(TextFingerprintError) {
        guard p.isValid else { throw TextFingerprintError(.invalidParameters, "sentence alignment parameters out of range") }
        guard n >= 0, m >= 0 else { throw TextFingerprintError(.invalidParameters, "negative sentence count") }
        let (cells, overflow) = n.multipliedReportingOverflow(by: m)
        guard !overflow, cells <= p.maxCells else {
            throw TextFingerprintError(.inputTooLarge, "\(n) × \(m) sentence pairs exceed maxCells \(p.maxCells)")
        }
        guard similarity.count == cells else {
            throw TextFingerprintError(.invalidParameters, "similarity has \(similarity.count) values, not \(n) × \(m)")
        }
        (sim, self.n, self.m, self.p) = (similarity, n, m, p)
        h = [Float](repeating: 0, count: (n + 1) * (m + 1))
        move = [UInt8](repeating: Move.stop.rawValue, count: (n + 1) * (m + 1))
        maskedRow = [Bool](repeating: false, count: n)
        maskedColumn = [Bool](repeating: false, count: m)
    }

    mutating func fill() {
        let w = m + 1
        for i in 1..<(n + 1) {
            for j in 1..<(m + 1) {
                let c = i * w + j, cell = (i - 1) * m + (j - 1)
                var best: Float = 0, mv = Move.stop
                if !maskedRow[i - 1], !maskedColumn[j - 1] {
                    let d = h[c - w - 1] + p.pairScore(sim[cell])
                    if d > best { (best, mv) = (d, .pair) }
                    if i >= 2, j >= 2 {
                        // Rows i−2, i−1 and columns j−2, j−1 must all be unmasked, so a swap
                        // never jumps a masked band.
                        let a = (i - 2) * m + (j - 1), b = (i - 1) * m + (j - 2)
                        if p.isSeed(sim[a]), p.isSeed(sim[b]), !maskedRow[i - 2], !maskedColumn[j - 2] {
                            let s = h[c - 2 * w - 2] + p.pairScore(sim[a]) + p.pairScore(sim[b]) - p.swapPenalty
                            if s > best { (best, mv) = (s, .swap) }
                        }
                    }
                    if i >= 2, !maskedRow[i - 2] {
                        let a = (i - 2) * m + (j - 1), b = (i - 1) * m + (j - 1)
                        if p.isSeed(sim[a]), p.isSeed(sim[b]) {
                            let s = h[c - 2 * w - 1] + p.pairScore(sim[a]) + p.pairScore(sim[b]) - p.splitPenalty
                            if s > best { (best, mv) = (s, .split) }
                        }
                    }
                    if j >= 2, !maskedColumn[j - 2] {
                        let a = (i - 1) * m + (j - 2), b = (i - 1) * m + (j - 1)
                        if p.isSeed(sim[a]), p.isSeed(sim[b]) {
                            let s = h[c - w - 2] + p.pairScore(sim[a]) + p.pairScore(sim[b]) - p.splitPenalty
                            if s > best { (best, mv) = (s, .merge) }
                        }
                    }
                    let u = h[c - w] - p.gapPenalty
                    if u > best { (best, mv) = (u, .skipQuery) }
                    let l = h[c - 1] - p.gapPenalty
                    if l > best { (best, mv) = (l, .skipWork) }
                }
                h[c] = best
                move[c] = mv.rawValue
            }
        }
    }

    /// Traces back from the highest cell (first in row-major order on ties); nil if none > 0.
    func bestPassage() -> SentencePassage? {
        let w = m + 1
        var top: Float = 0, at = -1
        for c in h.indices where h[c] > top { (top, at) = (h[c], c) }
        guard at >= 0 else { return nil }
        var i = at / w, j = at % w
        var pairs = [SentencePair](), swaps = 0
        loop: while i > 0, j > 0 {
            switch Move(rawValue: move[i * w + j]) ?? .stop {
            case .stop: break loop
            case .pair: pairs.append(pair(i - 1, j - 1)); (i, j) = (i - 1, j - 1)
            case .swap:
                pairs.append(pair(i - 1, j - 2))
                pairs.append(pair(i - 2, j - 1))
                swaps += 1
                (i, j) = (i - 2, j - 2)
            case .split:
                pairs.append(pair(i - 1, j - 1))
                pairs.append(pair(i - 2, j - 1))
                (i, j) = (i - 2, j - 1)
            case .merge:
                pairs.append(pair(i - 1, j - 1))
                pairs.append(pair(i - 1, j - 2))
                (i, j) = (i - 1, j - 2)
            case .skipQuery: i -= 1
            case .skipWork: j -= 1
            }
        }
        pairs.reverse()
        guard let first = pairs.first, let last = pairs.last else { return nil }
        let works = pairs.map(\.work)
        return SentencePassage(queryRange: first.query..<(last.query + 1),
                               workRange: (works.min() ?? 0)..<((works.max() ?? 0) + 1), pairs: pairs,
                               seedCount: pairs.filter { p.isSeed($0.similarity) }.count, swapCount: swaps, score: top)
    }

    private func pair(_ q: Int, _ w: Int) -> SentencePair {
        SentencePair(query: q, work: w, similarity: sim[q * m + w])
    }

    mutating func mask(rows: Range<Int>, columns: Range<Int>) {
        for q in rows { maskedRow[q] = true }
        for w in columns { maskedColumn[w] = true }
    }
}

extension SentenceAligner { typealias Table = SentenceAlignmentTable }
