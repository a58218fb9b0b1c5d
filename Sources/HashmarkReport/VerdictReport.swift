/// A verdict and everything a sceptical reader needs to recompute it: the one model of a verdict,
/// built by the engine, printed by `check --json`, signed into reports and shown by `show`.
/// JSON field names are a public contract, documented in `Schemas/hashmark.verdict-2.schema.json`
/// (`/2` is `/1` plus optional members), `-3` (`/3` is `/2` plus the `sentence-align` evidence,
/// written only by reports that carry it) and `-4` (`/4` is `/3` plus document locations, written
/// only for documents: PDF, EPUB, DOCX, ODT) and `-5` (`/5` is `/4` plus audio: `subject.audio`
/// and `audio-landmarks` evidence, written only for recordings) and `-6` (`/6` is `/5` plus the learned
/// image descriptor's `descriptor` evidence, written only by reports that carry it) and `-7` (`/7` is
/// `/6` plus `workBackground` on image evidence: a transparent work's fingerprint over black or
/// grey matched, written only by reports that carry it) and `-8` (`/8` is `/7` plus `matchedWorkArea` and
/// `minMatchedWorkArea` on keypoint evidence: how much of the work the matched keypoints span,
/// written only by reports that carry it) and `-9` (`/9` is `/8` plus `elementInliers` and
/// `ignoredElements` on keypoint evidence: inliers on a registered ignore-element, which do not
/// count; written only by reports that carry them); `verify` reads all nine. Optional fields are omitted
/// from the JSON when absent, never written as `null`.
public struct VerdictReport: Sendable, Equatable {
    public static let schemaId = "hashmark.verdict/2"
    /// The schema of reports with paraphrase (`sentence-align`) evidence.
    public static let paraphraseSchemaId = "hashmark.verdict/3"
    /// The schema of reports on documents (`Subject.document`, locations of passages and images).
    public static let documentSchemaId = "hashmark.verdict/4"
    /// The schema of reports on recordings (`Subject.audio`, `audio-landmarks` evidence).
    public static let audioSchemaId = "hashmark.verdict/5"
    /// The schema of reports with learned image descriptor (`descriptor`) evidence.
    public static let descriptorSchemaId = "hashmark.verdict/6"
    /// The schema of reports where a transparent work's over-black fingerprint matched (`workBackground`).
    public static let workBackgroundSchemaId = "hashmark.verdict/7"
    /// The schema of reports whose keypoint evidence states the work's matched area (`matchedWorkArea`).
    public static let matchedAreaSchemaId = "hashmark.verdict/8"
    /// The schema of reports whose keypoint evidence sets aside inliers on ignore-elements.
    public static let ignoreElementSchemaId = "hashmark.verdict/9"
    /// Schemas this version reads: `/1` reports stay verifiable.
    public static let readableSchemas = ["hashmark.verdict/1", schemaId, paraphraseSchemaId, documentSchemaId, audioSchemaId,
                                         descriptorSchemaId, workBackgroundSchemaId, matchedAreaSchemaId, ignoreElementSchemaId]
    /// `previousReportSha256` of the first report in a ledger.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// `schemaId` for reports written now (`paraphraseSchemaId` when a match has paraphrase
    /// evidence); a report read back keeps its own.
    public var schema = VerdictReport.schemaId
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

    /// The schema a writer signs this report under: `/9` when keypoint evidence sets aside inliers
    /// on ignore-elements, `/8` when keypoint evidence states the work's matched area, `/7` when a
    /// match names a `workBackground`,
    /// `/6` when a match has descriptor evidence, `/5` for a recording (`subject.audio`) or
    /// audio evidence, `/4` for a document (`subject.document`), else `/3` exactly when a match
    /// has paraphrase evidence (also after near misses were dropped), else `/2`; a `/1` report
    /// keeps `/1`.
    public var writtenSchema: String {
        if schema == Self.readableSchemas[0] { return schema }
        if matches.contains(where: { if case .localFeatures(let e) = $0.evidence { e.ignoredElements != nil } else { false } }) {
            return Self.ignoreElementSchemaId
        }
        if matches.contains(where: { if case .localFeatures(let e) = $0.evidence { e.matchedWorkArea != nil } else { false } }) {
            return Self.matchedAreaSchemaId
        }
        if matches.contains(where: { $0.evidence.workBackground != nil }) { return Self.workBackgroundSchemaId }
        if matches.contains(where: { if case .descriptor = $0.evidence { true } else { false } }) {
            return Self.descriptorSchemaId
        }
        if subject.audio != nil || matches.contains(where: { $0.modality == .audio }) { return Self.audioSchemaId }
        if subject.document != nil { return Self.documentSchemaId }
        let paraphrase = matches.contains { if case .paraphrase = $0.evidence { true } else { false } }
        return paraphrase ? Self.paraphraseSchemaId : Self.schemaId
    }

    public enum Verdict: String, Sendable, CaseIterable { case infringing, clear, error }

    /// The file that was checked. `mediaType` is detected from content, not from the name.
    public struct Subject: Sendable, Equatable {
        public var fileName: String
        public var size: Int
        public var sha256: String
        public var mediaType: String
        /// How a document's text and images were extracted (`/4`); nil for images and texts.
        public var document: DocumentInfo?
        /// What was decoded from a recording (`/5`).
        public var audio: AudioInfo?
        public init(fileName: String, size: Int, sha256: String, mediaType: String, document: DocumentInfo? = nil,
                    audio: AudioInfo? = nil) {
            self.fileName = fileName; self.size = size; self.sha256 = sha256; self.mediaType = mediaType
            self.document = document; self.audio = audio
        }
    }

    /// What was read out of a submitted document (`/4`): spans in the report are UTF-8 offsets
    /// into the extracted text, and each names its page or chapter and paragraph.
    public struct DocumentInfo: Sendable, Equatable {
        /// `pdf`, `epub`, `docx` or `odt`.
        public var format: String
        /// The extractor and its version (`pdftotext 22.12.0`, `hashmark-docx/1`).
        public var extractor: String
        /// UTF-8 bytes of the extracted text.
        public var textBytes: Int
        /// Pages (PDF) or chapters (EPUB).
        public var pages: Int?
        /// Embedded images checked by the image matchers, and images found but not checked.
        public var images: Int
        public var skippedImages: Int
        public init(format: String, extractor: String, textBytes: Int, pages: Int? = nil, images: Int, skippedImages: Int) {
            self.format = format; self.extractor = extractor; self.textBytes = textBytes; self.pages = pages
            self.images = images; self.skippedImages = skippedImages
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
        /// The work's media type as registered (`/2`).
        public var mediaType: String?
        public init(id: String, title: String, owner: String, license: String, mediaType: String? = nil) {
            self.id = id; self.title = title; self.owner = owner; self.license = license; self.mediaType = mediaType
        }
    }

    /// One corpus work compared closely with the submission: a match, or a near miss kept as context.
    public struct Match: Sendable, Equatable {
        public var work: Work
        /// The matcher's score for this work in [0, 1]: 0.5 exactly at the model's threshold.
        public var score: Double
        /// This match alone meets the model's rule for its matcher (`/2`; in `/1` reports every
        /// listed match of an infringing verdict was not necessarily one).
        public var isMatch: Bool?
        /// Its kind gives the match's `matcher` and `modality` in JSON.
        public var evidence: Evidence
        /// In a document, the embedded image this image match was found in (`/4`); text matches
        /// locate each span instead (`TextEvidence.Range.location`).
        public var location: DocumentLocation?
        public init(work: Work, score: Double, isMatch: Bool? = nil, evidence: Evidence, location: DocumentLocation? = nil) {
            self.work = work; self.score = score; self.isMatch = isMatch; self.evidence = evidence
            self.location = location
        }
        /// `pdq`, `local-features`, `descriptor`, `text-align`, `sentence-align` or `audio-landmarks`.
        public var matcher: String { evidence.matcher }
        public var modality: Modality { evidence.modality }
    }

    public enum Modality: String, Sendable, CaseIterable { case image, text, audio }

    /// The evidence for one (submission, work) pair, by matcher.
    public enum Evidence: Sendable, Equatable {
        case image(ImageEvidence)
        case localFeatures(LocalFeatureEvidence)
        case text(TextEvidence)
        /// Paraphrased passages found sentence by sentence (`/3`).
        case paraphrase(ParaphraseEvidence)
        /// A recording heard inside the submission (`/5`).
        case audio(AudioEvidence)
        /// Close in the learned image descriptor's space (`/6`).
        case descriptor(DescriptorEvidence)

        /// The background a transparent work was registered over for the fingerprint that
        /// matched (`"black"`, `"grey"`; `/7`); nil for the work as its file shows it, and for non-image evidence.
        public var workBackground: String? {
            switch self {
            case .image(let e): e.workBackground
            case .localFeatures(let e): e.workBackground
            case .descriptor(let e): e.workBackground
            case .text, .paraphrase, .audio: nil
            }
        }

        /// The matcher's stable name, as written in reports.
        public var matcher: String {
            switch self {
            case .image: "pdq"
            case .localFeatures: "local-features"
            case .text: "text-align"
            case .paraphrase: "sentence-align"
            case .audio: "audio-landmarks"
            case .descriptor: "descriptor"
            }
        }

        public var modality: Modality {
            switch self {
            case .image, .localFeatures, .descriptor: .image
            case .text, .paraphrase: .text
            case .audio: .audio
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
