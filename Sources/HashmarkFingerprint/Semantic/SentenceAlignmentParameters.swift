/// The scoring of sentence alignment (Smith–Waterman over a query × work similarity matrix).
///
/// A pair of sentences with cosine similarity `sim ≥ seedThreshold` is a seed and scores
/// `(sim − seedThreshold) × scale`; a pair below scores `mismatch` (a substituted sentence).
/// Each sentence skipped on either side (dropped or added) costs `gapPenalty`. Two adjacent
/// sentences aligned crosswise (query `i, i+1` with work `j+1, j`) count when both crossings are
/// seeds, at their two seed scores minus `swapPenalty`.
public struct SentenceAlignmentParameters: Sendable, Hashable, Codable {
    /// Lowest similarity of a seed. MiniLM puts paraphrases at about 0.7–0.95 and unrelated
    /// sentences mostly below 0.4.
    public var seedThreshold: Float
    /// Score of a seed per unit of similarity above the threshold.
    public var scale: Float
    /// Score (≤ 0) of aligning two sentences below the threshold.
    public var mismatch: Float
    /// Cost (≥ 0) of each skipped sentence, in either text.
    public var gapPenalty: Float
    /// Cost (≥ 0) of one swap of two adjacent sentences.
    public var swapPenalty: Float
    /// A passage needs this many seed pairs to be reported.
    public var minPairs: Int
    /// At most this many passages are reported.
    public var maxPassages: Int
    /// Largest `queryCount × workCount` accepted (5 bytes a cell beside the matrix); larger
    /// matrices are refused with `inputTooLarge`, so the caller windows the work.
    public var maxCells: Int

    /// Threshold 0.6, scale 10 (a 0.9 pair scores 3), mismatch −1.5 (a substitution costs
    /// less than the 2 gaps it replaces), gap 1, swap 0.5, 3 pairs, 5 passages, 4 M cells.
    public static let `default` = SentenceAlignmentParameters(
        seedThreshold: 0.6, scale: 10, mismatch: -1.5, gapPenalty: 1, swapPenalty: 0.5,
        minPairs: 3, maxPassages: 5, maxCells: 4_000_000)

    public init(seedThreshold: Float, scale: Float, mismatch: Float, gapPenalty: Float, swapPenalty: Float,
                minPairs: Int, maxPassages: Int, maxCells: Int) {
        self.seedThreshold = seedThreshold
        self.scale = scale
        self.mismatch = mismatch
        self.gapPenalty = gapPenalty
        self.swapPenalty = swapPenalty
        self.minPairs = minPairs
        self.maxPassages = maxPassages
        self.maxCells = maxCells
    }

    /// Whether a pair with this similarity is a seed (NaN never is).
    @inlinable public func isSeed(_ similarity: Float) -> Bool { similarity >= seedThreshold }

    /// The score of aligning one pair of sentences.
    @inlinable public func pairScore(_ similarity: Float) -> Float {
        isSeed(similarity) ? (similarity - seedThreshold) * scale : mismatch
    }

    var isValid: Bool {
        seedThreshold.isFinite && scale.isFinite && scale > 0 && mismatch.isFinite && mismatch <= 0
            && gapPenalty.isFinite && gapPenalty >= 0 && swapPenalty.isFinite && swapPenalty >= 0
            && minPairs >= 1 && maxPassages >= 0 && maxCells >= 0
    }
}
