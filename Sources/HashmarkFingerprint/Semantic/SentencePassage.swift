/// One aligned pair of sentences: indices into the query's and the work's sentence lists.
public struct SentencePair: Sendable, Hashable, Codable {
    public var query: Int
    public var work: Int
    public var similarity: Float

    public init(query: Int, work: Int, similarity: Float) {
        self.query = query
        self.work = work
        self.similarity = similarity
    }
}

/// A run of query sentences aligned with a run of work sentences.
public struct SentencePassage: Sendable, Hashable, Codable {
    /// Query sentences from the first to the last aligned one.
    public var queryRange: Range<Int>
    /// Work sentences from the first to the last aligned one.
    public var workRange: Range<Int>
    /// Aligned pairs in query order, seeds and substitutions (below the threshold) alike.
    public var pairs: [SentencePair]
    /// Pairs at or above the seed threshold.
    public var seedCount: Int
    /// Adjacent pairs aligned crosswise.
    public var swapCount: Int
    /// The local-alignment score.
    public var score: Float
    /// Mean and minimum similarity over `pairs`.
    public var meanSimilarity: Float
    public var minSimilarity: Float

    public var pairCount: Int { pairs.count }

    public init(queryRange: Range<Int>, workRange: Range<Int>, pairs: [SentencePair], seedCount: Int,
                swapCount: Int, score: Float) {
        self.queryRange = queryRange
        self.workRange = workRange
        self.pairs = pairs
        self.seedCount = seedCount
        self.swapCount = swapCount
        self.score = score
        let sims = pairs.map(\.similarity)
        meanSimilarity = sims.isEmpty ? 0 : sims.reduce(0, +) / Float(sims.count)
        minSimilarity = sims.min() ?? 0
    }

    /// The UTF-8 byte spans of the passage in both texts, from its first sentence's offset to
    /// its last sentence's end; nil when a range does not fit the span lists given.
    public func byteSpans(query: [SentenceSpan], work: [SentenceSpan]) -> (query: Range<Int>, work: Range<Int>)? {
        guard let q = Self.bytes(queryRange, query), let w = Self.bytes(workRange, work) else { return nil }
        return (q, w)
    }

    static func bytes(_ r: Range<Int>, _ spans: [SentenceSpan]) -> Range<Int>? {
        guard !r.isEmpty, r.lowerBound >= 0, r.upperBound <= spans.count else { return nil }
        let a = spans[r.lowerBound].offset, b = spans[r.upperBound - 1].end
        return a <= b ? a..<b : nil
    }
}
