/// What a file is, decided from its bytes (see `MediaType.sniff`).
///
/// Raw values are stable identifiers used in JSON output (`"mediaType"`).
public enum MediaType: String, Sendable, Codable, CaseIterable {
    case jpeg, png, webp, gif
    /// Recognised image formats that Hashmark does not decode: reported as `unsupported-media`.
    case bmp, tiff, heif, avif
    case text, html, markdown
    /// Audio that `AudioDecoder` decodes through libsndfile.
    case wav, flac, ogg, mp3
    /// Recognised audio (ADTS AAC, M4A) that Hashmark does not decode: reported as `unsupported-media`.
    case aac
    case pdf, docx, epub, odt
    /// A ZIP archive that is no document Hashmark reads (xlsx, ods, plain zip...).
    case zip
    /// Binary data matching no known signature.
    case unknown

    /// The IANA media type.
    public var mimeType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .webp: "image/webp"
        case .gif: "image/gif"
        case .bmp: "image/bmp"
        case .tiff: "image/tiff"
        case .heif: "image/heif"
        case .avif: "image/avif"
        case .text: "text/plain"
        case .html: "text/html"
        case .markdown: "text/markdown"
        case .wav: "audio/wav"
        case .flac: "audio/flac"
        case .ogg: "audio/ogg"
        case .mp3: "audio/mpeg"
        case .aac: "audio/aac"
        case .pdf: "application/pdf"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .epub: "application/epub+zip"
        case .odt: "application/vnd.oasis.opendocument.text"
        case .zip: "application/zip"
        case .unknown: "application/octet-stream"
        }
    }

    /// A raster image format, decodable or not.
    public var isImage: Bool {
        switch self {
        case .jpeg, .png, .webp, .gif, .bmp, .tiff, .heif, .avif: true
        default: false
        }
    }

    /// An image format `ImageDecoder` decodes.
    public var isDecodableImage: Bool {
        switch self {
        case .jpeg, .png, .webp, .gif: true
        default: false
        }
    }

    /// A document format read by `HashmarkDocument` (text and embedded images with locations).
    public var isDocument: Bool {
        switch self {
        case .pdf, .docx, .epub, .odt: true
        default: false
        }
    }

    /// Text content (plain, HTML or Markdown): the text pipeline's input.
    public var isText: Bool {
        switch self {
        case .text, .html, .markdown: true
        default: false
        }
    }

    /// An audio format, decodable or not.
    public var isAudio: Bool {
        switch self {
        case .wav, .flac, .ogg, .mp3, .aac: true
        default: false
        }
    }

    /// An audio format `AudioDecoder` decodes.
    public var isDecodableAudio: Bool {
        switch self {
        case .wav, .flac, .ogg, .mp3: true
        default: false
        }
    }
}
