/// The learned image descriptor's thresholds (`descriptor` in a model file; a model file without
/// it, or without one of its keys, gets `DescriptorRule.default`'s values).
///
/// Search: exact cosine scan of the submission's descriptor against every registered image's (of
/// the same model), run only when neither PDQ nor keypoints matched; the `maxCandidates` closest
/// works whose similarity (cosine less the model's background cosine, `DescriptorEvidence`) is at
/// least `nearMissSimilarity` become matches or near misses.
///
/// Decision: a work matches when the similarity is at least `minSimilarity`.
public struct DescriptorRule: Codable, Sendable, Equatable {
    public var minSimilarity: Double
    public var nearMissSimilarity: Double
    public var maxCandidates: Int
    /// `false` turns the matcher off whatever models are loaded.
    public var enabled: Bool

    public init(minSimilarity: Double, nearMissSimilarity: Double, maxCandidates: Int = 3, enabled: Bool = true) {
        self.minSimilarity = minSimilarity
        self.nearMissSimilarity = nearMissSimilarity
        self.maxCandidates = maxCandidates
        self.enabled = enabled
    }

    /// Similarity ≥ 0.7, chosen conservatively, not fitted: on the 2,656-image Debian pool
    /// (`Scripts/eval/build-image-pool.py`, `--works 300`) 0.7 added no false positive to those of
    /// PDQ and keypoints on seed 2's test split (4,620 negatives), while 0.5 — what
    /// `--fit-descriptor-only` chose on seed 1's train split — added 14 on seed 1's test split.
    /// At 0.7 the descriptor adds little detection yet (Models/README.md).
    public static let `default` = DescriptorRule(minSimilarity: 0.7, nearMissSimilarity: 0.2, maxCandidates: 3)

    enum CodingKeys: String, CodingKey { case minSimilarity, nearMissSimilarity, maxCandidates, enabled }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = DescriptorRule.default
        self.init(minSimilarity: try c.decodeIfPresent(Double.self, forKey: .minSimilarity) ?? d.minSimilarity,
                  nearMissSimilarity: try c.decodeIfPresent(Double.self, forKey: .nearMissSimilarity) ?? d.nearMissSimilarity,
                  maxCandidates: try c.decodeIfPresent(Int.self, forKey: .maxCandidates) ?? d.maxCandidates,
                  enabled: try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled)
    }
}
