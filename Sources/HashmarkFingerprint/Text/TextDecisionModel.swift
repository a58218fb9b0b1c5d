/// Thresholds and knobs of passage alignment and the per-work decision. Codable so a fitted
/// model can be loaded from `Models/*.json`; the defaults are documented starting points.
public struct TextDecisionModel: Sendable, Hashable, Codable {
    /// Seeds further apart than this (in words, in either text) start a new passage.
    public var maxGapWords: Int
    /// Words added on both sides of a seed cluster before verification, to recover matched
    /// words whose shingles were broken by edits at the passage edges.
    public var extensionWords: Int
    /// Shortest common run (words) the word-level verification accepts as a tile.
    public var minRunWords: Int
    /// A seed cluster needs this many seeds to be verified at all.
    public var minSeeds: Int
    /// A verified passage needs this many matched (identical) words to count.
    public var minPassageWords: Int
    /// Per work: words of the source spanned by the aligned passages, summed; 50 is the
    /// memorisation literature's standard for a regurgitated passage.
    public var minAlignedWords: Int
    /// Per work: identical words matched, summed over passages.
    public var minMatchedWords: Int
    /// Per work: matched / aligned words (1 for a verbatim copy; about 0.7 at 30 % substitution).
    public var minCoverage: Double
    /// Per work: the longest common run must reach this (the shingle length is implied anyway).
    public var minLongestRun: Int
    /// Corpus shingles occurring more often than this are skipped at query time (stop phrases).
    public var maxPostingsPerHash: Int
    /// At most this many candidate works (most seeds first) are aligned per query.
    public var maxCandidates: Int

    public static let `default` = TextDecisionModel(
        maxGapWords: 30, extensionWords: 12, minRunWords: 2, minSeeds: 2, minPassageWords: 10,
        minAlignedWords: 50, minMatchedWords: 30, minCoverage: 0.4, minLongestRun: 4, maxPostingsPerHash: 5000,
        maxCandidates: 50)

    public init(maxGapWords: Int, extensionWords: Int, minRunWords: Int, minSeeds: Int,
                minPassageWords: Int, minAlignedWords: Int, minMatchedWords: Int, minCoverage: Double, minLongestRun: Int,
                maxPostingsPerHash: Int, maxCandidates: Int) {
        self.maxGapWords = maxGapWords
        self.extensionWords = extensionWords
        self.minRunWords = minRunWords
        self.minSeeds = minSeeds
        self.minPassageWords = minPassageWords
        self.minAlignedWords = minAlignedWords
        self.minMatchedWords = minMatchedWords
        self.minCoverage = minCoverage
        self.minLongestRun = minLongestRun
        self.maxPostingsPerHash = maxPostingsPerHash
        self.maxCandidates = maxCandidates
    }

    /// Scores one (submission, work) pair from its verified passages.
    public func score(_ passages: [TextPassageMatch]) -> TextWorkScore {
        let matched = passages.reduce(0) { $0 + $1.matchedWords }
        let aligned = passages.reduce(0) { $0 + $1.alignedWords }
        let longest = passages.map(\.longestRun).max() ?? 0
        let coverage = aligned > 0 ? Double(matched) / Double(aligned) : 0
        let isMatch = aligned >= minAlignedWords && matched >= minMatchedWords && coverage >= minCoverage
            && longest >= minLongestRun
        // Aligned words weighted by identity, scaled so 1.0 sits exactly at the word threshold.
        let score = Double(aligned) * coverage / Double(max(1, minAlignedWords))
        return TextWorkScore(alignedWords: aligned, matchedWords: matched, coverage: coverage,
                             longestRun: longest, score: score, isMatch: isMatch)
    }
}

/// The features and decision for one (submission, work) pair.
public struct TextWorkScore: Sendable, Hashable, Codable {
    /// Words of the source spanned by the aligned passages.
    public var alignedWords: Int
    /// Identical words matched inside them.
    public var matchedWords: Int
    /// `matchedWords / alignedWords`: coverage of the source passages.
    public var coverage: Double
    /// Longest run of consecutive identical words.
    public var longestRun: Int
    /// `alignedWords × coverage / minAlignedWords` (matched words over the threshold): ≥ 1
    /// roughly where a copy starts; for ranking works.
    public var score: Double
    /// All thresholds of the model met.
    public var isMatch: Bool
}
