/// The index module's error: a code, a human message and where it was raised.
public struct HashmarkIndexError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// A fingerprint made with another algorithm or other parameters than the index's.
        case parameterMismatch = "parameter-mismatch"
        /// A fingerprint the index cannot hold (landmarks before its first frame or beyond what a
        /// shard holds), or recordings that differed between the two passes of a build.
        case malformedFingerprint = "malformed-fingerprint"
    }

    public let code: Code
    public let message: String
    public let cause: (any Error & Sendable)?
    public let file: String
    public let line: Int

    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil,
                file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.cause = cause
        self.file = file
        self.line = line
    }

    public var description: String { "\(code.rawValue): \(message) (\(file):\(line))" }
}
