#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import TOMLKit

/// Everything `hashmark watch` needs, with the documented defaults (see systemd/hashmark.toml).
public struct DaemonConfig: Sendable, Equatable {
    /// Spool root holding inbox/, active/, done/, failed/, reports/.
    public var spoolRoot: String = "/var/lib/hashmark/spool"
    /// The corpus database: a SQLite file, or a `postgresql://` URL that daemons on several
    /// hosts share.
    public var corpusDB: String = "/var/lib/hashmark/corpus.sqlite"
    /// How often the daemon asks the corpus whether it changed (then reloads); 0 disables it.
    public var corpusPollSeconds: Double = 2
    /// Ed25519 private key (PEM) used to sign reports.
    public var signingKey: String = "/etc/hashmark/signing-key.pem"
    public var limits = Limits()
    /// Worker tasks processing files concurrently (default: online cores).
    public var workers: Int = DaemonConfig.onlineCores()
    /// Claimed files waiting for a worker; when full the daemon stops claiming (back-pressure).
    public var queueCapacity: Int = 4 * DaemonConfig.onlineCores()
    /// Full rescan of inbox/ (and retry of active/) every this many seconds; 0 disables it.
    public var scanIntervalSeconds: Double = 30
    /// A file written in place is taken once its size and mtime held still this long.
    public var settleMilliseconds: Int = 100
    /// On SIGTERM, in-flight items get this long to finish before they are left in active/.
    public var shutdownGraceSeconds: Double = 10
    /// A folder on shared storage whose `inbox/` several daemons take files from through the
    /// database's work queue (`SharedInbox`); nil = none.
    public var sharedFolder: String?
    /// How long a claim on a shared file lasts unless its daemon renews it (every third of it).
    public var sharedLeaseSeconds: Double = 60
    /// How often the daemon lists the shared inbox and claims what it has room for.
    public var sharedPollSeconds: Double = 1
    /// `host:port` for GET /metrics; nil = no listener.
    public var metricsListen: String?
    public var logLevel: Logger.Level = .info

    /// Content limits, handed to the processor (each breach has its own error code there),
    /// except `maxSeconds`, which the daemon enforces.
    public struct Limits: Sendable, Equatable {
        public var maxFileBytes: Int = 64 << 20
        public var maxPixels: Int = 50_000_000
        public var maxTextBytes: Int = 16 << 20
        public var maxSeconds: Double = 30
        /// Address-space limit of each `hashmark worker` process, in MiB (it holds a copy of the
        /// corpus index, the decoded file and the matcher's buffers).
        public var workerMemoryMiB: Int = 4096
        public init() {}
    }

    public init() {}

    /// How this daemon names itself in the shared work queue: `<hostname>:<spool root>` (the
    /// root with symlinks resolved), unique per spool and stable across restarts.
    public var sharedOwner: String {
        "\(ProcessInfo.processInfo.hostName):\(URL(fileURLWithPath: spoolRoot).resolvingSymlinksInPath().path)"
    }

    static func onlineCores() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

/// Command-line values that win over the config file (`hashmark watch --spool --db --key`).
public struct DaemonOverrides: Sendable, Equatable {
    public var spoolRoot: String?
    public var corpusDB: String?
    public var signingKey: String?
    public init(spoolRoot: String? = nil, corpusDB: String? = nil, signingKey: String? = nil) {
        self.spoolRoot = spoolRoot
        self.corpusDB = corpusDB
        self.signingKey = signingKey
    }
}

extension DaemonConfig {
    /// Defaults, then the TOML file (if given), then the flags.
    public static func resolve(configFile: String?, overrides: DaemonOverrides) throws(DaemonError) -> DaemonConfig {
        var config = DaemonConfig()
        if let configFile { config = try DaemonConfig(tomlFile: configFile) }
        return config.merging(overrides)
    }

    /// This config with every non-nil override applied.
    public func merging(_ overrides: DaemonOverrides) -> DaemonConfig {
        var config = self
        if let value = overrides.spoolRoot { config.spoolRoot = value }
        if let value = overrides.corpusDB { config.corpusDB = value }
        if let value = overrides.signingKey { config.signingKey = value }
        return config
    }

    public init(tomlFile path: String) throws(DaemonError) {
        guard let file = fopen(path, "r") else {
            throw DaemonError.posix("config-read", "cannot open config file \(path)")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            if bytes.count > 1 << 20 { throw DaemonError(code: "config-read", message: "\(path) is over 1 MiB") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DaemonError(code: "config-parse", message: "\(path) is not UTF-8")
        }
        try self.init(toml: text)
    }

    /// Parses a TOML document. Unknown sections or keys are errors (a typo must not silently
    /// fall back to a default).
    public init(toml text: String) throws(DaemonError) {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch {
            throw DaemonError(code: "config-parse", message: "invalid TOML: \(error)")
        }
        self.init()
        var reader = TOMLReader(table: table)
        try reader.section("spool", keys: ["root"]) { s throws(DaemonError) in
            if let v = try s.string("root") { spoolRoot = v }
        }
        try reader.section("corpus", keys: ["db", "poll_seconds"]) { s throws(DaemonError) in
            if let v = try s.string("db") { corpusDB = v }
            if let v = try s.number("poll_seconds", min: 0, max: 86_400) { corpusPollSeconds = v }
        }
        try reader.section("signing", keys: ["key"]) { s throws(DaemonError) in
            if let v = try s.string("key") { signingKey = v }
        }
        try reader.section("limits", keys: ["max_file_bytes", "max_pixels", "max_text_bytes", "max_seconds",
                                            "worker_memory_mib"]) { s throws(DaemonError) in
            if let v = try s.int("max_file_bytes", min: 1, max: 1 << 30) { limits.maxFileBytes = v }
            if let v = try s.int("max_pixels", min: 1, max: 500_000_000) { limits.maxPixels = v }
            if let v = try s.int("max_text_bytes", min: 1, max: 1 << 30) { limits.maxTextBytes = v }
            if let v = try s.number("max_seconds", min: 0.001, max: 3600) { limits.maxSeconds = v }
            if let v = try s.int("worker_memory_mib", min: 256, max: 1 << 20) { limits.workerMemoryMiB = v }
        }
        try reader.section("workers", keys: ["count", "queue"]) { s throws(DaemonError) in
            if let v = try s.int("count", min: 1, max: 256) { workers = v }
            if let v = try s.int("queue", min: 1, max: 100_000) { queueCapacity = v }
        }
        try reader.section("scan", keys: ["interval_seconds", "settle_ms"]) { s throws(DaemonError) in
            if let v = try s.number("interval_seconds", min: 0, max: 86_400) { scanIntervalSeconds = v }
            if let v = try s.int("settle_ms", min: 0, max: 600_000) { settleMilliseconds = v }
        }
        try reader.section("shutdown", keys: ["grace_seconds"]) { s throws(DaemonError) in
            if let v = try s.number("grace_seconds", min: 0, max: 3600) { shutdownGraceSeconds = v }
        }
        try reader.section("shared", keys: ["folder", "lease_seconds", "poll_seconds"]) { s throws(DaemonError) in
            if let v = try s.string("folder") { sharedFolder = v }
            if let v = try s.number("lease_seconds", min: 1, max: 86_400) { sharedLeaseSeconds = v }
            if let v = try s.number("poll_seconds", min: 0.05, max: 3600) { sharedPollSeconds = v }
        }
        try reader.section("metrics", keys: ["listen"]) { s throws(DaemonError) in
            if let v = try s.string("listen") {
                _ = try MetricsAddress(parsing: v)
                metricsListen = v
            }
        }
        try reader.section("log", keys: ["level"]) { s throws(DaemonError) in
            if let v = try s.string("level") {
                guard let level = Logger.Level(rawValue: v.lowercased()) else {
                    throw DaemonError(code: "config-value", message: "[log] level: unknown level \"\(v)\"")
                }
                logLevel = level
            }
        }
        try reader.finish()
    }
}

/// Walks a TOML table section by section, rejecting unknown names and wrong types.
private struct TOMLReader {
    let table: TOMLTable
    var seen: Set<String> = []

    struct Section {
        let name: String
        let table: TOMLTable

        func string(_ key: String) throws(DaemonError) -> String? {
            guard let value = table[key] else { return nil }
            guard let s = value.string else { throw wrongType(key, "a string") }
            return s
        }

        /// Every number has both bounds: an absurd value (a typo, an extra digit) is an error
        /// at start, not a daemon that allocates or waits without end.
        func int(_ key: String, min: Int, max: Int) throws(DaemonError) -> Int? {
            guard let value = table[key] else { return nil }
            guard let i = value.int else { throw wrongType(key, "an integer") }
            guard i >= min, i <= max else {
                throw DaemonError(code: "config-value", message: "[\(name)] \(key) must be between \(min) and \(max)")
            }
            return i
        }

        func number(_ key: String, min: Double, max: Double) throws(DaemonError) -> Double? {
            guard let value = table[key] else { return nil }
            guard let d = value.double ?? value.int.map(Double.init) else { throw wrongType(key, "a number") }
            guard d >= min, d <= max, d.isFinite else {
                throw DaemonError(code: "config-value", message: "[\(name)] \(key) must be between \(min) and \(max)")
            }
            return d
        }

        private func wrongType(_ key: String, _ type: String) -> DaemonError {
            DaemonError(code: "config-type", message: "[\(name)] \(key) must be \(type)")
        }
    }

    mutating func section(_ name: String, keys: Set<String>,
                          _ body: (Section) throws(DaemonError) -> Void) throws(DaemonError) {
        seen.insert(name)
        guard let value = table[name] else { return }
        guard let sub = value.table else {
            throw DaemonError(code: "config-type", message: "[\(name)] must be a table")
        }
        for key in sub.keys where !keys.contains(key) {
            throw DaemonError(code: "config-unknown-key", message: "unknown key \(key) in [\(name)]")
        }
        try body(Section(name: name, table: sub))
    }

    func finish() throws(DaemonError) {
        for key in table.keys where !seen.contains(key) {
            throw DaemonError(code: "config-unknown-key", message: "unknown section [\(key)]")
        }
    }
}
