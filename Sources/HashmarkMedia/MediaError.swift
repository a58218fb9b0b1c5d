/// The one error type of HashmarkMedia: a stable machine `code`, a human `message`, the library's
/// own words when a C decoder refused the input, and where in Hashmark it was raised.
///
/// Codes are a public contract (they end up in verdicts and `--json` output): never rename one.
public struct MediaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable, kebab-case; see the `MediaError.Code` constants.
    public var code: String
    /// One sentence for a human.
    public var message: String
    /// What the underlying library said, verbatim, when there was one (e.g. libpng's message).
    public var underlying: String?
    /// Where the error was raised, `Module/File.swift:line`.
    public var location: String

    public init(code: String, message: String, underlying: String? = nil,
                fileID: StaticString = #fileID, line: UInt = #line) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.location = "\(fileID):\(line)"
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let underlying { text += " (\(underlying))" }
        return text
    }

    /// The stable error codes raised by this module.
    public enum Code {
        /// The file has zero bytes.
        public static let emptyFile = "empty-file"
        /// The file is larger than `ImageLimits.maxFileBytes` (or the caller's byte limit).
        public static let fileTooLarge = "file-too-large"
        /// The header announces more pixels than `ImageLimits.maxPixels`.
        public static let tooManyPixels = "too-many-pixels"
        /// A progressive JPEG with more than 500 scans: each scan costs a pass over the whole
        /// image, so a small file could ask for unbounded work (libjpeg-turbo's scan limit).
        public static let tooManyScans = "too-many-scans"
        /// The data ends before the image does.
        public static let truncated = "truncated"
        /// The decoder rejected the data (bad header, bad CRC, bad Huffman code, ...).
        public static let corruptImage = "corrupt-image"
        /// libsndfile rejected the audio data (bad header, bad frame, unsupported encoding details).
        public static let corruptAudio = "corrupt-audio"
        /// The header announces more audio than `AudioLimits.maxSeconds`.
        public static let tooLongAudio = "too-long-audio"
        /// The format was recognised but Hashmark cannot decode it here (BMP, TIFF, HEIF, AAC, text...).
        public static let unsupportedMedia = "unsupported-media"
        /// The bytes match no format Hashmark knows.
        public static let unknownFormat = "unknown-format"
        /// The file could not be opened or read.
        public static let ioError = "io-error"
        /// A caller passed a value outside the documented range (e.g. JPEG quality 0).
        public static let invalidArgument = "invalid-argument"
        /// A C library failed for a reason not caused by the input (e.g. out of memory).
        public static let internalError = "internal-error"
    }
}
