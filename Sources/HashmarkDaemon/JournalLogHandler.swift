#if canImport(Glibc)
import Glibc
#endif
import Logging

/// swift-log handler for stderr that journald understands.
///
/// Under systemd (`JOURNAL_STREAM` set) each line is `<P>message key=value ...` where `<P>` is
/// the syslog priority prefix sd-daemon(3) defines, and there is no timestamp (journald stamps
/// every line itself). In a terminal the line is `2026-01-01T12:00:00Z info message key=value`.
/// Values with spaces, quotes, `=` or control characters are quoted and escaped, so a file name
/// containing a newline can never forge a second log line.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let underJournald: Bool

    public init(label: String, level: Logger.Level, environment: [String: String]) {
        self.label = label
        self.logLevel = level
        self.underJournald = environment["JOURNAL_STREAM"] != nil
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        var line = Self.format(level: event.level, message: "\(event.message)", metadata: merged,
                               journald: underJournald)
        line += "\n"
        var bytes = Array(line.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            written += n
        }
        bytes.removeAll()
    }

    /// One log line without the trailing newline (public for tests and the CLI).
    public static func format(level: Logger.Level, message: String, metadata: Logger.Metadata,
                              journald: Bool) -> String {
        var line = journald ? "<\(priority(level))>" : timestamp() + " \(level.rawValue) "
        line += escapeControl(message)
        for key in metadata.keys.sorted() {
            line += " \(key)=\(quote("\(metadata[key].map { "\($0)" } ?? "")"))"
        }
        return line
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    private static func escapeControl(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    private static func quote(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains {
            $0 == " " || $0 == "\"" || $0 == "=" || $0.value < 0x20 || $0.value == 0x7F
        }
        guard needsQuotes else { return value }
        return "\"" + escapeControl(value).replacingQuotes() + "\""
    }

    private static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func pad(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T"
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))Z"
    }
}

private extension String {
    func replacingQuotes() -> String {
        var out = ""
        for ch in self { out += ch == "\"" ? "\\\"" : String(ch) }
        return out
    }
}
