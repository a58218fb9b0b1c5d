import HashmarkFingerprint
import HashmarkMedia

/// Limits applied to every submitted file, each with its own error code.
public struct EngineLimits: Sendable, Equatable {
    /// File size and pixel count (`file-too-large`, `too-many-pixels`).
    public var image: ImageLimits
    /// Longest extracted text, in UTF-8 bytes (`text-too-long`).
    public var maxTextBytes: Int

    public init(image: ImageLimits = .init(), maxTextBytes: Int = 16 * 1024 * 1024) {
        self.image = image
        self.maxTextBytes = maxTextBytes
    }
}

/// The fingerprints of an image: PDQ and its 8 dihedral variants.
public struct ImageFingerprint: Sendable, Equatable {
    public var mediaType: MediaType
    /// Size of the full-resolution upright image (also when the fast path decoded it smaller).
    public var width: Int
    public var height: Int
    public var pdq: PDQHash
    /// The 8 dihedral hashes in `pdqhash.compute_dihedral` order (index 0 is `pdq.hash`).
    public var dihedral: [Hash256]
}

/// A text file: its extracted plain text, normalised words and fingerprint summary.
public struct TextContent: Sendable, Equatable {
    public var mediaType: MediaType
    /// Plain text after decoding and markup stripping; evidence spans are UTF-8 offsets into it.
    public var text: String
    public var normalized: NormalizedText
    public var summary: TextFingerprintSummary
}

/// What a submitted file turned out to be.
public enum FileContent: Sendable, Equatable {
    case image(ImageFingerprint)
    case text(TextContent)

    public var mediaType: MediaType {
        switch self {
        case .image(let image): image.mediaType
        case .text(let text): text.mediaType
        }
    }
}

/// Bytes → fingerprints: format from the content, the right decoder, the right fingerprint.
public enum Fingerprinter {
    /// Analyses a file's bytes. `fileName` only tells Markdown from plain text (both are text).
    ///
    /// - Parameter exact: hash the image with PDQ's bit-exact path (the reference's numbers)
    ///   instead of the fast path (within distance 10 of it, see `PDQ.fastHash`).
    public static func analyse(_ bytes: [UInt8], fileName: String?, limits: EngineLimits = .init(),
                               exact: Bool = false) throws(EngineError) -> FileContent {
        try analyseKeepingPixels(bytes, fileName: fileName, limits: limits, exact: exact).content
    }

    /// `analyse`, also handing back an image's decoded pixels when they are the full-resolution
    /// upright image (every format but a JPEG decoded at DCT scale), so the local-feature matcher
    /// does not decode the file a second time.
    static func analyseKeepingPixels(_ bytes: [UInt8], fileName: String?, limits: EngineLimits,
                                     exact: Bool = false) throws(EngineError) -> (content: FileContent, pixels: RGBImage?) {
        if bytes.isEmpty {
            throw EngineError(code: MediaError.Code.emptyFile, message: "The file is empty.")
        }
        guard bytes.count <= limits.image.maxFileBytes else {
            throw EngineError(code: MediaError.Code.fileTooLarge,
                              message: "The file has \(bytes.count) bytes; the limit is \(limits.image.maxFileBytes).")
        }
        let type = MediaType.sniff(bytes, fileName: fileName)
        if type.isDecodableImage {
            let (fingerprint, pixels) = try image(bytes, limits: limits, exact: exact)
            return (.image(fingerprint), pixels)
        }
        if type.isText { return (.text(try text(bytes, type: type, limits: limits)), nil) }
        if type == .unknown {
            throw EngineError(code: MediaError.Code.unknownFormat,
                              message: "The content is neither a supported image nor text.")
        }
        throw EngineError(code: MediaError.Code.unsupportedMedia,
                          message: "\(type.mimeType) is not supported yet (images: JPEG, PNG, WebP, GIF; texts: plain, Markdown, HTML).")
    }

    /// The default path decodes JPEGs at DCT scale (shorter side ≥ `PDQ.fastPathMinimumSide`) and
    /// hashes them with the full image's sampling geometry; `exact` decodes at full size and runs
    /// the reference's arithmetic.
    static func image(_ bytes: [UInt8], limits: EngineLimits, exact: Bool) throws(EngineError) -> (ImageFingerprint, RGBImage?) {
        let decoded: DecodedImage
        do {
            decoded = try ImageDecoder.decode(bytes, limits: limits.image,
                                              minimumSide: exact ? nil : PDQ.fastPathMinimumSide)
        } catch {
            throw EngineError(error)
        }
        let result: PDQ.Dihedral
        if exact {
            result = PDQ.hashWithDihedral(decoded.image)
        } else if decoded.scaleDenominator > 1 {
            let reduction = PDQReduction(originalWidth: decoded.originalWidth, originalHeight: decoded.originalHeight,
                                         scale: decoded.scaleDenominator, exifOrientation: decoded.exifOrientation)
            result = PDQ.fastHash(decoded.image, reducedFrom: reduction)
        } else {
            result = PDQ.fastHash(decoded.image)
        }
        return (ImageFingerprint(mediaType: decoded.format, width: decoded.originalWidth,
                                 height: decoded.originalHeight, pdq: result.hash, dihedral: result.dihedral),
                decoded.scaleDenominator == 1 ? decoded.image : nil)
    }

    static func text(_ bytes: [UInt8], type: MediaType, limits: EngineLimits) throws(EngineError) -> TextContent {
        let format: TextFormat = switch type {
        case .html: .html
        case .markdown: .markdown
        default: .plain
        }
        let decoded: DecodedText
        do {
            decoded = try TextDecoder.decode(bytes, format: format, maxBytes: limits.image.maxFileBytes)
        } catch {
            throw EngineError(error)
        }
        let utf8 = Array(decoded.text.utf8)
        guard utf8.count <= limits.maxTextBytes else {
            throw EngineError(code: EngineError.Code.textTooLong,
                              message: "The text has \(utf8.count) bytes; the limit is \(limits.maxTextBytes).")
        }
        let normalized = TextNormalizer.normalize(utf8: utf8)
        let summary = TextFingerprintSummary.make(normalized)
        return TextContent(mediaType: type, text: decoded.text, normalized: normalized, summary: summary)
    }
}
