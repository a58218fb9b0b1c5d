/// The knobs of passage alignment (seeding, chaining, verification). Thresholds that turn the
/// aligned passages into a decision live in the engine's `DecisionModel`, not here.
public struct TextAlignmentParameters: Sendable, Hashable, Codable {
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
    /// Corpus shingles occurring more often than this are skipped at query time (stop phrases).
    public var maxPostingsPerHash: Int
    /// At most this many candidate works (most seeds first) are aligned per query.
    public var maxCandidates: Int

    public static let `default` = TextAlignmentParameters(
        maxGapWords: 30, extensionWords: 12, minRunWords: 2, minSeeds: 2, minPassageWords: 10,
        maxPostingsPerHash: 5000, maxCandidates: 50)

    public init(maxGapWords: Int, extensionWords: Int, minRunWords: Int, minSeeds: Int, minPassageWords: Int,
                maxPostingsPerHash: Int, maxCandidates: Int) {
        self.maxGapWords = maxGapWords
        self.extensionWords = extensionWords
        self.minRunWords = minRunWords
        self.minSeeds = minSeeds
        self.minPassageWords = minPassageWords
        self.maxPostingsPerHash = maxPostingsPerHash
        self.maxCandidates = maxCandidates
    }
}

/// What the verified passages of one (submission, work) pair add up to: the numbers a decision
/// rule reads.
public struct TextAlignmentSummary: Sendable, Hashable, Codable {
    /// Words of the source spanned by the aligned passages, summed.
    public var alignedWords: Int
    /// Identical words matched inside them.
    public var matchedWords: Int
    /// `matchedWords / alignedWords` (0 when nothing aligned).
    public var coverage: Double
    /// Longest run of consecutive identical words.
    public var longestRun: Int

    public init(alignedWords: Int, matchedWords: Int, coverage: Double, longestRun: Int) {
        self.alignedWords = alignedWords
        self.matchedWords = matchedWords
        self.coverage = coverage
        self.longestRun = longestRun
    }

    public init(_ passages: [TextPassageMatch]) {
        let matched = passages.reduce(0) { $0 + $1.matchedWords }
        let aligned = passages.reduce(0) { $0 + $1.alignedWords }
        self.init(alignedWords: aligned, matchedWords: matched,
                  coverage: aligned > 0 ? Double(matched) / Double(aligned) : 0,
                  longestRun: passages.map(\.longestRun).max() ?? 0)
    }
}
