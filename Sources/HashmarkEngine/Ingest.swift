import HashmarkDocument
import HashmarkFingerprint
import HashmarkMedia
import HashmarkPrimitives
import HashmarkStore

/// Registering rights holders' works: fingerprint once, keep in the store.
public struct Ingest: Sendable {
    public let store: CorpusStore
    public let limits: EngineLimits
    /// Makes the preview of an image work that the HTML evidence view shows, from the pixels
    /// ingest decoded (`Thumbnail.maker` in HashmarkView); `nil`: no previews (matching does
    /// not use them).
    public let thumbnailer: Thumbnailer?
    /// Makes the preview of an audio work (a spectrogram, `AudioPreview.maker` in HashmarkView)
    /// from its mono samples at the fingerprint's rate; `nil`: none.
    public var audioPreviewer: AudioPreviewer?
    /// Reads works registered as documents (PDF, EPUB, DOCX, ODT): their text is registered.
    public var documents: DocumentReader
    /// The learned image descriptor (`DescriptorModel.load()`): image works get its vector;
    /// `nil`: none (the descriptor matcher then has nothing to compare with).
    public var descriptor: DescriptorModel?
    /// The paraphrase matcher's models (`SemanticModel.load()`): a text work's sentences are
    /// embedded once here and stored, so matching reads them instead of computing them (~0.1 s
    /// a 1,000-word text on 2 cores with VNNI); `nil`: matching computes them on first use.
    public var semantic: SemanticModel?

    public typealias Thumbnailer = @Sendable (DecodedImage) -> WorkThumbnail?
    public typealias AudioPreviewer = @Sendable ([Float]) -> WorkThumbnail?

    public init(store: CorpusStore, limits: EngineLimits = .init(), thumbnailer: Thumbnailer? = nil) {
        self.store = store
        self.limits = limits
        self.thumbnailer = thumbnailer
        self.documents = DocumentReader(for: limits)
    }

    /// What the rights holder says about a work; empty fields stay empty.
    public struct Metadata: Sendable {
        public var id: String
        public var title: String
        public var owner: String
        public var license: String
        public var source: String
        /// `.ignoreElement`: the file is a logo, watermark or frame whose matches never count on their own.
        public var role: WorkRole

        public init(id: String, title: String = "", owner: String = "", license: String = "", source: String = "",
                    role: WorkRole = .work) {
            self.id = id
            self.title = title
            self.owner = owner
            self.license = license
            self.source = source
            self.role = role
        }
    }

    /// Fingerprints a file (exact PDQ, local features, text shingles or audio landmarks) and adds it.
    /// Idempotent by SHA-256: the same bytes again return the existing work, `inserted == false`.
    public func add(path: String, metadata: Metadata) throws(EngineError) -> CorpusStore.AddResult {
        let bytes: [UInt8]
        do {
            bytes = try MediaFile.read(path, maxBytes: limits.image.maxFileBytes)
        } catch {
            throw EngineError(error)
        }
        return try add(bytes: bytes, fileName: path, metadata: metadata)
    }

    public func add(bytes: [UInt8], fileName: String, metadata: Metadata) throws(EngineError) -> CorpusStore.AddResult {
        let sha256 = SHA256.hex(bytes)
        // Already registered: skip the fingerprinting (the store would return the same answer),
        // but bring what an older version stored up to date.
        if let existing = try storeCall({ () throws(StoreError) in try store.work(sha256: sha256) }) {
            guard existing.role == metadata.role else {
                throw EngineError(code: "work-role-conflict", message: "This file is already registered as '\(existing.id)' "
                                  + "with the role \(existing.role.rawValue), not \(metadata.role.rawValue); remove it first.")
            }
            try upgrade(existing, bytes: bytes, fileName: fileName)
            return .init(work: existing, inserted: false)
        }
        let derived = try derive(bytes, fileName: fileName, role: metadata.role)
        let work = Work(id: metadata.id, title: metadata.title, owner: metadata.owner, license: metadata.license,
                        source: metadata.source, mediaType: derived.mediaType.mimeType, sha256: sha256, role: metadata.role)
        let added = try storeCall { () throws(StoreError) in
            try store.add(work: work, fingerprints: derived.fingerprints, postings: derived.postings,
                          postingsAlgorithm: .textShingles, text: derived.text)
        }
        // A preview for the HTML evidence view only: a work without one matches exactly the same,
        // so a failed thumbnail write is not worth failing the registration.
        if added.inserted, let thumbnail = derived.thumbnail { try? store.setThumbnail(thumbnail, of: added.work.id) }
        return added
    }

    /// Everything stored for a file, made from one analysis (one decode for an image).
    struct Derived {
        var mediaType: MediaType
        var fingerprints: [StoredFingerprint] = []
        var postings: [TextShingle] = []
        var text: String? = nil
        var thumbnail: WorkThumbnail? = nil
    }

    /// Exact PDQ, local features and thumbnail from the same decoded pixels, or a text's postings;
    /// a document is registered by its extracted text (its embedded images are not registered).
    /// An ignore-element must be an image and gets its local features only (over each background
    /// when transparent): it is never matched as a work, by PDQ, descriptor or keypoints.
    func derive(_ bytes: [UInt8], fileName: String, role: WorkRole) throws(EngineError) -> Derived {
        let type = MediaType.sniff(bytes, fileName: fileName)
        if role == .ignoreElement {
            guard case .image(let image, let decoded) = try Fingerprinter.analyseKeepingPixels(bytes, type: type, limits: limits, exact: true) else {
                throw EngineError(code: "element-not-image", message: "An ignore-element must be an image (a logo, a watermark, a frame).")
            }
            var d = Derived(mediaType: image.mediaType)
            d.fingerprints = [Self.localFingerprint(decoded)] + backgroundFingerprints(decoded, localOnly: true)
            d.thumbnail = thumbnailer?(decoded)
            return d
        }
        if let format = DocumentReader.format(of: type), bytes.count <= limits.image.maxFileBytes {
            let document: ExtractedDocument
            do {
                document = try documents.extract(bytes, format: format)
            } catch {
                throw EngineError(code: error.code.rawValue, message: error.message)
            }
            guard document.hasWords else {
                throw EngineError(code: DocumentError.Code.empty.rawValue,
                                  message: "The document has no text: a document is registered as a text work.")
            }
            let t = try Fingerprinter.text(plain: document.text, type: type, limits: limits)
            var d = Derived(mediaType: type, text: t.text)
            d.postings = TextShingler.corpusShingles(t.normalized, parameters: .default)
            d.fingerprints = sentenceEmbeddings(of: t.text)
            return d
        }
        switch try Fingerprinter.analyseKeepingPixels(bytes, type: type,
                                                      limits: limits, exact: true) {
        case .image(let image, let decoded):
            var d = Derived(mediaType: image.mediaType)
            d.fingerprints = [.pdq(image.pdq.hash, quality: image.pdq.quality), Self.localFingerprint(decoded)]
            if let vector = descriptor?.fingerprint(decoded.image) { d.fingerprints.append(vector) }
            d.fingerprints += backgroundFingerprints(decoded)
            // Optional, as above: no thumbnail only means the evidence view shows none.
            d.thumbnail = thumbnailer?(decoded)
            return d
        case .text(let t):
            var d = Derived(mediaType: t.mediaType, text: t.text)
            d.postings = TextShingler.corpusShingles(t.normalized, parameters: .default)
            d.fingerprints = sentenceEmbeddings(of: t.text)
            return d
        case .audio(let a, let samples):
            var d = Derived(mediaType: a.mediaType)
            d.thumbnail = audioPreviewer?(samples)  // optional, as for images
            d.fingerprints = [StoredFingerprint(algorithm: FingerprintAlgorithm.audioLandmarks.id,
                                                version: FingerprintAlgorithm.audioLandmarks.version,
                                                data: AudioLandmarkCodec.encode(a.fingerprint))]
            return d
        }
    }

    /// The stored row of a text work's sentence embeddings (none without a semantic model).
    func sentenceEmbeddings(of text: String) -> [StoredFingerprint] {
        guard let semantic, let embeddings = semantic.sentenceEmbeddings(of: text) else { return [] }
        let algorithm = semantic.embeddingsAlgorithm
        return [StoredFingerprint(algorithm: algorithm.id, version: algorithm.version, data: embeddings.encoded())]
    }

    /// A work is transparent enough to be registered over other backgrounds when at least this
    /// share of its pixels is under half opacity (a logo, a sticker, a sprite; not a photo with
    /// a feathered corner).
    public static let minTransparentFraction = 0.01

    /// Whether an image file is transparent enough to be registered over other backgrounds
    /// (decoded only when its format can carry transparency: PNG, WebP, GIF).
    public static func isTransparent(_ bytes: [UInt8], fileName: String?, limits: ImageLimits = .init()) -> Bool {
        let type = MediaType.sniff(bytes, fileName: fileName)
        guard type == .png || type == .webp || type == .gif,
              let decoded = try? ImageDecoder.decode(bytes, limits: limits, type: type) else { return false }
        return decoded.transparentFraction >= minTransparentFraction
    }

    /// A transparent work's fingerprints as it shows over each of `WorkVariant.backgrounds`
    /// (black, mid-grey): its file shows it over white, which is what the other fingerprints are
    /// made of, while a copy may paste it onto anything, and an edge's contrast (what PDQ and
    /// keypoints see) depends on the background. Empty for an opaque work. `localOnly`: the
    /// local features alone (an ignore-element's).
    func backgroundFingerprints(_ decoded: DecodedImage, localOnly: Bool = false) -> [StoredFingerprint] {
        guard decoded.transparentFraction >= Self.minTransparentFraction else { return [] }
        return WorkVariant.backgrounds.flatMap { background -> [StoredFingerprint] in
            var pasted = decoded
            pasted.image = decoded.composited(over: background.colour)
            pasted.alpha = nil
            if localOnly {
                var local = Self.localFingerprint(pasted)
                local.variant = background.variant
                return [local]
            }
            let pdq = PDQ.hashWithDihedral(pasted.image).hash
            var out: [StoredFingerprint] = [.pdq(pdq.hash, quality: pdq.quality), Self.localFingerprint(pasted)]
            if let vector = descriptor?.fingerprint(pasted.image) { out.append(vector) }
            for i in out.indices { out[i].variant = background.variant }
            return out
        }
    }

    /// The stored form of an image's local features (the current extractor, mirror left out).
    static func localFingerprint(_ decoded: DecodedImage) -> StoredFingerprint {
        let features = Fingerprinter.localFeatures(of: decoded, includeMirrored: false).withoutMirror
        return StoredFingerprint(algorithm: FingerprintAlgorithm.localFeatures.id,
                                 version: FingerprintAlgorithm.localFeatures.version,
                                 data: LocalFeatureCodec.encode(features))
    }

    /// Adding a work's file again brings what older versions stored up to date: fingerprints or
    /// text postings of an algorithm other than the current one (`FingerprintAlgorithm`, what makes
    /// the index report `corpus-stale`) are made again, a transparent image gets its fingerprints
    /// over the other backgrounds, a missing thumbnail is made, and a text work gets the loaded
    /// semantic model's sentence embeddings.
    private func upgrade(_ work: Work, bytes: [UInt8], fileName: String) throws(EngineError) {
        let isImage = work.mediaType.hasPrefix("image/")
        let stored = try storeCall { () throws(StoreError) in try store.fingerprints(of: work.id) }
        // An ignore-element has local features only (see `derive`).
        let families = work.role == .ignoreElement ? [FingerprintAlgorithm.localFeatures]
            : FingerprintAlgorithm.current + (descriptor.map { [$0.algorithm] } ?? [])
        // A kind is stale when any of its rows is not current, or none is and the kind applies
        // to the work's media type.
        var staleFamilies = families.filter { alg in
            guard alg.kind != .textShingles else { return false }
            let rows = stored.filter { $0.algorithm == alg.id || $0.algorithm.hasPrefix(alg.family) }
            let allCurrent = rows.allSatisfy { $0.algorithm == alg.id && $0.version == alg.version }
            return !allCurrent || (alg.applies(toMediaType: work.mediaType) && rows.isEmpty)
        }
        let postingsStale = try storeCall { () throws(StoreError) -> Bool in
            let recorded = try store.postingsAlgorithm(of: work.id)
            if let recorded { return !FingerprintAlgorithm.isCurrentPostings(id: recorded.algorithm, version: recorded.version) }
            return try !store.postings(of: work.id).isEmpty
        }
        var thumbnailMissing = false
        let isAudio = work.mediaType.hasPrefix("audio/")
        if (isImage && thumbnailer != nil) || (isAudio && audioPreviewer != nil) {
            thumbnailMissing = try storeCall { () throws(StoreError) in try store.thumbnail(of: work.id) } == nil
        }
        // A transparent work registered before it was also registered over other backgrounds.
        let backgroundsMissing = isImage
            && !WorkVariant.backgrounds.allSatisfy { b in stored.contains { $0.variant == b.variant } }
            && Self.isTransparent(bytes, fileName: fileName, limits: limits.image)
        if backgroundsMissing {
            let imageFamilies = families.filter { $0.kind != .textShingles && $0.applies(toMediaType: work.mediaType) }
            staleFamilies += imageFamilies.filter { alg in !staleFamilies.contains { $0.family == alg.family } }
        }
        try addSentenceEmbeddings(work, stored: stored)
        guard !staleFamilies.isEmpty || postingsStale || thumbnailMissing else { return }
        // The sentence embeddings are brought up to date above, from the stored text.
        var rederive = self
        rederive.semantic = nil
        let derived = try rederive.derive(bytes, fileName: fileName, role: work.role)
        try storeCall { () throws(StoreError) in
            for alg in staleFamilies {
                try store.replaceFingerprints(of: work.id, family: alg.family,
                                              with: derived.fingerprints.filter { $0.algorithm.hasPrefix(alg.family) })
            }
            if postingsStale {
                try store.replacePostings(of: work.id, algorithm: .textShingles, with: derived.postings)
            }
        }
        // Optional, as in `add`.
        if thumbnailMissing, let thumbnail = derived.thumbnail { try? store.setThumbnail(thumbnail, of: work.id) }
    }

    /// A text work registered without the loaded model's sentence embeddings (before they were
    /// stored, or with another model) gets them, from its stored text.
    private func addSentenceEmbeddings(_ work: Work, stored: [StoredFingerprint]) throws(EngineError) {
        guard let semantic, work.role == .work, !work.mediaType.hasPrefix("image/"), !work.mediaType.hasPrefix("audio/") else { return }
        let algorithm = semantic.embeddingsAlgorithm
        let rows = stored.filter { $0.algorithm.hasPrefix(algorithm.family) }
        guard !rows.contains(where: { $0.algorithm == algorithm.id && $0.version == algorithm.version }) || rows.count > 1,
              let text = try storeCall({ () throws(StoreError) in try store.text(of: work.id) }) else { return }
        try storeCall { () throws(StoreError) in
            try store.replaceFingerprints(of: work.id, family: algorithm.family, with: sentenceEmbeddings(of: text))
        }
    }

    /// A store call whose failure fails the ingest (`store-error`), never passes for "absent".
    private func storeCall<T>(_ body: () throws(StoreError) -> T) throws(EngineError) -> T {
        do {
            return try body()
        } catch {
            throw EngineError(code: "store-error", message: error.description)
        }
    }
}
