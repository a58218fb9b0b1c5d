extension TextAligner {
    /// Word-level verification by greedy string tiling (Wise's GST with a minimum match
    /// length): repeatedly take the longest common run of unmarked words, so reordered sentences
    /// still align. Returns the passage trimmed to its matched words, or `nil` if none matched.
    static func verify(query: NormalizedText, _ qr: Range<Int>, work: NormalizedText, _ wr: Range<Int>,
                       minRun: Int, seeds: Int) -> TextPassageMatch? {
        let q = query.wordHashes, w = work.wordHashes
        var positions = [UInt64: [Int]]()
        for j in wr { positions[w[j], default: []].append(j) }
        // Maximal runs (they cannot be extended to the left) of at least minRun words.
        var runs = [(q: Int, w: Int, length: Int)]()
        for i in qr {
            guard let list = positions[q[i]] else { continue }
            for j in list {
                if i > qr.lowerBound, j > wr.lowerBound, q[i - 1] == w[j - 1] { continue }
                var l = 1
                while i + l < qr.upperBound, j + l < wr.upperBound, q[i + l] == w[j + l] { l += 1 }
                if l >= max(1, minRun) { runs.append((i, j, l)) }
            }
        }
        guard !runs.isEmpty else { return nil }
        runs.sort { $0.length != $1.length ? $0.length > $1.length : ($0.q, $0.w) < ($1.q, $1.w) }
        var qMarked = [Bool](repeating: false, count: qr.count)
        var wMarked = [Bool](repeating: false, count: wr.count)
        var aligned = 0, longest = 0
        var qLo = Int.max, qHi = Int.min, wLo = Int.max, wHi = Int.min
        for r in runs {
            // Take the stretches of this run whose words are still free on both sides.
            var t = 0
            while t < r.length {
                var u = t
                while u < r.length, !qMarked[r.q + u - qr.lowerBound], !wMarked[r.w + u - wr.lowerBound] { u += 1 }
                if u - t >= max(1, minRun) {
                    for x in t..<u {
                        qMarked[r.q + x - qr.lowerBound] = true
                        wMarked[r.w + x - wr.lowerBound] = true
                    }
                    aligned += u - t
                    longest = max(longest, u - t)
                    qLo = min(qLo, r.q + t); qHi = max(qHi, r.q + u)
                    wLo = min(wLo, r.w + t); wHi = max(wHi, r.w + u)
                }
                t = u + 1
            }
        }
        guard aligned > 0 else { return nil }
        let qb = query.byteRange(words: qLo..<qHi), wb = work.byteRange(words: wLo..<wHi)
        return TextPassageMatch(queryOffset: qb.lowerBound, queryLength: qb.count,
                                workOffset: wb.lowerBound, workLength: wb.count,
                                queryWordStart: qLo, queryWordCount: qHi - qLo,
                                workWordStart: wLo, workWordCount: wHi - wLo,
                                matchedWords: aligned, longestRun: longest, seeds: seeds)
    }

    /// Keeps the strongest of passages that overlap in the query or in the work, so words are
    /// not counted twice when extended clusters touch.
    static func removeOverlaps(_ strongestFirst: [TextPassageMatch]) -> [TextPassageMatch] {
        var kept = [TextPassageMatch]()
        for p in strongestFirst {
            let pq = p.queryWordStart..<(p.queryWordStart + p.queryWordCount)
            let pw = p.workWordStart..<(p.workWordStart + p.workWordCount)
            let clash = kept.contains {
                pq.overlaps($0.queryWordStart..<($0.queryWordStart + $0.queryWordCount))
                    || pw.overlaps($0.workWordStart..<($0.workWordStart + $0.workWordCount))
            }
            if !clash { kept.append(p) }
        }
        return kept
    }
}
