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
    // Guarded by `lock`.
    private var cachedEntries: [LedgerEntry] = []
    private var cachedLength: Int = -1

    /// Creates `directory` (0755) if needed.
    public init(directory: String, signingKey: SigningKey) throws {
        if mkdir(directory, 0o755) != 0, errno != EEXIST {
            throw ReportError.io("mkdir \(directory)", errno: errno)
        }
        self.directory = directory
        self.signingKey = signingKey
    }

    public var ledgerPath: String { directory + "/" + LedgerEntry.fileName }

    public func write(_ report: VerdictReport) throws -> Written {
        lock.lock()
        defer { lock.unlock() }
        guard ReportID.isValid(report.reportId) else {
            throw ReportError(.invalidReportId, "\"\(report.reportId)\" cannot be used as a file name")
        }
        let fd = open(ledgerPath, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ReportError.io("open \(ledgerPath)", errno: errno) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw ReportError.io("flock \(ledgerPath)", errno: errno) }
        }
        defer { flock(fd, LOCK_UN) }
        let entries = try loadLedger(fd: fd)

        var signed = report
        signed.signer = .init(keyId: signingKey.publicKey.keyId)
        let reportPath = directory + "/" + report.reportId + ".json"
        let signaturePath = reportPath + ".sig"

        if let existing = entries.last(where: { $0.reportId == report.reportId }) {
            signed.previousReportSha256 = existing.previous
            let bytes = try signed.canonicalBytes()
            let digest = Hex.encode(try SHA256Digest.hash(bytes))
            if digest == existing.sha256 {
                let signature = try signingKey.sign(bytes)
                if (try? FileIO.readAll(reportPath)) != bytes {
                    try FileIO.writeAtomically(bytes, to: reportPath, mode: 0o644)
                }
                if (try? FileIO.readAll(signaturePath)) != signature {
                    try FileIO.writeAtomically(signature, to: signaturePath, mode: 0o644)
                }
                return Written(report: signed, reportPath: reportPath, signaturePath: signaturePath,
                               sha256: digest, appendedToLedger: false)
            }
        }

        let head = entries.last?.sha256 ?? VerdictReport.genesisHash
        signed.previousReportSha256 = head
        let bytes = try signed.canonicalBytes()
        let digest = Hex.encode(try SHA256Digest.hash(bytes))
        let signature = try signingKey.sign(bytes)
        try FileIO.writeAtomically(bytes, to: reportPath, mode: 0o644)
        try FileIO.writeAtomically(signature, to: signaturePath, mode: 0o644)

        let entry = LedgerEntry(reportId: report.reportId, sha256: digest, previous: head)
        let line = try entry.line()
        try FileIO.writeAll(fd: fd, line, path: ledgerPath)
        try FileIO.fsyncOrThrow(fd, path: ledgerPath)
        if cachedLength >= 0 {
            cachedEntries.append(entry)
            cachedLength += line.count
        }
        if entries.isEmpty { try FileIO.fsyncDirectory(directory) }  // the ledger file was just created
        return Written(report: signed, reportPath: reportPath, signaturePath: signaturePath,
                       sha256: digest, appendedToLedger: true)
    }

    /// Returns the ledger entries, re-reading only when the file changed size. A torn last line
    /// (an append cut short by a crash) is truncated away; its report is re-ledgered on re-run.
    private func loadLedger(fd: Int32) throws -> [LedgerEntry] {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ReportError.io("fstat \(ledgerPath)", errno: errno) }
        if Int(info.st_size) == cachedLength { return cachedEntries }
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
        cachedEntries = entries
        cachedLength = complete
        return entries
    }
}
