/// Errors of the text fingerprint code, each with a stable `code` string for JSON output.
public struct TextFingerprintError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        /// The input held bytes that are not UTF-8 and the caller asked for strict decoding.
        case invalidUTF8 = "invalid-utf8"
        /// Two fingerprints were made with different algorithms or parameters.
        case parameterMismatch = "parameter-mismatch"
        /// Parameters out of range (k, w, permutations).
        case invalidParameters = "invalid-parameters"
        /// A serialised signature could not be parsed.
        case invalidSignature = "invalid-signature"
        /// The input is larger than offsets can address (4 GiB).
        case inputTooLarge = "input-too-large"
    }

    public var code: Code
    public var message: String
    public var file: String
    public var line: Int

    public init(_ code: Code, _ message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
