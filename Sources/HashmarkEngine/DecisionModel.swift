import Foundation

/// The thresholds and rule that turn evidence into a verdict, loaded from `Models/*.json`.
///
/// A report cites the model's id and the SHA-256 of the exact file it was loaded from, so a reader
/// can recompute every verdict from the evidence. `hashmark eval --fit` writes new versions.
public struct DecisionModel: Codable, Sendable, Equatable {
    /// Always `hashmark.model/1` for this layout.
    public var schema: String
    /// A stable, human-readable id, e.g. `hashmark-default-2026-11`.
    public var id: String
    /// What the model is and how it was obtained (defaults, or fitted on which split at which FPR).
    public var description: String
    public var image: ImageRule
    public var text: TextRule

    /// Image matches: PDQ decides photometric copies; local features decide crops, pads, rotations.
    public struct ImageRule: Codable, Sendable, Equatable {
        /// A PDQ match counts when the (dihedral-aware) Hamming distance is at most this.
        public var pdqMaxDistance: Int
        /// PDQ hashes of images below this quality (flat, featureless) are not trusted to decide.
        public var pdqMinQuality: Int
        /// Radius used to shortlist candidates for the report's evidence (≥ `pdqMaxDistance`).
        public var pdqCandidateRadius: Int
        /// A local-feature match counts when RANSAC keeps at least this many inliers.
        public var localMinInliers: Int
    }

    /// Text matches: aligned passages.
    public struct TextRule: Codable, Sendable, Equatable {
        /// A text match counts when at least this many words align with one corpus work…
        public var minAlignedWords: Int
        /// …or when this fraction of the corpus work is covered (for short works), with at least
        /// `minAlignedWordsForCoverage` aligned words.
        public var minCoverage: Double
        public var minAlignedWordsForCoverage: Int
    }

    /// The documented defaults: PDQ ≤ 31 (Meta's recommended match threshold), quality ≥ 50,
    /// ≥ 50 aligned words (the 50-token standard of the memorisation literature).
    public static let defaults = DecisionModel(
        schema: "hashmark.model/1", id: "hashmark-defaults-1",
        description: "Documented defaults, not fitted: PDQ distance <= 31 at quality >= 50; "
            + "local features >= 20 RANSAC inliers; text >= 50 aligned words, or >= 50 % coverage "
            + "of the work with >= 25 aligned words.",
        image: ImageRule(pdqMaxDistance: 31, pdqMinQuality: 50, pdqCandidateRadius: 48,
                         localMinInliers: 20),
        text: TextRule(minAlignedWords: 50, minCoverage: 0.5, minAlignedWordsForCoverage: 25))
}

/// A decision model together with the identity of the bytes it came from.
public struct LoadedModel: Sendable {
    public let model: DecisionModel
    /// SHA-256 (hex) of the model file's exact bytes; of the canonical defaults when built in.
    public let sha256: String
    /// Where it was loaded from, or `nil` for the built-in defaults.
    public let path: String?

    public init(model: DecisionModel, sha256: String, path: String?) {
        self.model = model
        self.sha256 = sha256
        self.path = path
    }
}
