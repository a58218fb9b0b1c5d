/// One file of a shared inbox folder that several daemons (on one host or several) take work
/// from: a row of the `work_queue` table, keyed by the file's name.
///
/// Life of a row: `pending` (registered by whichever daemon saw the file first) → `claimed` by one
/// daemon (`owner`) with a lease, each claim adding 1 to `token` → `committing` once that daemon
/// is about to write the file's report (only while `owner` and `token` are still its own: the
/// fence) → `done` with the report id and outcome. A `claimed` row whose lease ran out is claimed
/// again by another daemon (a new token, so the first one's fence fails and it writes nothing);
/// a `committing` row is never taken over: only its owner knows whether its report was written,
/// and finishes it when it runs again.
public struct SharedWorkItem: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        case pending, claimed, committing, done
    }

    public var id: Int64
    /// The file's name in the shared inbox, as bytes (names need not be UTF-8).
    public var name: [UInt8]
    /// What the registering daemon saw of the file (size, change time, inode): a later file
    /// under a finished name is a new upload.
    public var identity: String
    public var state: State
    /// The claiming daemon: `<hostname>:<spool folder>`.
    public var owner: String?
    /// 1 for the first claim, +1 for each claim after a lease ran out.
    public var token: Int64
    /// From `committing` on: the report the owner writes (or wrote).
    public var reportId: String?
    /// With `done`: `done` or `failed`, where the original went.
    public var outcome: String?
}

extension CorpusStore {
    /// The database server's clock in milliseconds since 1970.
    private var nowMilliseconds: String {
        backend.dialect == .postgresql
            ? "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
            : "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
    }

    private static let columns = "id, name, identity, state, owner, token, report_id, outcome"

    private static func item(_ row: SQLRow) throws -> SharedWorkItem {
        let state = try row.text(3)
        guard let parsed = SharedWorkItem.State(rawValue: state) else {
            throw StoreError(code: "db-io", message: "work_queue row \(try row.int(0)) has state '\(state)'")
        }
        return SharedWorkItem(id: try row.int(0), name: try row.blob(1), identity: try row.text(2), state: parsed,
                              owner: try row.optionalText(4), token: try row.int(5), reportId: try row.optionalText(6),
                              outcome: try row.optionalText(7))
    }

    /// Registers the files a daemon sees in the shared inbox and returns their rows. A name not
    /// yet known becomes `pending`; a `done` name whose identity differs (a new upload under a
    /// finished name) becomes `pending` again, and a `pending` row takes the identity seen now (a
    /// file replaced before anyone claimed it). Other rows are returned as they are: a `done` row
    /// with the same identity is a file whose original was not yet moved out (a crash).
    public func registerShared(_ files: [(name: [UInt8], identity: String)]) throws(StoreError) -> [SharedWorkItem] {
        guard !files.isEmpty else { return [] }
        let now = nowMilliseconds
        return try update("work queue") { db in
            var items: [SharedWorkItem] = []
            var start = 0
            while start < files.count {
                // 256 names a statement: one round trip each for the insert and the read-back.
                let chunk = files[start..<min(start + 256, files.count)]
                start += chunk.count
                let values = Array(repeating: "(?, ?, 'pending', \(now))", count: chunk.count).joined(separator: ", ")
                _ = try db.execute("INSERT INTO work_queue (name, identity, state, added_ms) VALUES \(values) ON CONFLICT (name) DO NOTHING",
                                   chunk.flatMap { [SQLValue.blob($0.name), .text($0.identity)] })
                let seen = Dictionary(chunk.map { ($0.name, $0.identity) }, uniquingKeysWith: { $1 })
                let list = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                let names: [any SQLBindable] = chunk.map(\.name)
                let rows = try db.fetchAll("SELECT \(Self.columns) FROM work_queue WHERE name IN (\(list)) ORDER BY id", names)
                for row in rows {
                    var item = try Self.item(row)
                    if let identity = seen[item.name], identity != item.identity, item.state == .done || item.state == .pending {
                        _ = try db.execute("""
                            UPDATE work_queue SET identity = ?, state = 'pending', owner = NULL, lease_until = 0,
                                report_id = NULL, outcome = NULL, added_ms = \(now), done_ms = NULL
                            WHERE id = ?
                            """, [.text(identity), .int(item.id)])
                        (item.identity, item.state, item.owner, item.reportId, item.outcome) = (identity, .pending, nil, nil, nil)
                    }
                    items.append(item)
                }
            }
            return items
        }
    }

    /// Claims up to `limit` rows for `owner`, oldest first: `pending` ones and `claimed` ones
    /// whose lease ran out. Concurrent claimers skip each other's rows (PostgreSQL's
    /// `FOR UPDATE SKIP LOCKED`; SQLite has one writer at a time), so they take disjoint rows.
    public func claimShared(owner: String, limit: Int, leaseSeconds: Double) throws(StoreError) -> [SharedWorkItem] {
        guard limit > 0 else { return [] }
        let now = nowMilliseconds
        let skipLocked = backend.dialect == .postgresql ? " FOR UPDATE SKIP LOCKED" : ""
        return try update("work queue") { db in
            let ids = try db.fetchAll("""
                SELECT id FROM work_queue
                WHERE state = 'pending' OR (state = 'claimed' AND lease_until < \(now))
                ORDER BY id LIMIT ?\(skipLocked)
                """, [limit]).map { try $0.int(0) }
            guard !ids.isEmpty else { return [] }
            let list = Array(repeating: "?", count: ids.count).joined(separator: ", ")
            let idValues = ids.map { SQLValue.int($0) }
            _ = try db.execute("""
                UPDATE work_queue SET state = 'claimed', owner = ?, token = token + 1,
                    lease_until = \(now) + ?, report_id = NULL
                WHERE id IN (\(list))
                """, [SQLValue.text(owner), .int(Int64(leaseSeconds * 1000))] + idValues)
            var items: [SharedWorkItem] = []
            try db.forEachRow("SELECT \(Self.columns) FROM work_queue WHERE id IN (\(list)) ORDER BY id", idValues) {
                items.append(try Self.item($0))
            }
            return items
        }
    }

    /// Extends the leases of every row `owner` holds (claimed or committing); returns how many.
    @discardableResult
    public func renewShared(owner: String, leaseSeconds: Double) throws(StoreError) -> Int {
        let now = nowMilliseconds
        return try update("work queue") { db in
            try db.execute("""
                UPDATE work_queue SET lease_until = \(now) + ?
                WHERE owner = ? AND state IN ('claimed', 'committing')
                """, [Int64(leaseSeconds * 1000), owner])
        }
    }

    /// The fence before a report is written: the row turns `committing` with `reportId` if
    /// `owner` still holds it under `token`. False: another daemon claimed it since (or it is
    /// done); write nothing.
    public func fenceShared(id: Int64, owner: String, token: Int64, reportId: String) throws(StoreError) -> Bool {
        try update("work queue") { db in
            try db.execute("""
                UPDATE work_queue SET state = 'committing', report_id = ?
                WHERE id = ? AND owner = ? AND token = ? AND state IN ('claimed', 'committing')
                """, [reportId, id, owner, token]) == 1
        }
    }

    /// Marks the row `done` after its report is durable; false when `owner` no longer holds it
    /// under `token`.
    public func completeShared(id: Int64, owner: String, token: Int64, reportId: String,
                               outcome: String) throws(StoreError) -> Bool {
        let now = nowMilliseconds
        return try update("work queue") { db in
            try db.execute("""
                UPDATE work_queue SET state = 'done', report_id = ?, outcome = ?, lease_until = 0, done_ms = \(now)
                WHERE id = ? AND owner = ? AND token = ? AND state IN ('claimed', 'committing')
                """, [reportId, outcome, id, owner, token]) == 1
        }
    }

    /// Gives a claimed row back (`pending`) when `owner` still holds it under `token` and has
    /// not begun its report.
    @discardableResult
    public func releaseShared(id: Int64, owner: String, token: Int64) throws(StoreError) -> Bool {
        try update("work queue") { db in
            try db.execute("""
                UPDATE work_queue SET state = 'pending', owner = NULL, lease_until = 0
                WHERE id = ? AND owner = ? AND token = ? AND state = 'claimed'
                """, [id, owner, token]) == 1
        }
    }

    /// One row by id.
    public func sharedItem(id: Int64) throws(StoreError) -> SharedWorkItem? {
        try read("work queue") { db in
            try db.fetchOne("SELECT \(Self.columns) FROM work_queue WHERE id = ?", [id]).map(Self.item)
        }
    }

    /// The rows `owner` holds (claimed or committing).
    public func sharedItems(owner: String) throws(StoreError) -> [SharedWorkItem] {
        try read("work queue") { db in
            try db.fetchAll("""
                SELECT \(Self.columns) FROM work_queue WHERE owner = ? AND state IN ('claimed', 'committing') ORDER BY id
                """, [owner]).map(Self.item)
        }
    }

    /// Rows not done, oldest first, each with the milliseconds until its lease ends (negative:
    /// it ran out; 0 for pending rows).
    public func sharedQueueOpen(limit: Int = 1000) throws(StoreError) -> [(item: SharedWorkItem, leaseLeftMilliseconds: Int64)] {
        let now = nowMilliseconds
        return try read("work queue") { db in
            try db.fetchAll("""
                SELECT \(Self.columns), CASE WHEN state = 'pending' THEN 0 ELSE lease_until - \(now) END
                FROM work_queue WHERE state <> 'done' ORDER BY id LIMIT ?
                """, [limit]).map { (item: try Self.item($0), leaseLeftMilliseconds: try $0.int(8)) }
        }
    }

    /// An operator's release of a row whose daemon is gone for good: `claimed` or `committing`
    /// becomes `pending` whatever its owner, for any daemon to take. (A `committing` row's report
    /// may exist on the gone daemon's host: release it only when that host will not return.)
    public func forceReleaseShared(id: Int64) throws(StoreError) -> Bool {
        try update("work queue") { db in
            try db.execute("""
                UPDATE work_queue SET state = 'pending', owner = NULL, lease_until = 0, report_id = NULL
                WHERE id = ? AND state IN ('claimed', 'committing')
                """, [id]) == 1
        }
    }

    /// Rows per state.
    public func sharedQueueCounts() throws(StoreError) -> [SharedWorkItem.State: Int] {
        try read("work queue") { db in
            var counts: [SharedWorkItem.State: Int] = [:]
            for row in try db.fetchAll("SELECT state, COUNT(*) FROM work_queue GROUP BY state") {
                if let state = SharedWorkItem.State(rawValue: try row.text(0)) { counts[state] = Int(try row.int(1)) }
            }
            return counts
        }
    }
}
