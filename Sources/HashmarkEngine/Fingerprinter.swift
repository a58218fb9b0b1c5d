import HashmarkFingerprint
import HashmarkMedia

/// Limits applied to every submitted file, each with its own error code.
public struct EngineLimits: Sendable, Equatable {
    /// File size and pixel count (`file-too-large`, `too-many-pixels`).
    public var image: ImageLimits
    /// Longest extracted text, in UTF-8 bytes (`text-too-long`).
    public var maxTextBytes: Int
    /// Duration, channels and sample rate of audio (`too-long-audio`, `corrupt-audio`), checked
    /// against the header before decoding (`targetRate` is ignored: audio is always decoded at
    /// the fingerprint's rate).
    public var audio: AudioLimits

    public init(image: ImageLimits = .init(), maxTextBytes: Int = 16 * 1024 * 1024, audio: AudioLimits = .init()) {
        self.image = image
        self.maxTextBytes = maxTextBytes
        self.audio = audio
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

/// A recording: what the decoder found and the landmarks of its mono downmix.
public struct AudioContent: Sendable {
    public var mediaType: MediaType
    /// The file's own duration, sample rate and channel count.
    public var durationSeconds: Double
    public var sampleRate: Int
    public var channels: Int
    public var fingerprint: AudioFingerprint
}

extension AudioContent: Equatable {
    public static func == (a: AudioContent, b: AudioContent) -> Bool {
        a.mediaType == b.mediaType && a.durationSeconds == b.durationSeconds && a.sampleRate == b.sampleRate
            && a.channels == b.channels && a.fingerprint.frames == b.fingerprint.frames
            && a.fingerprint.landmarks == b.fingerprint.landmarks && a.fingerprint.parameters == b.fingerprint.parameters
    }
}

/// What a submitted file turned out to be.
public enum FileContent: Sendable, Equatable {
    case image(ImageFingerprint)
    case text(TextContent)
    case audio(AudioContent)

    public var mediaType: MediaType {
        switch self {
        case .image(let image): image.mediaType
        case .text(let text): text.mediaType
        case .audio(let audio): audio.mediaType
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
        switch try analyseKeepingPixels(bytes, type: MediaType.sniff(bytes, fileName: fileName),
                                        limits: limits, exact: exact) {
        case .image(let fingerprint, _): .image(fingerprint)
        case .text(let text): .text(text)
        case .audio(let audio, _): .audio(audio)
        }
    }

    /// What `analyseKeepingPixels` found: an image keeps the pixels its fingerprint was made from.
    enum Analysed {
        case image(ImageFingerprint, DecodedImage)
        case text(TextContent)
        /// With the mono samples at the fingerprint's rate (`Spectrogram.Layout.sampleRate`).
        case audio(AudioContent, samples: [Float])
    }

    /// `analyse` of bytes already sniffed as `type`, handing back an image's decoded pixels so
    /// nothing decodes the file a second time. The default path decodes a JPEG at the smallest DCT
    /// scale that serves both PDQ's fast path (shorter side ≥ `PDQ.fastPathMinimumSide`) and the
    /// keypoint extractor (longer side ≥ its `maxSide`, to which it reduces anyway); `exact`
    /// decodes at full size.
    ///
    /// `audioQuery`: audio is a submission to check, its landmarks taken that way
    /// (`AudioRule.query`); `nil`: as stored.
    static func analyseKeepingPixels(_ bytes: [UInt8], type: MediaType, limits: EngineLimits,
                                     exact: Bool = false, audioQuery: AudioFingerprint.Query? = nil) throws(EngineError) -> Analysed {
        if bytes.isEmpty {
            throw EngineError(code: MediaError.Code.emptyFile, message: "The file is empty.")
        }
        guard bytes.count <= limits.image.maxFileBytes else {
            throw EngineError(code: MediaError.Code.fileTooLarge,
                              message: "The file has \(bytes.count) bytes; the limit is \(limits.image.maxFileBytes).")
        }
        if type.isDecodableImage {
            let (fingerprint, decoded) = try image(bytes, type: type, limits: limits, exact: exact)
            return .image(fingerprint, decoded)
        }
        if type.isText { return .text(try text(bytes, type: type, limits: limits)) }
        if type.isDecodableAudio {
            let (content, samples) = try audio(bytes, limits: limits, query: audioQuery)
            return .audio(content, samples: samples)
        }
        if type == .unknown {
            throw EngineError(code: MediaError.Code.unknownFormat,
                              message: "The content is neither a supported image, text, document nor audio.")
        }
        throw EngineError(code: MediaError.Code.unsupportedMedia,
                          message: "\(type.mimeType) is not supported yet (images: JPEG, PNG, WebP, GIF; texts: plain, Markdown, HTML; documents: PDF, EPUB, DOCX, ODT; audio: WAV, FLAC, Ogg, MP3).")
    }

    /// Decodes to mono at the fingerprint's rate and takes its landmarks; hands back the samples.
    static func audio(_ bytes: [UInt8], limits: EngineLimits, query: AudioFingerprint.Query? = nil) throws(EngineError) -> (AudioContent, [Float]) {
        let parameters = AudioFingerprint.Parameters()
        var audioLimits = limits.audio
        audioLimits.targetRate = parameters.layout.sampleRate
        let decoded: DecodedAudio
        do {
            decoded = try AudioDecoder.decode(bytes, limits: audioLimits)
        } catch {
            throw EngineError(error)
        }
        return (AudioContent(mediaType: decoded.format, durationSeconds: decoded.durationSeconds,
                             sampleRate: decoded.sourceRate, channels: decoded.channels,
                             fingerprint: AudioFingerprint(samples: decoded.samples, parameters: parameters, query: query)),
                decoded.samples)
    }

    /// The default path hashes a DCT-scaled JPEG with the full image's sampling geometry; `exact`
    /// decodes at full size and runs the reference's arithmetic.
    static func image(_ bytes: [UInt8], type: MediaType, limits: EngineLimits,
                      exact: Bool) throws(EngineError) -> (ImageFingerprint, DecodedImage) {
        let decoded: DecodedImage
        do {
            decoded = try ImageDecoder.decode(bytes, limits: limits.image,
                                              minimumSide: exact ? nil : PDQ.fastPathMinimumSide,
                                              minimumLongestSide: exact ? nil : LocalFeatureParameters.default.maxSide,
                                              type: type)
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
                decoded)
    }

    /// Local features of a decoded image, in the pixel coordinates of the full-resolution upright
    /// image also when `decoded` is a DCT-scaled JPEG (the extractor works at most at
    /// `LocalFeatureParameters.maxSide` anyway, so a scaled decode at least that large loses nothing).
    static func localFeatures(of decoded: DecodedImage, includeMirrored: Bool) -> LocalFeatures {
        var features = LocalFeatureExtractor().extract(decoded.image, includeMirrored: includeMirrored)
        let image = decoded.image
        guard image.width > 0, image.height > 0,
              decoded.originalWidth != image.width || decoded.originalHeight != image.height else { return features }
        let sx = Float(decoded.originalWidth) / Float(image.width)
        let sy = Float(decoded.originalHeight) / Float(image.height)
        for i in features.keypoints.indices {  // pixel centres map to pixel centres, as the extractor's own reduction
            features.keypoints[i].x = (features.keypoints[i].x + 0.5) * sx - 0.5
            features.keypoints[i].y = (features.keypoints[i].y + 0.5) * sy - 0.5
            features.keypoints[i].scale *= (sx + sy) / 2
        }
        features.width = decoded.originalWidth
        features.height = decoded.originalHeight
        return features
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
        return try text(plain: decoded.text, type: type, limits: limits)
    }

    /// A plain text's words and fingerprint summary (`text-too-long` over `limits.maxTextBytes`).
    static func text(plain: String, type: MediaType, limits: EngineLimits) throws(EngineError) -> TextContent {
        let utf8 = Array(plain.utf8)
        guard utf8.count <= limits.maxTextBytes else {
            throw EngineError(code: EngineError.Code.textTooLong,
                              message: "The text has \(utf8.count) bytes; the limit is \(limits.maxTextBytes).")
        }
        let normalized = TextNormalizer.normalize(utf8: utf8)
        let summary = TextFingerprintSummary.make(normalized)
        return TextContent(mediaType: type, text: plain, normalized: normalized, summary: summary)
    }
}
