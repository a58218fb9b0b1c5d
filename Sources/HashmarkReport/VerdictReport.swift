/// A `hashmark.verdict/1` report: everything a sceptical reader needs to recompute the verdict.
/// JSON field names are a public contract, documented in `Schemas/hashmark.verdict-1.schema.json`.
/// Optional fields are omitted from the JSON when absent, never written as `null`.
public struct VerdictReport: Sendable, Equatable {
    public static let schemaId = "hashmark.verdict/1"
    /// `previousReportSha256` of the first report in a ledger.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// Usable as a file name: `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`.
    public var reportId: String
    public var subject: Subject
    public var verdict: Verdict
    /// Calibrated probability-like score in [0, 1]; present unless the verdict is `error`.
    public var score: Double?
    /// Present exactly when the verdict is `error`.
    public var error: ErrorInfo?
    /// Every matched work with its evidence (empty for `error`; non-empty for `infringing`).
    public var matches: [Match]
    public var decision: Decision
    public var engine: Engine
    public var corpus: Corpus
    /// RFC 3339, UTC, `Z` suffix (see `RFC3339`).
    public var createdAt: String
    /// SHA-256 of the previous report's bytes in the ledger; filled in by `ReportWriter`.
    public var previousReportSha256: String
    public var signer: Signer

    public init(reportId: String, subject: Subject, verdict: Verdict, score: Double?, error: ErrorInfo?,
                matches: [Match], decision: Decision, engine: Engine, corpus: Corpus, createdAt: String,
                previousReportSha256: String = VerdictReport.genesisHash, signer: Signer) {
        self.reportId = reportId
        self.subject = subject
        self.verdict = verdict
        self.score = score
        self.error = error
        self.matches = matches
        self.decision = decision
        self.engine = engine
        self.corpus = corpus
        self.createdAt = createdAt
        self.previousReportSha256 = previousReportSha256
        self.signer = signer
    }

    public enum Verdict: String, Sendable, CaseIterable { case infringing, clear, error }

    /// The file that was checked. `mediaType` is detected from content, not from the name.
    public struct Subject: Sendable, Equatable {
        public var fileName: String
        public var size: Int
        public var sha256: String
        public var mediaType: String
        public init(fileName: String, size: Int, sha256: String, mediaType: String) {
            self.fileName = fileName; self.size = size; self.sha256 = sha256; self.mediaType = mediaType
        }
    }

    /// Why no verdict could be reached (`code` like `unsupported-media`, `decode-failed`).
    public struct ErrorInfo: Sendable, Equatable {
        public var code: String
        public var message: String
        public init(code: String, message: String) { self.code = code; self.message = message }
    }

    /// A protected work from the corpus.
    public struct Work: Sendable, Equatable {
        public var id: String
        public var title: String
        /// The rights holder.
        public var owner: String
        public var license: String
        public init(id: String, title: String, owner: String, license: String) {
            self.id = id; self.title = title; self.owner = owner; self.license = license
        }
    }

    public struct Match: Sendable, Equatable {
        public var work: Work
        /// Which matcher produced it: `pdq`, `text-align`, later `local-features`.
        public var matcher: String
        /// The matcher's score for this work, in [0, 1].
        public var score: Double
        /// Its kind also gives the match's `modality` in JSON.
        public var evidence: Evidence
        public init(work: Work, matcher: String, score: Double, evidence: Evidence) {
            self.work = work; self.matcher = matcher; self.score = score; self.evidence = evidence
        }
        public var modality: Modality { evidence.modality }
    }

    public enum Modality: String, Sendable, CaseIterable { case image, text }

    public enum Evidence: Sendable, Equatable {
        case image(ImageEvidence)
        case localFeatures(LocalFeatureEvidence)
        case text(TextEvidence)
        public var modality: Modality {
            switch self {
            case .image, .localFeatures: .image
            case .text: .text
            }
        }
    }

    /// The thresholds and rule behind the verdict, so a reader can recompute it from the evidence.
    public struct Decision: Sendable, Equatable {
        /// Human-readable rule, e.g. "infringing if any image match has pdqDistance <= pdqMaxDistance".
        public var rule: String
        public var thresholds: [String: Double]
        public var modelId: String
        public var modelSha256: String
        public init(rule: String, thresholds: [String: Double], modelId: String, modelSha256: String) {
            self.rule = rule; self.thresholds = thresholds; self.modelId = modelId; self.modelSha256 = modelSha256
        }
    }

    public struct Engine: Sendable, Equatable {
        public var name: String
        public var version: String
        public init(name: String, version: String) { self.name = name; self.version = version }
    }

    public struct Corpus: Sendable, Equatable {
        /// Identifies the corpus state the file was checked against.
        public var snapshot: String
        public init(snapshot: String) { self.snapshot = snapshot }
    }

    /// Who signed: the detached `.sig` file must verify under the key with this id.
    public struct Signer: Sendable, Equatable {
        public static let ed25519 = "ed25519"
        public var algorithm: String
        /// SHA-256 (hex) of the public key's SubjectPublicKeyInfo DER (`PublicKey.keyId`).
        public var keyId: String
        public init(keyId: String, algorithm: String = Signer.ed25519) {
            self.keyId = keyId; self.algorithm = algorithm
        }
    }
}

/// PDQ image evidence (and, with `region`, local-feature evidence).
public struct ImageEvidence: Sendable, Equatable {
    /// The eight symmetries of the square: the edit that turns the work into the submission.
    /// `rot90`/`rot180`/`rot270` rotate clockwise; `flipH` mirrors left–right, `flipV` top–bottom;
    /// `transpose` mirrors along the main diagonal, `transverse` along the anti-diagonal.
    public enum Dihedral: String, Sendable, CaseIterable {
        case identity, rot90, rot180, rot270, flipH, flipV, transpose, transverse
    }

    /// Hamming distance (0–256) between the submitted hash and the work's hash.
    public var pdqDistance: Int
    /// PDQ quality (0–100) of the submitted image's hash.
    public var quality: Int
    /// The largest distance that counts as a match for this matcher.
    public var threshold: Int
    /// The symmetry (and colour inversion) under which the best distance was found.
    public var transform: Dihedral
    public var inverted: Bool
    /// Matched rectangle in both images, in pixels of each image, when known.
    public var region: RegionPair?

    public init(pdqDistance: Int, quality: Int, threshold: Int, transform: Dihedral, inverted: Bool,
                region: RegionPair? = nil) {
        self.pdqDistance = pdqDistance; self.quality = quality; self.threshold = threshold
        self.transform = transform; self.inverted = inverted; self.region = region
    }

    public struct Rect: Sendable, Equatable {
        public var x: Int, y: Int, width: Int, height: Int
        public init(x: Int, y: Int, width: Int, height: Int) {
            self.x = x; self.y = y; self.width = width; self.height = height
        }
    }

    public struct RegionPair: Sendable, Equatable {
        public var submitted: Rect
        public var source: Rect
        public init(submitted: Rect, source: Rect) { self.submitted = submitted; self.source = source }
    }
}

/// Keypoint (local-feature) evidence: RANSAC-verified correspondences and the recovered geometry.
public struct LocalFeatureEvidence: Sendable, Equatable {
    /// Correspondences consistent with one affine transform.
    public var inliers: Int
    /// Ratio-tested correspondences offered to RANSAC.
    public var tentativeMatches: Int
    /// The fewest inliers that count as a match.
    public var threshold: Int
    /// Scale and clockwise rotation of the copy relative to the work, when a model was found.
    public var scale: Double?
    public var rotationDegrees: Double?
    /// The copy is mirrored (matched through mirrored descriptors).
    public var mirrored: Bool
    /// The matched rectangle in both images, in pixels of each image.
    public var region: ImageEvidence.RegionPair?

    public init(inliers: Int, tentativeMatches: Int, threshold: Int, scale: Double?, rotationDegrees: Double?,
                mirrored: Bool, region: ImageEvidence.RegionPair?) {
        self.inliers = inliers; self.tentativeMatches = tentativeMatches; self.threshold = threshold
        self.scale = scale; self.rotationDegrees = rotationDegrees; self.mirrored = mirrored; self.region = region
    }
}

/// Aligned-passage text evidence. Offsets and lengths are in bytes of each document's original
/// text (as the text pipeline maps normalised words back to the input).
public struct TextEvidence: Sendable, Equatable {
    public struct Range: Sendable, Equatable {
        public var offset: Int, length: Int
        public init(offset: Int, length: Int) { self.offset = offset; self.length = length }
    }

    public struct Span: Sendable, Equatable {
        public var submitted: Range
        public var source: Range
        public var alignedWords: Int
        /// Short excerpts (the engine bounds their length) so the report stands alone.
        public var submittedExcerpt: String
        public var sourceExcerpt: String
        public init(submitted: Range, source: Range, alignedWords: Int, submittedExcerpt: String,
                    sourceExcerpt: String) {
            self.submitted = submitted; self.source = source; self.alignedWords = alignedWords
            self.submittedExcerpt = submittedExcerpt; self.sourceExcerpt = sourceExcerpt
        }
    }

    public var spans: [Span]
    /// Total aligned words over all spans.
    public var alignedWords: Int
    /// Identical words inside the aligned spans, when the matcher reports them.
    public var matchedWords: Int?
    /// `matchedWords / alignedWords` (0–1): how much of the aligned source passage survived
    /// verbatim (1 for a verbatim copy, about 0.7 at 30 % word substitution).
    public var coverage: Double
    /// Longest run of consecutive identical words.
    public var longestRun: Int

    public init(spans: [Span], alignedWords: Int, matchedWords: Int? = nil, coverage: Double, longestRun: Int) {
        self.spans = spans; self.alignedWords = alignedWords; self.matchedWords = matchedWords
        self.coverage = coverage; self.longestRun = longestRun
    }
}
