/// The scoring of sentence alignment (Smith–Waterman over a query × work similarity matrix).
///
/// A pair of sentences with cosine similarity `sim ≥ seedThreshold` is a seed; every pair scores
/// `(sim − seedThreshold) × scale`, but never less than `mismatch`: a near miss (a loosely
/// paraphrased sentence) costs little, an unrelated one (a substitution) costs `mismatch`.
/// Each sentence skipped on either side (dropped or added) costs `gapPenalty`. Two adjacent
/// sentences aligned crosswise (query `i, i+1` with work `j+1, j`) count when both crossings are
/// seeds, at their two seed scores minus `swapPenalty`; a sentence split in two (query `i, i+1`
/// both with work `j`) or two merged into one (query `i` with work `j, j+1`) count the same way,
/// minus `splitPenalty`.
public struct SentenceAlignmentParameters: Sendable, Hashable, Codable {
    /// Lowest similarity of a seed. MiniLM puts close paraphrases at about 0.7–0.95, language-model
    /// rewrites of archaic text at 0.5–0.9, and unrelated sentences mostly below 0.4.
    public var seedThreshold: Float
    /// Score of a seed per unit of similarity above the threshold.
    public var scale: Float
    /// The lowest score (≤ 0) of aligning two sentences below the threshold.
    public var mismatch: Float
    /// Cost (≥ 0) of each skipped sentence, in either text.
    public var gapPenalty: Float
    /// Cost (≥ 0) of one swap of two adjacent sentences.
    public var swapPenalty: Float
    /// Cost (≥ 0) of one split or merge.
    public var splitPenalty: Float
    /// A passage needs this many seed pairs to be reported.
    public var minPairs: Int
    /// At most this many passages are reported.
    public var maxPassages: Int
    /// Largest `queryCount × workCount` accepted (5 bytes a cell beside the matrix); larger
    /// matrices are refused with `inputTooLarge`, so the caller windows the work.
    public var maxCells: Int

    /// Threshold 0.5, scale 10 (a 0.9 pair scores 4, a 0.45 near miss −0.5), mismatch −1.5 (a
    /// substitution costs less than the 2 gaps it replaces), gap 1, swap 0.5, split 0.5, 3
    /// pairs, 5 passages, 4 M cells.
    public static let `default` = SentenceAlignmentParameters(
        seedThreshold: 0.5, scale: 10, mismatch: -1.5, gapPenalty: 1, swapPenalty: 0.5, splitPenalty: 0.5,
        minPairs: 3, maxPassages: 5, maxCells: 4_000_000)

    public init(seedThreshold: Float, scale: Float, mismatch: Float, gapPenalty: Float, swapPenalty: Float,
                splitPenalty: Float = 0.5, minPairs: Int, maxPassages: Int, maxCells: Int) {
        self.seedThreshold = seedThreshold
        self.scale = scale
        self.mismatch = mismatch
        self.gapPenalty = gapPenalty
        self.swapPenalty = swapPenalty
        self.splitPenalty = splitPenalty
        self.minPairs = minPairs
        self.maxPassages = maxPassages
        self.maxCells = maxCells
    }

    enum CodingKeys: String, CodingKey {
        case seedThreshold, scale, mismatch, gapPenalty, swapPenalty, splitPenalty, minPairs, maxPassages, maxCells
    }

    /// Keys missing from the JSON keep the defaults' values (files written before a knob existed).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.default
        self.init(seedThreshold: try c.decodeIfPresent(Float.self, forKey: .seedThreshold) ?? d.seedThreshold,
                  scale: try c.decodeIfPresent(Float.self, forKey: .scale) ?? d.scale,
                  mismatch: try c.decodeIfPresent(Float.self, forKey: .mismatch) ?? d.mismatch,
                  gapPenalty: try c.decodeIfPresent(Float.self, forKey: .gapPenalty) ?? d.gapPenalty,
                  swapPenalty: try c.decodeIfPresent(Float.self, forKey: .swapPenalty) ?? d.swapPenalty,
                  splitPenalty: try c.decodeIfPresent(Float.self, forKey: .splitPenalty) ?? d.splitPenalty,
                  minPairs: try c.decodeIfPresent(Int.self, forKey: .minPairs) ?? d.minPairs,
                  maxPassages: try c.decodeIfPresent(Int.self, forKey: .maxPassages) ?? d.maxPassages,
                  maxCells: try c.decodeIfPresent(Int.self, forKey: .maxCells) ?? d.maxCells)
    }

    /// Whether a pair with this similarity is a seed (NaN never is).
    @inlinable public func isSeed(_ similarity: Float) -> Bool { similarity >= seedThreshold }

    /// The score of aligning one pair of sentences.
    @inlinable public func pairScore(_ similarity: Float) -> Float {
        isSeed(similarity) ? (similarity - seedThreshold) * scale
            : (similarity.isNaN ? mismatch : Swift.max(mismatch, (similarity - seedThreshold) * scale))
    }

    var isValid: Bool {
        seedThreshold.isFinite && scale.isFinite && scale > 0 && mismatch.isFinite && mismatch <= 0
            && gapPenalty.isFinite && gapPenalty >= 0 && swapPenalty.isFinite && swapPenalty >= 0
            && splitPenalty.isFinite && splitPenalty >= 0
            && minPairs >= 1 && maxPassages >= 0 && maxCells >= 0
    }
}
