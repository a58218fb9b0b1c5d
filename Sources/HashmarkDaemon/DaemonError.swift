#if canImport(Glibc)
import Glibc
#endif

/// The one error type of HashmarkDaemon: a stable `code` for scripts and logs, a human `message`,
/// the errno or underlying error that caused it, and where it was raised.
public struct DaemonError: Error, Sendable, CustomStringConvertible {
    /// Stable machine-readable code, e.g. `spool-create`, `config-parse`, `inotify-init` (kebab-case).
    public let code: String
    public let message: String
    /// The underlying cause (an `Errno`-style description or another error), if any.
    public let cause: (any Error & Sendable)?
    public let file: String
    public let line: Int

    public init(code: String, message: String, cause: (any Error & Sendable)? = nil,
                file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.cause = cause
        self.file = file
        self.line = line
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let cause { text += " (cause: \(cause))" }
        return text
    }

    /// An error carrying the current `errno` as its cause.
    static func posix(_ code: String, _ message: String, errno err: Int32 = errno,
                      file: String = #fileID, line: Int = #line) -> DaemonError {
        DaemonError(code: code, message: message, cause: PosixErrno(err), file: file, line: line)
    }
}

/// A raw errno value with its `strerror` text.
public struct PosixErrno: Error, Sendable, CustomStringConvertible, Equatable {
    public let value: Int32
    public init(_ value: Int32) { self.value = value }
    public var description: String {
        guard let text = strerror(value) else { return "errno \(value)" }
        return "\(String(cString: text)) (errno \(value))"
    }
}
