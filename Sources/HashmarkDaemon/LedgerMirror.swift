import Foundation
import Logging
import HashmarkReport
import HashmarkStore

/// On PostgreSQL, copies this daemon's ledger lines into the shared ledger
/// (`CorpusStore.appendSharedLedger`), which puts every host's lines in one total order.
///
/// The local `ledger.jsonl` stays the source: a line is appended there (durably, with its signed
/// report) first, and copied after. A copy that fails (the server away) or never ran (a crash) is
/// made by the next `sync`, at the next commit, scan interval or start: nothing is lost, and the
/// store skips lines it already holds, so nothing is copied twice.
final class LedgerMirror: @unchecked Sendable {
    /// `<hostname>:<reports folder>`: names this daemon's rows.
    let host: String
    let ledgerPath: String
    let database: String
    private let queue = DispatchQueue(label: "hashmark.ledger-mirror")
    // Guarded by `queue`.
    private var store: CorpusStore?
    /// Lines read from the file, and the bytes they take; -1: the shared ledger not asked yet.
    private var lines: Int64 = -1
    private var offset = 0
    private var scheduled = false
    /// The last failure, logged once until a copy succeeds again.
    private var failing: String?
    private let logger: Logger

    init(database: String, reportsFolder: String, logger: Logger) {
        self.database = database
        self.logger = logger
        let folder = URL(fileURLWithPath: reportsFolder).resolvingSymlinksInPath().path
        host = "\(ProcessInfo.processInfo.hostName):\(folder)"
        ledgerPath = reportsFolder + "/" + LedgerEntry.fileName
    }

    /// Copies what is new soon, off the caller's thread; requests made meanwhile share one copy.
    func request() {
        queue.async { [self] in
            guard !scheduled else { return }
            scheduled = true
            queue.async { [self] in
                scheduled = false
                _ = try? syncLocked()
            }
        }
    }

    /// Copies what is new now; returns the number of rows appended.
    @discardableResult
    func sync() throws -> Int { try queue.sync { try syncLocked() } }

    private func syncLocked() throws -> Int {
        do {
            let store = try self.store ?? CorpusStore(path: database)
            self.store = store
            if lines < 0 {
                // Skip, locally, the lines the shared ledger already holds.
                let held = try store.sharedLedgerLines(host: host)
                let (entries, end) = try LedgerEntry.read(path: ledgerPath, from: 0)
                let pending = entries.dropFirst(Int(min(held, Int64(entries.count))))
                let appended = try append(store, firstLine: held + 1, pending)
                (lines, offset) = (Int64(entries.count), end)
                recovered(appended)
                return appended
            }
            let (entries, end) = try LedgerEntry.read(path: ledgerPath, from: offset)
            let appended = try append(store, firstLine: lines + 1, entries[...])
            lines += Int64(entries.count)
            offset = end
            recovered(appended)
            return appended
        } catch {
            if failing != "\(error)" {
                logger.warning("shared ledger: copy failed; retried at the next commit, scan or start",
                               metadata: ["error": "\(error)", "host": "\(host)"])
            }
            failing = "\(error)"
            throw error
        }
    }

    private func recovered(_ appended: Int) {
        guard failing != nil else { return }
        failing = nil
        logger.info("shared ledger: copying again", metadata: ["rows": "\(appended)", "host": "\(host)"])
    }

    private func append(_ store: CorpusStore, firstLine: Int64, _ entries: ArraySlice<LedgerEntry>) throws -> Int {
        guard !entries.isEmpty else { return 0 }
        return try store.appendSharedLedger(host: host, firstLine: firstLine,
                                            lines: entries.map { (reportId: $0.reportId, sha256: $0.sha256) })
    }
}
