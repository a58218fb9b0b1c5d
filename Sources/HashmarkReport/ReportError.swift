import COpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one error type of HashmarkReport. `code` is stable and machine-readable; `message` is for people.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    /// Stable error codes (the raw value is the public string).
    public enum Code: String, Sendable, CaseIterable {
        /// libcrypto reported a failure (message carries OpenSSL's error queue).
        case openssl = "openssl"
        /// A system call on a file or directory failed (message carries errno text).
        case io = "io"
        /// A private key file is readable or writable by group or others.
        case keyPermissions = "key-permissions"
        /// A PEM file is not an unencrypted Ed25519 key of the expected kind.
        case keyFormat = "key-format"
        /// Refused to overwrite an existing key file.
        case keyExists = "key-exists"
        /// Bytes are not strict RFC 8259 JSON (or are not UTF-8).
        case jsonSyntax = "json-syntax"
        /// A value cannot be serialised canonically (e.g. NaN or infinity).
        case jsonValue = "json-value"
        /// JSON is well formed but does not follow the `hashmark.verdict` schema (`/1` or `/2`).
        case schema = "schema"
        /// A report id is not usable as a file name.
        case invalidReportId = "invalid-report-id"
        /// The ledger is malformed or inconsistent with the report directory.
        case ledger = "ledger"
        /// The ledger is shorter than this writer last left it, or than the newest checkpoint
        /// signed with this key says: lines were removed (truncated, deleted or replaced).
        case ledgerShrank = "ledger-shrank"
        /// The ledger's head line changed under this writer, new lines do not chain onto the head
        /// it knew, or line N is not what the newest checkpoint (count N) signed.
        case ledgerRewritten = "ledger-rewritten"
        /// A checkpoint line is malformed (see `LedgerCheckpoint`).
        case checkpointFormat = "checkpoint-format"
    }

    public let code: Code
    public let message: String
    /// The error that caused this one, when there is one.
    public let underlying: (any Error & Sendable)?
    public let file: String
    public let line: Int

    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil,
                file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    public var description: String {
        var text = "\(code.rawValue): \(message)"
        if let underlying { text += " (caused by: \(underlying))" }
        return text
    }

    /// Drains libcrypto's thread-local error queue into an error, so the queue never leaks
    /// stale entries into a later, unrelated failure.
    static func openssl(_ what: String, file: String = #fileID, line: Int = #line) -> ReportError {
        var details: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            details.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                                  as: UTF8.self))
        }
        let suffix = details.isEmpty ? "" : ": " + details.joined(separator: "; ")
        return ReportError(.openssl, what + suffix, file: file, line: line)
    }

    /// An I/O error carrying the current `errno` text.
    static func io(_ what: String, errno code: Int32, file: String = #fileID, line: Int = #line) -> ReportError {
        let text = String(cString: strerror(code))
        return ReportError(.io, "\(what): \(text) (errno \(code))", file: file, line: line)
    }
}
