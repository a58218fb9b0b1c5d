/// Why a document could not be read, with a stable `code` that error verdicts carry.
public struct DocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        /// Not a well-formed document of its kind: a broken ZIP, XML or PDF, a missing part.
        case invalid = "document-invalid"
        /// Password-protected or DRM-encrypted: its text cannot be read.
        case encrypted = "document-encrypted"
        /// Over a `DocumentLimits` cap: entries, expansion ratio, total size, text, pages,
        /// XML nesting, entity declarations (zip bombs and XML bombs end here).
        case tooLarge = "document-too-large"
        /// The extractor process ran past its time limit and was killed.
        case timeout = "document-timeout"
        /// The extractor program (`pdftotext`) is not installed or could not be started.
        case extractorUnavailable = "document-extractor-unavailable"
        /// Neither text nor images could be extracted (a scanned PDF needs OCR, which Hashmark
        /// does not do).
        case empty = "document-empty"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
