/// A shared shingle: query shingle at `queryPosition`, corpus shingle at `workPosition` (word
/// indices of the shingles' first words).
public struct TextSeed: Sendable, Hashable {
    public var queryPosition: UInt32
    public var workPosition: UInt32

    public init(queryPosition: UInt32, workPosition: UInt32) {
        self.queryPosition = queryPosition
        self.workPosition = workPosition
    }
}

/// One aligned passage. Byte spans are offsets into the UTF-8 the two `NormalizedText`s were
/// made from (for decoded HTML/Markdown: the extracted plain text, see `HashmarkMedia`).
public struct TextPassageMatch: Sendable, Hashable, Codable {
    public var queryOffset: Int
    public var queryLength: Int
    public var workOffset: Int
    public var workLength: Int
    /// Word index range in the query (first word, count).
    public var queryWordStart: Int
    public var queryWordCount: Int
    /// Word index range in the work.
    public var workWordStart: Int
    public var workWordCount: Int
    /// Identical words matched by the word-level verification.
    public var matchedWords: Int
    /// Words of the source passage the alignment spans (`workWordCount`): substituted words
    /// inside the passage count, so a lightly edited 60-word copy still aligns 60 words.
    public var alignedWords: Int { workWordCount }
    /// Coverage of the source passage: `matchedWords / alignedWords`.
    public var coverage: Double { workWordCount > 0 ? Double(matchedWords) / Double(workWordCount) : 0 }
    /// Longest run of consecutive identical words.
    public var longestRun: Int
    /// Seeds in the cluster that led here.
    public var seeds: Int
}

/// PAN-style text alignment: seeds → clusters (bounded gaps in both texts) → extension →
/// word-level verification by greedy string tiling (which tolerates reordered sentences).
public enum TextAligner {
    /// Seeds without an index: every query shingle against the work's winnowed shingles (the
    /// same seeds the inverted index yields for this work).
    public static func seeds(query: NormalizedText, work: NormalizedText,
                             parameters: TextFingerprintParameters = .default) -> [TextSeed] {
        var byHash = [UInt64: [UInt32]]()
        for s in TextShingler.corpusShingles(work, parameters: parameters) { byHash[s.hash, default: []].append(s.position) }
        var out = [TextSeed]()
        for (i, h) in TextShingler.shingleHashes(query.wordHashes, k: parameters.k).enumerated() {
            for p in byHash[h] ?? [] { out.append(TextSeed(queryPosition: UInt32(i), workPosition: p)) }
        }
        return out
    }

    /// Aligns a query with one work from their seeds; passages are in query order.
    public static func align(query: NormalizedText, work: NormalizedText, seeds: [TextSeed],
                             k: Int = TextFingerprintParameters.default.k,
                             model: TextAlignmentParameters = .default) -> [TextPassageMatch] {
        let valid = seeds.filter {
            Int($0.queryPosition) + k <= query.wordCount && Int($0.workPosition) + k <= work.wordCount
        }
        var passages = [TextPassageMatch]()
        for cluster in clusters(valid, k: k, gap: model.maxGapWords) where cluster.count >= model.minSeeds {
            let q0 = Int(cluster.map(\.queryPosition).min() ?? 0), q1 = Int(cluster.map(\.queryPosition).max() ?? 0) + k
            let w0 = Int(cluster.map(\.workPosition).min() ?? 0), w1 = Int(cluster.map(\.workPosition).max() ?? 0) + k
            let e = model.extensionWords
            let qr = max(0, q0 - e)..<min(query.wordCount, q1 + e)
            let wr = max(0, w0 - e)..<min(work.wordCount, w1 + e)
            guard let p = verify(query: query, qr, work: work, wr, minRun: model.minRunWords, seeds: cluster.count),
                  p.matchedWords >= model.minPassageWords else { continue }
            passages.append(p)
        }
        return removeOverlaps(passages.sorted { $0.matchedWords > $1.matchedWords })
            .sorted { $0.queryWordStart < $1.queryWordStart }
    }

    /// Splits seeds into groups whose seeds lie within `gap` words of a neighbour, alternately
    /// along the query and the work, until no group splits (Sanchez-Perez et al., PAN 2014).
    static func clusters(_ seeds: [TextSeed], k: Int, gap: Int) -> [[TextSeed]] {
        // (group, split along the query?, already stable along the other axis?)
        var pending: [([TextSeed], Bool, Bool)] = [(seeds, true, false)], done = [[TextSeed]]()
        while let (group, byQuery, otherStable) = pending.popLast() {
            guard !group.isEmpty else { continue }
            let key: (TextSeed) -> Int = byQuery ? { Int($0.queryPosition) } : { Int($0.workPosition) }
            let sorted = group.sorted { key($0) < key($1) }
            var parts = [[TextSeed]](), current = [sorted[0]], reach = key(sorted[0]) + k
            for s in sorted.dropFirst() {
                if key(s) - reach > gap { parts.append(current); current = [] }
                current.append(s)
                reach = max(reach, key(s) + k)
            }
            parts.append(current)
            if parts.count == 1 {
                if otherStable { done.append(group) } else { pending.append((group, !byQuery, true)) }
            } else {
                for p in parts { pending.append((p, !byQuery, false)) }
            }
        }
        return done
    }
}
