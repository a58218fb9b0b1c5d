import HashmarkFingerprint
import HashmarkMedia
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
            // Works registered before thumbnails existed get one when their file is added again.
            if existing.mediaType.hasPrefix("image/"), (try? store.thumbnail(of: existing.id)) == .some(nil),
               let thumbnail = try? Thumbnail.make(imageBytes: bytes, limits: limits.image) {
                try? store.setThumbnail(thumbnail, of: existing.id)
            }
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
                let features = LocalFeatureExtractor().extract(decoded.image).withoutMirror
                fingerprints.append(StoredFingerprint(algorithm: LocalFeatures.algorithm, version: 1,
                                                      data: LocalFeatureCodec.encode(features)))
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
}
