import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Signs and stores reports: `<dir>/<id>.json`, `<dir>/<id>.json.sig` (raw 64-byte Ed25519 over
/// the exact JSON bytes) and one line per report in `<dir>/ledger.jsonl`.
///
/// Safe for concurrent callers: calls are serialised by a lock inside the process and by
/// `flock` on the ledger across processes (the cached ledger is re-read when its size changes).
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
    }

    public let directory: String
    private let signingKey: SigningKey
    private let lock = NSLock()
    // Guarded by `lock`: the ledger as last read or written by this writer, and its length.
    private var cached = LedgerState()
    private var cachedLength: Int = -1

    /// What writing needs from the ledger: its head, its line count and each report id's latest
    /// line. Kept up to date by appends, so a batch costs the same whatever the ledger's length.
    struct LedgerState {
        var head = VerdictReport.genesisHash
        var count = 0
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

    /// Signs and durably stores one report; see `write(batch:)`.
    public func write(_ report: VerdictReport) throws -> Written {
        try write(batch: [report])[0].get()
    }

    /// Signs and durably stores several reports with one round of fsyncs (a group commit): all
    /// files are written, then fsynced, renamed into place, the directory fsynced once, and the
    /// ledger lines appended in one write and fsynced once. When this returns, every `.success`
    /// report, its signature and its ledger line are durable. An invalid id fails only its own
    /// report; an I/O failure fails every report of the batch not yet ledgered (a re-run of the
    /// same ids then repairs them, as after a crash).
    public func write(batch reports: [VerdictReport]) -> [Result<Written, ReportError>] {
        lock.lock()
        defer { lock.unlock() }
        var results = [Result<Written, ReportError>?](repeating: nil, count: reports.count)
        for (index, report) in reports.enumerated() where !ReportID.isValid(report.reportId) {
            results[index] = .failure(ReportError(.invalidReportId, "\"\(report.reportId)\" cannot be used as a file name"))
        }
        guard results.contains(where: { $0 == nil }) else { return results.compactMap { $0 } }  // no ledger touched
        do {
            var appended: (entries: [LedgerEntry], bytes: Int)?
            try withLockedLedger { fd, state in
                appended = try commit(reports, fd: fd, ledger: state, into: &results)
            }
            // Extended only now, when nothing else holds the state (no copy of the map).
            if let appended, cachedLength >= 0 {
                for entry in appended.entries { cached.append(entry) }
                cachedLength += appended.bytes
            }
        } catch {
            let failure = error as? ReportError ?? ReportError(.io, "\(error)")
            for index in results.indices where results[index] == nil { results[index] = .failure(failure) }
        }
        return results.map { $0 ?? .failure(ReportError(.io, "report not written")) }
    }

    /// Opens and `flock`s the ledger (serialising writers across processes) and loads its state.
    private func withLockedLedger(_ body: (Int32, LedgerState) throws -> Void) throws {
        let fd = open(ledgerPath, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ReportError.io("open \(ledgerPath)", errno: errno) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw ReportError.io("flock \(ledgerPath)", errno: errno) }
        }
        defer { flock(fd, LOCK_UN) }
        try body(fd, try loadLedger(fd: fd))
    }

    /// Writes the batch; returns the ledger lines it appended (and their byte count), `nil` when
    /// it appended none.
    private func commit(_ reports: [VerdictReport], fd: Int32, ledger: LedgerState,
                        into results: inout [Result<Written, ReportError>?]) throws -> (entries: [LedgerEntry], bytes: Int)? {
        var batchLatest: [String: LedgerEntry] = [:]  // lines appended by this batch, by id
        var head = ledger.head
        var staged: [FileIO.Staged] = []
        defer { for file in staged { close(file.fd); unlink(file.tempPath) } }
        var appended: [(index: Int, written: Written, entry: LedgerEntry)] = []

        for (index, report) in reports.enumerated() where results[index] == nil {
            var signed = report
            signed.signer = .init(keyId: signingKey.publicKey.keyId)
            let reportPath = directory + "/" + report.reportId + ".json"
            let signaturePath = reportPath + ".sig"
            if let existing = batchLatest[report.reportId] ?? ledger.latest[report.reportId] {
                signed.previousReportSha256 = existing.previous
                let bytes = try signed.canonicalBytes()
                let digest = Hex.encode(try SHA256Digest.hash(bytes))
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
                digest = Hex.encode(try SHA256Digest.hash(bytes))
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

        let publishing = staged
        staged = []
        try FileIO.publish(publishing)
        try FileIO.fsyncDirectory(directory)
        var lines: [UInt8] = []
        for item in appended { lines += try item.entry.line() }
        try FileIO.writeAll(fd: fd, lines, path: ledgerPath)
        try FileIO.fsyncOrThrow(fd, path: ledgerPath)
        if ledger.count == 0 { try FileIO.fsyncDirectory(directory) }  // the ledger file was just created
        for item in appended { results[item.index] = .success(item.written) }
        return (appended.map(\.entry), lines.count)
    }

    /// Returns the ledger's state, re-reading the file only when its size is not the one this
    /// writer left (another process appended, or first use). A torn last line (an append cut short
    /// by a crash) is truncated away; its report is re-ledgered on re-run.
    private func loadLedger(fd: Int32) throws -> LedgerState {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ReportError.io("fstat \(ledgerPath)", errno: errno) }
        if Int(info.st_size) == cachedLength { return cached }
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw ReportError.io("lseek \(ledgerPath)", errno: errno) }
        let bytes = try FileIO.readAll(fd: fd, path: ledgerPath, limit: Int.max)
        let (entries, complete) = try LedgerEntry.parse(bytes)
        var chainHead = VerdictReport.genesisHash
        for (index, entry) in entries.enumerated() {
            guard entry.previous == chainHead else {
                throw ReportError(.ledger, "line \(index + 1) does not chain to the line before; refusing to extend it")
            }
            chainHead = entry.sha256
        }
        if complete < bytes.count {
            guard ftruncate(fd, off_t(complete)) == 0 else { throw ReportError.io("ftruncate \(ledgerPath)", errno: errno) }
            try FileIO.fsyncOrThrow(fd, path: ledgerPath)
        }
        var state = LedgerState()
        for entry in entries { state.append(entry) }
        cached = state
        cachedLength = complete
        return state
    }

    /// The report stored under `id` when it is durable and the ledger's latest line for that id
    /// names exactly its bytes (a report file whose ledger append was cut short by a crash does
    /// not count); nil otherwise.
    public func ledgeredReport(id: String) throws -> VerdictReport? {
        guard ReportID.isValid(id) else { return nil }
        let reportPath = directory + "/" + id + ".json"
        guard let bytes = try? FileIO.readAll(reportPath) else { return nil }
        lock.lock()
        defer { lock.unlock() }
        var latest: LedgerEntry?
        try withLockedLedger { _, state in latest = state.latest[id] }
        guard let latest, Hex.encode(try SHA256Digest.hash(bytes)) == latest.sha256 else { return nil }
        return try VerdictReport(bytes: bytes)
    }
}
