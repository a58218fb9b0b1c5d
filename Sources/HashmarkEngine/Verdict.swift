import HashmarkFingerprint

/// What Hashmark concluded about one submitted file. A value, not an error: a file that cannot
/// be read or decoded gets `.error` with a specific code.
public enum VerdictKind: String, Sendable, Codable {
    case infringing, clear, error
}

/// The corpus work a submission matched, as the report shows it.
public struct WorkRef: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    /// The rights holder.
    public var owner: String
    public var license: String
    public var mediaType: String
}

/// An axis-aligned rectangle in pixels of one image.
public struct Region: Sendable, Hashable, Codable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
}

/// Evidence of a PDQ match.
public struct PDQEvidence: Sendable, Hashable, Codable {
    /// Hamming distance between the submission (after undoing `transform`) and the work.
    public var distance: Int
    /// PDQ quality of the submission and of the work (0–100).
    public var quality: Int
    public var workQuality: Int
    /// The edit that turns the work into the submission: `identity`, `rot90`, `rot180`, `rot270`
    /// (clockwise), `flipH` (left–right), `flipV` (top–bottom), `transpose`, `transverse`.
    public var transform: String
    /// The submission is a negative (inverted) copy.
    public var inverted: Bool
}

/// Evidence of a local-feature (keypoint) match.
public struct LocalEvidence: Sendable, Hashable, Codable {
    /// Keypoint matches consistent with one affine transform (RANSAC inliers).
    public var inliers: Int
    /// Matches that passed the ratio test, before RANSAC.
    public var tentativeMatches: Int
    /// Scale and clockwise rotation of the copy relative to the work; mirrored copies flagged.
    public var scale: Double?
    public var rotationDegrees: Double?
    public var mirrored: Bool
    /// The part of the work that appears in the submission, in the work's pixels.
    public var workRegion: Region?
    /// Where that part lies in the submission, in the submission's pixels.
    public var submissionRegion: Region?
}

/// One aligned passage: UTF-8 byte spans into the submission's extracted text and the work's text.
public struct TextSpanEvidence: Sendable, Hashable, Codable {
    public var submittedOffset: Int
    public var submittedLength: Int
    public var sourceOffset: Int
    public var sourceLength: Int
    public var alignedWords: Int
    public var matchedWords: Int
    public var longestRun: Int
    /// Short excerpts of both sides (at most ~300 bytes each, cut at character boundaries).
    public var submittedExcerpt: String
    public var sourceExcerpt: String
}

/// Evidence of an aligned-text match.
public struct TextEvidence: Sendable, Hashable, Codable {
    public var spans: [TextSpanEvidence]
    /// Words of the work spanned by the aligned passages, summed.
    public var alignedWords: Int
    /// Identical words inside them.
    public var matchedWords: Int
    /// `matchedWords / alignedWords`.
    public var coverage: Double
    public var longestRun: Int
    /// Words in the whole work, for context.
    public var workWords: Int
}

/// The evidence for one (submission, work) pair, by matcher.
public enum MatchEvidence: Sendable, Hashable {
    case pdq(PDQEvidence)
    case localFeatures(LocalEvidence)
    case text(TextEvidence)

    /// The matcher's stable name, as written in reports: `pdq`, `local-features`, `text-align`.
    public var matcher: String {
        switch self {
        case .pdq: "pdq"
        case .localFeatures: "local-features"
        case .text: "text-align"
        }
    }

    public var modality: String {
        switch self {
        case .pdq, .localFeatures: "image"
        case .text: "text"
        }
    }
}

/// A corpus work the submission was compared with closely, and what was found.
public struct WorkMatch: Sendable, Hashable {
    public var work: WorkRef
    public var evidence: MatchEvidence
    /// 0…1, 0.5 exactly at the model's threshold, higher is stronger (see `DecisionModel`).
    public var score: Double
    /// This match alone meets the model's rule for its matcher.
    public var isMatch: Bool
}

/// What was submitted.
public struct Subject: Sendable, Hashable, Codable {
    public var fileName: String
    public var size: Int
    /// SHA-256 of the exact bytes, hex.
    public var sha256: String
    /// Detected from the content (MIME type), never from the name.
    public var mediaType: String

    public init(fileName: String, size: Int, sha256: String, mediaType: String) {
        self.fileName = fileName
        self.size = size
        self.sha256 = sha256
        self.mediaType = mediaType
    }
}

/// The full result of checking one file: the verdict and everything needed to explain it.
public struct Verdict: Sendable {
    public var kind: VerdictKind
    /// The highest match score (0 when nothing matched): ≥ 0.5 exactly when `kind == .infringing`.
    public var score: Double
    public var error: EngineError?
    public var subject: Subject
    /// Matches that meet the rule first (strongest first), then near misses kept as context.
    public var matches: [WorkMatch]
    /// The corpus snapshot and model the file was matched against.
    public var corpusSnapshot: String
    public var model: ModelIdentity
}

/// Which decision model produced a verdict.
public struct ModelIdentity: Sendable, Hashable, Codable {
    public var id: String
    public var sha256: String
}

extension Verdict {
    /// An `error` verdict built outside the engine (the daemon's own refusals: symlinks, FIFOs,
    /// hard links, timeouts, crashed workers), citing the corpus snapshot and model in force.
    public static func error(_ error: EngineError, subject: Subject, corpusSnapshot: String,
                             model: ModelIdentity) -> Verdict {
        Verdict(kind: .error, score: 0, error: error, subject: subject, matches: [],
                corpusSnapshot: corpusSnapshot, model: model)
    }
}
