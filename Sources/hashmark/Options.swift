import ArgumentParser
import Foundation
import HashmarkDaemon
import HashmarkEngine
import HashmarkStore

/// `--db PATH`, shared by every command that touches the corpus.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: """
        Corpus database: a SQLite file path or a postgresql:// URL (default: $HASHMARK_DB, else \
        [corpus] db of $HASHMARK_CONFIG or /etc/hashmark/hashmark.toml, else var/hashmark.sqlite).
        """)
    var db: String?

    var path: String {
        if let db { return db }
        let env = ProcessInfo.processInfo.environment
        if let fromEnv = env["HASHMARK_DB"] { return fromEnv }
        for config in [env["HASHMARK_CONFIG"], "/etc/hashmark/hashmark.toml"].compactMap({ $0 })
        where FileManager.default.fileExists(atPath: config) {
            if let resolved = try? DaemonConfig(tomlFile: config) { return resolved.corpusDB }
        }
        return "var/hashmark.sqlite"
    }

    /// Opens (creating when missing, with its folder) the corpus store: a SQLite file, or a
    /// PostgreSQL database named by a `postgresql://` URL (created tables, not the database).
    func open() throws -> CorpusStore {
        if !PostgresLocation.isURL(path) {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        do {
            return try CorpusStore(path: path)
        } catch {
            throw CLIError("cannot open the corpus database \(CorpusStore.displayName(of: path)): \(error)")
        }
    }
}

/// A usage or set-up problem: message on stderr, exit code 2.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

enum Terminal {
    static let isInteractive = isatty(2) == 1

    static func err(_ s: String) {
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }

    /// A one-line progress bar on stderr, only on a terminal.
    static func progress(_ done: Int, of total: Int, _ label: String) {
        guard isInteractive, total > 0 else { return }
        let width = 30
        let filled = done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) \(label.prefix(40))\u{1B}[K".utf8))
        if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
