import HashmarkFingerprint
import HashmarkMedia

/// Why a file got an `error` verdict: a stable `code` (a public contract, used in reports and
/// `--json` output) and a human message.
public struct EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    /// Where it was raised (`file:line`), for logs; not part of any contract.
    public var location: String

    public init(code: String, message: String, fileID: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.location = "\(fileID):\(line)"
    }

    public var description: String { "\(code): \(message)" }

    /// Codes raised by the engine itself (decoders add theirs: see `MediaError.Code`).
    public enum Code {
        /// A text longer than the configured limit.
        public static let textTooLong = "text-too-long"
        /// Processing took longer than the configured limit.
        public static let timeout = "timeout"
        /// The corpus or model could not be used.
        public static let corpusUnavailable = "corpus-unavailable"
        /// The corpus holds fingerprints or postings of older algorithms: it must be re-indexed.
        public static let corpusStale = "corpus-stale"
        /// The paraphrase matcher's model folder is missing a file.
        public static let semanticModelUnavailable = "semantic-model-unavailable"
        /// A file of the paraphrase matcher's model folder is malformed or does not match its hash.
        public static let semanticModelInvalid = "semantic-model-invalid"
        /// The image descriptor's folder (`Models/image-descriptor`) cannot be read.
        public static let descriptorModelUnavailable = "descriptor-model-unavailable"
        /// The image descriptor's files are damaged or do not match their recorded SHA-256.
        public static let descriptorModelInvalid = "descriptor-model-invalid"
    }

    init(_ error: MediaError) {
        self.init(code: error.code, message: error.message)
        location = error.location
    }

    init(_ error: TextDecodingError) {
        self.init(code: error.code.rawValue, message: error.message)
    }

    init(_ error: TextFingerprintError) {
        self.init(code: error.code.rawValue, message: error.message)
    }
}
