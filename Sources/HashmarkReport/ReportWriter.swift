import Foundation
import HashmarkPrimitives
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Signs and stores reports: `<dir>/<id>.json`, `<dir>/<id>.json.sig` (raw 64-byte Ed25519 over
/// the exact JSON bytes) and one line per report in `<dir>/ledger.jsonl`.
///
/// Safe for concurrent callers: calls are serialised by a lock inside the process and by
/// `flock` on the ledger across processes. Lines another process appended are read and must chain
/// onto the head this writer knew; a ledger that shrank, or whose head line changed, is refused
/// (`ledger-shrank`, `ledger-rewritten`) and left untouched, never re-read from genesis.
///
/// Signed checkpoints: each group commit that appends lines also appends one signed
/// `LedgerCheckpoint` to `checkpoints.tsv`, for the ledger as it stood when the batch began. That
/// state is already durable (fsynced by the previous commit, or at load), so the checkpoint joins
/// the batch's first concurrent fsync round — no extra flush — and can never claim a line a power
/// cut could still take away. The price is that checkpoints lag one batch: call `checkpoint()`
/// when the queue drains or before exit to cover the last one. On first use the writer checks the
/// ledger against the newest checkpoint signed with its key, so a truncation done while no writer
/// ran is refused too.
///
/// Re-writing an existing report id (crash-recovery re-run): the report is rebuilt with the
/// `previous` hash of that id's latest ledger line. If the bytes come out identical, the files are
/// (re)written if missing or different and no ledger line is added. If the content differs (e.g. a
/// new `createdAt`), it is a new version: chained to the ledger head, the files are replaced and a
/// line is appended; the older line for that id then counts as superseded in `verifyLedger`.
/// Callers that want idempotent re-runs keep `reportId` and `createdAt` fixed per job.
public final class ReportWriter: @unchecked Sendable {
    public struct Written: Sendable {
        /// The report as signed (with `signer` and `previousReportSha256` filled in).
        public let report: VerdictReport
        public let reportPath: String
        public let signaturePath: String
        /// SHA-256 (hex) of the report bytes, as in the ledger.
        public let sha256: String
        /// False when an identical report was already in the ledger.
        public let appendedToLedger: Bool
        /// The ledger after the batch this report was committed in (log it on every commit).
        public internal(set) var ledger = LedgerPosition(head: VerdictReport.genesisHash, count: 0, checkpointed: 0)
    }

    /// Where the ledger stands: `"ledger head H, count N"` is what a daemon logs after a commit.
    public struct LedgerPosition: Sendable, Equatable, CustomStringConvertible {
        /// SHA-256 of the last line's report (64 zeros for an empty ledger).
        public let head: String
        /// Number of lines.
        public let count: Int
        /// Lines covered by the newest checkpoint this writer wrote or checked (0: none).
        public let checkpointed: Int

        public init(head: String, count: Int, checkpointed: Int) {
            self.head = head; self.count = count; self.checkpointed = checkpointed
        }

        public var description: String { "ledger head \(head), count \(count), checkpointed \(checkpointed)" }
    }

    public let directory: String
    let signingKey: SigningKey
    /// Serialises this writer's callers; the state below is only touched with it held.
    private let lock = Mutex(())
    // Guarded by `lock`: the ledger as last read or written by this writer, and its length.
    var cached = LedgerState()
    var cachedLength: Int = -1
    /// Guarded by `lock`: ledger lines covered by the newest durable checkpoint this writer knows,
    /// and the length of `checkpoints.tsv` as this writer left it (-1: not looked at yet).
    var checkpointed = 0
    var checkpointsLength = -1

    /// What writing needs from the ledger: its head, its line count, its last line's bytes (to see
    /// that it is still there) and each report id's latest line. Kept up to date by appends, so a
    /// batch costs the same whatever the ledger's length.
    struct LedgerState {
        var head = VerdictReport.genesisHash
        var count = 0
        var lastLine: [UInt8] = []
        var latest: [String: LedgerEntry] = [:]

        mutating func append(_ entry: LedgerEntry) {
            latest[entry.reportId] = entry
            head = entry.sha256
            count += 1
        }
    }

    /// Creates `directory` (0755) if needed.
    public init(directory: String, signingKey: SigningKey) throws {
        if mkdir(directory, 0o755) != 0, errno != EEXIST {
            throw ReportError.io("mkdir \(directory)", errno: errno)
        }
        self.directory = directory
        self.signingKey = signingKey
    }

    public var ledgerPath: String { directory + "/" + LedgerEntry.fileName }
    public var checkpointsPath: String { directory + "/" + LedgerCheckpoint.fileName }

    /// The ledger as this writer last saw it; nil before its first write or checkpoint.
    public var ledgerPosition: LedgerPosition? {
        lock.withLock { _ in cachedLength < 0 ? nil : position }
    }

    var position: LedgerPosition { LedgerPosition(head: cached.head, count: cached.count, checkpointed: checkpointed) }

    /// Appends a signed checkpoint of the ledger as it is now (durable: fsynced), unless the newest
    /// one this writer knows already covers it or the ledger is empty. Costs one fsync: call it when
    /// the queue drains or before exit, not per report (commits checkpoint the state before them).
    @discardableResult
    public func checkpoint() throws -> LedgerPosition {
        try lock.withLock { _ in try checkpointLocked() }
    }

    private func checkpointLocked() throws -> LedgerPosition {
        try withLockedLedger { _, state in
            guard state.count > 0, state.count != checkpointed else { return }
            let file = try openCheckpoints()
            defer { close(file.fd) }
            try appendCheckpoint(fd: file.fd, for: state)
            try FileIO.fsyncOrThrow(file.fd, path: checkpointsPath)
            if file.created { try FileIO.fsyncDirectory(directory) }
            checkpointed = state.count
        }
        return position
    }

    /// Signs and durably stores one report; see `write(batch:)`.
    public func write(_ report: VerdictReport) throws -> Written {
        try write(batch: [report])[0].get()
    }

    /// Signs and durably stores several reports with one round of fsyncs (a group commit): all
    /// files are written, then fsynced, renamed into place, the directory fsynced once, and the
    /// ledger lines appended in one write and fsynced once. When this returns, every `.success`
    /// report, its signature and its ledger line are durable. An invalid id fails only its own
    /// report; an I/O failure fails every report of the batch not yet ledgered (a re-run of the
    /// same ids then repairs them, as after a crash). A batch that appends lines also appends a
    /// signed checkpoint of the ledger as it stood before it, fsynced in the same round as the
    /// files. A ledger that shrank or was rewritten fails the whole batch and is not written to.
    public func write(batch reports: [VerdictReport]) -> [Result<Written, ReportError>] {
        lock.withLock { _ in writeLocked(batch: reports) }
    }

    private func writeLocked(batch reports: [VerdictReport]) -> [Result<Written, ReportError>] {
        var results = [Result<Written, ReportError>?](repeating: nil, count: reports.count)
        for (index, report) in reports.enumerated() where !ReportID.isValid(report.reportId) {
            results[index] = .failure(ReportError(.invalidReportId, "\"\(report.reportId)\" cannot be used as a file name"))
        }
        guard results.contains(where: { $0 == nil }) else { return results.compactMap { $0 } }  // no ledger touched
        do {
            var appended: Appended?
            try withLockedLedger { fd, state in
                appended = try commit(reports, fd: fd, ledger: state, into: &results)
            }
            // Extended only now, when nothing else holds the state (no copy of the map).
            if let appended, cachedLength >= 0 {
                for entry in appended.entries { cached.append(entry) }
                cached.lastLine = appended.lastLine
                cachedLength += appended.bytes
            }
            let position = position
            for index in results.indices {
                if case .success(var written)? = results[index] {
                    written.ledger = position
                    results[index] = .success(written)
                }
            }
        } catch {
            let failure = error as? ReportError ?? ReportError(.io, "\(error)")
            for index in results.indices where results[index] == nil { results[index] = .failure(failure) }
        }
        return results.map { $0 ?? .failure(ReportError(.io, "report not written")) }
    }

    /// Ledger lines a commit appended: the entries, their byte count and the last line's bytes.
    struct Appended {
        let entries: [LedgerEntry]
        let bytes: Int
        let lastLine: [UInt8]
    }

    /// Opens and `flock`s the ledger (serialising writers across processes) and loads its state.
    /// A ledger this writer has seen with lines is never created afresh: a deleted one is refused.
    private func withLockedLedger(_ body: (Int32, LedgerState) throws -> Void) throws {
        let create = cachedLength > 0 ? 0 : O_CREAT
        let fd = open(ledgerPath, O_RDWR | create | O_APPEND | O_CLOEXEC, 0o644)
        if fd < 0, errno == ENOENT, create == 0 {
            throw ReportError(.ledgerShrank, "\(ledgerPath) was deleted under this writer (it had \(cached.count) lines); "
                + "refusing to start a new chain")
        }
        guard fd >= 0 else { throw ReportError.io("open \(ledgerPath)", errno: errno) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw ReportError.io("flock \(ledgerPath)", errno: errno) }
        }
        defer { flock(fd, LOCK_UN) }
        try body(fd, try loadLedger(fd: fd))
    }

    /// Writes the batch; returns the ledger lines it appended, `nil` when it appended none.
    private func commit(_ reports: [VerdictReport], fd: Int32, ledger: LedgerState,
                        into results: inout [Result<Written, ReportError>?]) throws -> Appended? {
        var batchLatest: [String: LedgerEntry] = [:]  // lines appended by this batch, by id
        var head = ledger.head
        var staged: [FileIO.Staged] = []
        defer { for file in staged { close(file.fd); unlink(file.tempPath) } }
        var appended: [(index: Int, written: Written, entry: LedgerEntry)] = []

        for (index, report) in reports.enumerated() where results[index] == nil {
            var signed = report
            signed.signer = .init(keyId: signingKey.publicKey.keyId)
            signed.schema = report.writtenSchema
            let reportPath = directory + "/" + report.reportId + ".json"
            let signaturePath = reportPath + ".sig"
            if let existing = batchLatest[report.reportId] ?? ledger.latest[report.reportId] {
                signed.previousReportSha256 = existing.previous
                let bytes = try signed.canonicalBytes()
                let digest = SHA256.hex(bytes)
                if digest == existing.sha256 {
                    // A re-run that produced the identical report: repair the files if needed.
                    let signature = try signingKey.sign(bytes)
                    if (try? FileIO.readAll(reportPath)) != bytes {
                        try FileIO.writeAtomically(bytes, to: reportPath, mode: 0o644)
                    }
                    if (try? FileIO.readAll(signaturePath)) != signature {
                        try FileIO.writeAtomically(signature, to: signaturePath, mode: 0o644)
                    }
                    results[index] = .success(Written(report: signed, reportPath: reportPath, signaturePath: signaturePath,
                                                      sha256: digest, appendedToLedger: false))
                    continue
                }
            }
            signed.previousReportSha256 = head
            let bytes: [UInt8], digest: String
            do {
                bytes = try signed.canonicalBytes()
                digest = SHA256.hex(bytes)
                let signature = try signingKey.sign(bytes)
                let json = try FileIO.stage(bytes, for: reportPath, mode: 0o644)
                staged.append(json)
                staged.append(try FileIO.stage(signature, for: signaturePath, mode: 0o644))
            } catch {
                // Only this report fails; the chain head stays where it was.
                if let last = staged.last, last.finalPath == reportPath {
                    close(last.fd)
                    unlink(last.tempPath)
                    staged.removeLast()
                }
                results[index] = .failure(error as? ReportError ?? ReportError(.io, "\(error)"))
                continue
            }
            let entry = LedgerEntry(reportId: report.reportId, sha256: digest, previous: head)
            batchLatest[report.reportId] = entry
            head = digest
            appended.append((index, Written(report: signed, reportPath: reportPath, signaturePath: signaturePath,
                                            sha256: digest, appendedToLedger: true), entry))
        }
        guard !appended.isEmpty else { return nil }

        // The checkpoint of the ledger as it stood (durable already) joins the files' fsync round;
        // the directory fsync below also covers a newly created checkpoints file.
        var checkpointFile: (fd: Int32, created: Bool)?
        defer { if let checkpointFile { close(checkpointFile.fd) } }
        if ledger.count > 0, ledger.count != checkpointed {
            let file = try openCheckpoints()
            checkpointFile = file
            try appendCheckpoint(fd: file.fd, for: ledger)
        }
        let publishing = staged
        staged = []
        try FileIO.publish(publishing, alsoSyncing: checkpointFile.map { [($0.fd, checkpointsPath)] } ?? [])
        try FileIO.fsyncDirectory(directory)
        if checkpointFile != nil { checkpointed = ledger.count }
        var lines: [UInt8] = []
        var lastLine: [UInt8] = []
        for item in appended {
            lastLine = try item.entry.line()
            lines += lastLine
        }
        try FileIO.writeAll(fd: fd, lines, path: ledgerPath)
        try FileIO.fsyncOrThrow(fd, path: ledgerPath)
        if ledger.count == 0 { try FileIO.fsyncDirectory(directory) }  // the ledger file was just created
        for item in appended { results[item.index] = .success(item.written) }
        return Appended(entries: appended.map(\.entry), bytes: lines.count, lastLine: lastLine)
    }

    /// The report stored under `id` when it is durable and the ledger's latest line for that id
    /// names exactly its bytes (a report file whose ledger append was cut short by a crash does
    /// not count); nil otherwise.
    public func ledgeredReport(id: String) throws -> VerdictReport? {
        guard ReportID.isValid(id) else { return nil }
        let reportPath = directory + "/" + id + ".json"
        guard let bytes = try? FileIO.readAll(reportPath) else { return nil }
        let latest: LedgerEntry? = try lock.withLock { _ in
            var latest: LedgerEntry?
            try withLockedLedger { _, state in latest = state.latest[id] }
            return latest
        }
        guard let latest, SHA256.hex(bytes) == latest.sha256 else { return nil }
        return try VerdictReport(bytes: bytes)
    }
}
