import HashmarkFingerprint

/// The identity of what made a stored fingerprint or a work's text postings: an algorithm id and
/// a version. Ingest writes the current one of each kind; the index refuses a corpus holding any
/// other (`corpus-stale`) instead of matching nothing against rows it cannot read.
public struct FingerprintAlgorithm: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case pdq
        case localFeatures = "local features"
        case textShingles = "text shingles"
        case audioLandmarks = "audio landmarks"
        case imageDescriptor = "image descriptor"
        case sentenceEmbeddings = "sentence embeddings"
    }

    public let kind: Kind
    /// Stored in the `algorithm` column.
    public let id: String
    public let version: Int
    /// Every id, past and present, of this kind starts with this (how a stored row is told apart
    /// from other kinds, and what `replaceFingerprints(of:family:with:)` replaces).
    public let family: String

    public var description: String { "\(id) v\(version)" }

    /// PDQ (Meta's reference arithmetic on ingest), 8 dihedral variants.
    public static let pdq = FingerprintAlgorithm(kind: .pdq, id: "pdq", version: 1, family: "pdq")
    /// The current local-feature extractor (its id names its version too).
    public static let localFeatures = FingerprintAlgorithm(kind: .localFeatures, id: LocalFeatures.algorithm,
                                                           version: 2, family: "hashmark-orb-")
    /// Winnowed word shingles of the default text parameters: the id carries everything that
    /// changes a posting (hashing and folding version, shingle length `k`, window `w`).
    public static let textShingles = FingerprintAlgorithm(
        kind: .textShingles,
        id: "\(TextFingerprintParameters.default.algorithm)/k\(TextFingerprintParameters.default.k)w\(TextFingerprintParameters.default.w)",
        version: 1, family: "hashmark-text-")

    /// Landmark pairs of spectral peaks at the default `AudioFingerprint.Parameters`.
    public static let audioLandmarks = FingerprintAlgorithm(kind: .audioLandmarks, id: AudioFingerprint.algorithm,
                                                            version: 1, family: "landmark-pairs-")

    /// Every stored image descriptor's algorithm id starts with this, followed by the id of the
    /// model that computed it (`descriptor(model:)`).
    public static let descriptorFamily = "descriptor/"

    /// Vectors of the learned image descriptor `model` (the id in its `model.json`). Not in
    /// `current`: which model is current is the loaded model's say, so rows of other models are
    /// not stale content but vectors the index leaves aside (`CorpusIndex.descriptorCounts`).
    public static func descriptor(model: String) -> FingerprintAlgorithm {
        FingerprintAlgorithm(kind: .imageDescriptor, id: descriptorFamily + model, version: 1, family: descriptorFamily)
    }

    /// Every stored set of sentence embeddings' algorithm id starts with this, followed by the
    /// transformer's id and the first 12 hex digits of its weights' SHA-256.
    public static let sentenceEmbeddingsFamily = "sentence-embeddings/"

    /// A text work's sentences embedded by the paraphrase matcher's transformer `model` (its id
    /// and weights' SHA-256): a cache of what matching would compute, so, like the descriptors,
    /// not in `current` and never stale; rows of another model are left aside.
    public static func sentenceEmbeddings(model: String, weightsSha256: String) -> FingerprintAlgorithm {
        FingerprintAlgorithm(kind: .sentenceEmbeddings, id: sentenceEmbeddingsFamily + model + "@" + weightsSha256.prefix(12),
                             version: 1, family: sentenceEmbeddingsFamily)
    }

    /// The one current algorithm of each kind.
    public static let current: [FingerprintAlgorithm] = [pdq, localFeatures, textShingles, audioLandmarks]

    /// Whether fingerprint rows stored under `id` and `version` are readable by the current code.
    public static func isCurrentFingerprint(id: String, version: Int) -> Bool {
        if id.hasPrefix(descriptorFamily) || id.hasPrefix(sentenceEmbeddingsFamily) { return version == 1 }
        return [pdq, localFeatures, audioLandmarks].contains { $0.id == id && $0.version == version }
    }

    /// Whether works of this media type (`image/…`, `audio/…`) are fingerprinted by this algorithm.
    public func applies(toMediaType mediaType: String) -> Bool {
        switch kind {
        case .pdq, .localFeatures, .imageDescriptor: mediaType.hasPrefix("image/")
        case .audioLandmarks: mediaType.hasPrefix("audio/")
        case .textShingles, .sentenceEmbeddings: false
        }
    }

    /// Whether text postings recorded as made by `id` and `version` are the current shingler's.
    public static func isCurrentPostings(id: String, version: Int) -> Bool {
        id == textShingles.id && version == textShingles.version
    }
}

/// Rows of the store made by something other than the current algorithms (see
/// `CorpusStore.staleContent()`); empty when the corpus is current.
public struct StaleContent: Sendable, Hashable, CustomStringConvertible {
    /// One (algorithm, version) found in the store that is not current, and how many works hold it.
    public struct Entry: Sendable, Hashable {
        /// `nil` for text postings written before the store recorded their algorithm.
        public var algorithm: String?
        public var version: Int?
        public var works: Int
        /// Text postings (otherwise fingerprints).
        public var isTextPostings: Bool

        public init(algorithm: String?, version: Int?, works: Int, isTextPostings: Bool) {
            self.algorithm = algorithm
            self.version = version
            self.works = works
            self.isTextPostings = isTextPostings
        }
    }

    public var entries: [Entry]

    public var isEmpty: Bool { entries.isEmpty }

    /// E.g. `fingerprints hashmark-orb-v1 v1 (3 works); text postings of no recorded algorithm (2 works)`.
    public var description: String {
        entries.map { e in
            let what = e.isTextPostings ? "text postings" : "fingerprints"
            guard let algorithm = e.algorithm else { return "\(what) of no recorded algorithm (\(e.works) works)" }
            return "\(what) \(algorithm) v\(e.version ?? 0) (\(e.works) works)"
        }.joined(separator: "; ")
    }
}
