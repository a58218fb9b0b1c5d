import HashmarkFingerprint
import HashmarkMedia
import HashmarkPrimitives
import HashmarkStore

/// Registering rights holders' works: fingerprint once, keep in the store.
public struct Ingest: Sendable {
    public let store: CorpusStore
    public let limits: EngineLimits

    public init(store: CorpusStore, limits: EngineLimits = .init()) {
        self.store = store
        self.limits = limits
    }

    /// What the rights holder says about a work; empty fields stay empty.
    public struct Metadata: Sendable {
        public var id: String
        public var title: String
        public var owner: String
        public var license: String
        public var source: String

        public init(id: String, title: String = "", owner: String = "", license: String = "", source: String = "") {
            self.id = id
            self.title = title
            self.owner = owner
            self.license = license
            self.source = source
        }
    }

    /// Fingerprints a file (exact PDQ, local features, or text shingles) and adds it.
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
        // Already registered: skip the fingerprinting (the store would return the same answer).
        if let existing = try? store.work(sha256: sha256) {
            if existing.mediaType.hasPrefix("image/") { try upgrade(existing, bytes: bytes) }
            return .init(work: existing, inserted: false)
        }
        let content = try Fingerprinter.analyse(bytes, fileName: fileName, limits: limits, exact: true)
        var fingerprints: [StoredFingerprint] = []
        var postings: [HashmarkStore.TextPosting] = []
        var text: String? = nil
        var thumbnail: WorkThumbnail? = nil
        switch content {
        case .image(let image):
            fingerprints.append(.pdq(image.pdq.hash, quality: image.pdq.quality))
            if let decoded = try? ImageDecoder.decode(bytes, limits: limits.image) {
                fingerprints.append(Self.localFingerprint(decoded.image))
                thumbnail = try? Thumbnail.make(decoded.image, originalWidth: decoded.originalWidth,
                                                originalHeight: decoded.originalHeight)
            }
        case .text(let t):
            postings = TextShingler.corpusShingles(t.normalized, parameters: .default).map {
                HashmarkStore.TextPosting(hash: $0.hash, position: Int32(clamping: $0.position))
            }
            text = t.text
        }
        let work = Work(id: metadata.id, title: metadata.title, owner: metadata.owner, license: metadata.license,
                        source: metadata.source, mediaType: content.mediaType.mimeType, sha256: sha256)
        do {
            let added = try store.add(work: work, fingerprints: fingerprints, postings: postings, text: text)
            // A preview for the HTML evidence view; a work without one is still fully usable.
            if added.inserted, let thumbnail { try? store.setThumbnail(thumbnail, of: added.work.id) }
            return added
        } catch {
            throw EngineError(code: "store-error", message: error.description)
        }
    }

    /// The stored form of an image's local features (the current extractor, mirror left out).
    static func localFingerprint(_ image: RGBImage) -> StoredFingerprint {
        let features = LocalFeatureExtractor().extract(image).withoutMirror
        return StoredFingerprint(algorithm: LocalFeatures.algorithm, version: 2, data: LocalFeatureCodec.encode(features))
    }

    /// Adding an image work's file again brings what older versions stored up to date: local
    /// features of an older extractor (which the index no longer loads) are re-extracted, and a
    /// missing thumbnail is made.
    private func upgrade(_ work: Work, bytes: [UInt8]) throws(EngineError) {
        let stored = (try? store.fingerprints(of: work.id)) ?? []
        let current = stored.contains { $0.algorithm == LocalFeatures.algorithm }
        let thumbnailMissing = (try? store.thumbnail(of: work.id)) == .some(nil)
        guard !current || thumbnailMissing, let decoded = try? ImageDecoder.decode(bytes, limits: limits.image) else { return }
        if !current {
            do {
                try store.replaceFingerprints(of: work.id, family: Self.localFamily, with: [Self.localFingerprint(decoded.image)])
            } catch {
                throw EngineError(code: "store-error", message: error.description)
            }
        }
        if thumbnailMissing, let thumbnail = try? Thumbnail.make(decoded.image, originalWidth: decoded.originalWidth,
                                                                  originalHeight: decoded.originalHeight) {
            try? store.setThumbnail(thumbnail, of: work.id)
        }
    }

    /// Every version of the local-feature algorithm is named `hashmark-orb-…`.
    static let localFamily = "hashmark-orb-"
}
