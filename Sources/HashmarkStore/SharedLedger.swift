import Foundation
import HashmarkPrimitives

/// One row of the shared ledger: on PostgreSQL, the ledger lines of every host's daemon in one
/// total order. Each host keeps its own signed reports and `ledger.jsonl`; row `seq` says that
/// line `hostLine` of `host`'s ledger holds report `reportId` with SHA-256 `sha256`, and `chain`
/// hashes the row onto the one before, so a row removed, reordered or altered breaks the chain.
public struct SharedLedgerRow: Sendable, Equatable {
    /// 1, 2, 3, … with no gaps.
    public var seq: Int64
    /// The writing daemon: `<hostname>:<reports folder>`.
    public var host: String
    /// The line's number in that host's `ledger.jsonl`, from 1.
    public var hostLine: Int64
    public var reportId: String
    /// The report's SHA-256, as its ledger line has it.
    public var sha256: String
    /// `chain` of the row before; 64 zeros for the first.
    public var previous: String
    /// SHA-256 over `previous`, `seq`, `host`, `hostLine`, `reportId` and `sha256`.
    public var chain: String

    public static let genesis = String(repeating: "0", count: 64)

    public init(seq: Int64, host: String, hostLine: Int64, reportId: String, sha256: String, previous: String, chain: String) {
        self.seq = seq; self.host = host; self.hostLine = hostLine; self.reportId = reportId
        self.sha256 = sha256; self.previous = previous; self.chain = chain
    }

    /// The `chain` value of a row with these fields.
    public static func chain(previous: String, seq: Int64, host: String, hostLine: Int64, reportId: String, sha256: String) -> String {
        var h = SHA256()
        h.updateField("hashmark-shared-ledger-1")
        h.updateField(previous)
        h.update(seq)
        h.updateField(host)
        h.update(hostLine)
        h.updateField(reportId)
        h.updateField(sha256)
        return Hex.encode(h.finalize())
    }

    /// Checks rows read in `seq` order: contiguous from 1, each chained onto the one before and
    /// hashing to its `chain`, and each host's lines contiguous from 1. Returns the first problem.
    public static func verify(_ rows: [SharedLedgerRow]) -> String? {
        var previous = genesis
        var lines: [String: Int64] = [:]
        for (i, row) in rows.enumerated() {
            guard row.seq == Int64(i + 1) else {
                return "row \(i + 1) has seq \(row.seq): a row is missing or out of order"
            }
            guard row.previous == previous else { return "row \(row.seq) does not chain onto row \(row.seq - 1)" }
            guard row.chain == chain(previous: row.previous, seq: row.seq, host: row.host, hostLine: row.hostLine,
                                     reportId: row.reportId, sha256: row.sha256) else {
                return "row \(row.seq) was altered (its chain hash does not match its fields)"
            }
            let expected = (lines[row.host] ?? 0) + 1
            guard row.hostLine == expected else {
                return "row \(row.seq) is line \(row.hostLine) of \(row.host), expected line \(expected)"
            }
            lines[row.host] = expected
            previous = row.chain
        }
        return nil
    }
}

extension CorpusStore {
    /// How many of `host`'s ledger lines the shared ledger holds (its lines 1…n).
    public func sharedLedgerLines(host: String) throws(StoreError) -> Int64 {
        try read("shared ledger of \(host)") { db in
            try db.fetchOne("SELECT COUNT(*) FROM shared_ledger WHERE host = ?", [host])?.int(0) ?? 0
        }
    }

    /// Appends `host`'s ledger lines `firstLine`, `firstLine + 1`, … (report id and SHA-256 each)
    /// to the shared ledger, after every row any host wrote before, in one transaction. Lines it
    /// already holds are skipped (a retry after a lost reply appends nothing twice); a gap before
    /// `firstLine` is `ledger-gap`. Returns the number of rows appended.
    @discardableResult
    public func appendSharedLedger(host: String, firstLine: Int64,
                                   lines: [(reportId: String, sha256: String)]) throws(StoreError) -> Int {
        guard firstLine >= 1 else { throw StoreError(code: "ledger-gap", message: "ledger lines are numbered from 1") }
        return try write("shared ledger") { db in
            let held = try db.fetchOne("SELECT COUNT(*) FROM shared_ledger WHERE host = ?", [host])?.int(0) ?? 0
            guard firstLine <= held + 1 else {
                throw StoreError(code: "ledger-gap", message: "the shared ledger holds \(held) lines of \(host); line \(firstLine) would leave a gap")
            }
            let skip = Int(held + 1 - firstLine)
            guard skip < lines.count else { return 0 }
            let head = try db.fetchOne("SELECT seq, chain FROM shared_ledger ORDER BY seq DESC LIMIT 1")
            var seq = try head?.int(0) ?? 0
            var previous = try head?.text(1) ?? SharedLedgerRow.genesis
            var rows: [[SQLValue]] = []
            for (offset, line) in lines.enumerated().dropFirst(skip) {
                seq += 1
                let hostLine = firstLine + Int64(offset)
                let chain = SharedLedgerRow.chain(previous: previous, seq: seq, host: host, hostLine: hostLine,
                                                  reportId: line.reportId, sha256: line.sha256)
                rows.append([.int(seq), .text(host), .int(hostLine), .text(line.reportId), .text(line.sha256),
                             .text(previous), .text(chain)])
                previous = chain
            }
            try Self.insertRows(db, "shared_ledger (seq, host, host_line, report_id, sha256, previous, chain)", columns: 7, rows)
            return rows.count
        }
    }

    /// The shared ledger's rows in order, `limit` at a time after `seq` (for verification).
    public func sharedLedger(after seq: Int64 = 0, limit: Int = 10_000) throws(StoreError) -> [SharedLedgerRow] {
        try read("shared ledger") { db in
            try db.fetchAll("""
                SELECT seq, host, host_line, report_id, sha256, previous, chain FROM shared_ledger
                WHERE seq > ? ORDER BY seq LIMIT ?
                """, [seq, limit]).map {
                SharedLedgerRow(seq: try $0.int(0), host: try $0.text(1), hostLine: try $0.int(2), reportId: try $0.text(3),
                                sha256: try $0.text(4), previous: try $0.text(5), chain: try $0.text(6))
            }
        }
    }
}
