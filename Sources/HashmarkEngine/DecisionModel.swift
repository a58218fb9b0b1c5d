import HashmarkFingerprint

/// The thresholds and rule that turn evidence into a verdict, loaded from `Models/*.json`.
///
/// Rule: a submission is `infringing` when at least one corpus work meets its matcher's rule —
/// PDQ: distance ≤ `image.pdqMaxDistance` with both qualities ≥ `image.pdqMinQuality`;
/// local features: inliers ≥ `image.localMinInliers`; text: every threshold of `text`
/// (`TextDecisionModel.score`). Each match also gets a score in 0…1 that is 0.5 exactly at its
/// threshold (PDQ `1 − d / 2T`; local `n / (n + N)`; text `s / (1 + s)` with `s` the text score,
/// 1 at the word threshold); the verdict's score is the highest. Scores rank, they are not
/// probabilities until a fitted model calibrates them.
///
/// A report cites the model's id and the SHA-256 of the file it was loaded from, so a reader can
/// recompute every verdict from the evidence. `hashmark eval` fits and writes new versions.
public struct DecisionModel: Codable, Sendable, Equatable {
    /// Always `hashmark.model/1` for this layout.
    public var schema: String
    /// A stable, human-readable id, e.g. `hashmark-defaults-1`.
    public var id: String
    /// What the model is and how it was obtained (defaults, or fitted on which split at which FPR).
    public var description: String
    public var image: ImageRule
    public var text: TextDecisionModel

    /// Image thresholds: PDQ decides photometric copies; local features decide crops, pads, rotations.
    public struct ImageRule: Codable, Sendable, Equatable {
        /// A PDQ match counts when the dihedral-aware Hamming distance is at most this.
        public var pdqMaxDistance: Int
        /// PDQ hashes of flat, featureless images (quality below this) do not decide.
        public var pdqMinQuality: Int
        /// Radius searched for near misses kept as context in reports (≥ `pdqMaxDistance`).
        public var pdqCandidateRadius: Int
        /// A local-feature match counts when RANSAC keeps at least this many inliers.
        public var localMinInliers: Int
        /// Candidate works verified by RANSAC per submission (most shortlist votes first). The
        /// right work comes first whenever it is shortlisted (Benchmarks/ORB.md); 4 and 8 gave the
        /// same detection on both bundled eval splits (Models/README.md), 4 at half the cost.
        public var localMaxCandidates: Int
        /// Shortlist votes a work needs before it is verified. A vote is one query descriptor whose
        /// nearest colliding corpus descriptor lies in this work and passes the cross-work ratio test
        /// (`LocalShortlistIndex`); chance votes are rare, so a handful suffices.
        public var localMinVotes: Int
    }

    /// The documented defaults: PDQ ≤ 31 (Meta's recommended match threshold) at quality ≥ 50;
    /// ≥ 20 inliers (no unrelated real pair exceeded 6 in the local-feature tests); the text
    /// defaults of `TextDecisionModel` (≥ 50 aligned words, the memorisation literature's standard).
    public static let defaults = DecisionModel(
        schema: "hashmark.model/1", id: "hashmark-defaults-2",
        description: "Documented defaults, not fitted: PDQ distance <= 31 at quality >= 50; "
            + "local features >= 20 RANSAC inliers; text: TextDecisionModel defaults (>= 50 aligned words).",
        image: ImageRule(pdqMaxDistance: 31, pdqMinQuality: 50, pdqCandidateRadius: 40,
                         localMinInliers: 20, localMaxCandidates: 4, localMinVotes: 3),
        text: .default)

    /// The rule in words, as written into every report.
    public var ruleDescription: String {
        "infringing if any work matches: pdq distance <= pdqMaxDistance with submission and work "
            + "quality >= pdqMinQuality; or local-features inliers >= localMinInliers; or text "
            + "alignedWords >= minAlignedWords, matchedWords >= minMatchedWords, coverage >= minCoverage "
            + "and longestRun >= minLongestRun. Otherwise clear."
    }

    /// The thresholds named in `ruleDescription`, by name.
    public var thresholds: [String: Double] {
        [
            "pdqMaxDistance": Double(image.pdqMaxDistance),
            "pdqMinQuality": Double(image.pdqMinQuality),
            "localMinInliers": Double(image.localMinInliers),
            "minAlignedWords": Double(text.minAlignedWords),
            "minMatchedWords": Double(text.minMatchedWords),
            "minCoverage": text.minCoverage,
            "minLongestRun": Double(text.minLongestRun),
        ]
    }
}
