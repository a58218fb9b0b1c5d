import Foundation
import HashmarkFingerprint

/// Row mapping and inserts shared by the public calls; all run inside a caller's transaction.
extension CorpusStore {
    static let workColumns = "id, title, owner, license, source, media_type, sha256, added_at, role"

    static func work(from row: SQLRow) throws -> Work {
        let role = try row.text(8)
        guard let known = WorkRole(rawValue: role) else {
            throw StoreError(code: "db-io", message: "work '\(try row.text(0))' has the unknown role '\(role)'")
        }
        return Work(id: try row.text(0), title: try row.text(1), owner: try row.text(2), license: try row.text(3),
                    source: try row.text(4), mediaType: try row.text(5), sha256: try row.optionalText(6),
                    addedAt: try row.double(7), role: known)
    }

    static func fetchWorks(_ db: any SQLSession, sql: String, _ args: [any SQLBindable]) throws -> [Work] {
        try db.fetchAll("SELECT \(workColumns) FROM works \(sql)", args).map(work(from:))
    }

    static func fetchWork(_ db: any SQLSession, sql: String, _ args: [any SQLBindable]) throws -> Work? {
        try db.fetchOne("SELECT \(workColumns) FROM works \(sql)", args).map(work(from:))
    }

    static func fetchFingerprints(_ db: any SQLSession, workID: String) throws -> [StoredFingerprint] {
        try db.fetchAll("""
            SELECT algorithm, version, variant, data, quality FROM fingerprints
            WHERE work_id = ? ORDER BY algorithm, version, variant, data
            """, [workID]).map {
            StoredFingerprint(algorithm: try $0.text(0), version: Int(try $0.int(1)), variant: Int(try $0.int(2)),
                              data: try $0.blob(3), quality: try $0.optionalInt(4).map { Int($0) })
        }
    }

    static func insert(_ db: any SQLSession, work: Work, fingerprints: [StoredFingerprint],
                       postings: [TextShingle], postingsAlgorithm: FingerprintAlgorithm, text: String?) throws {
        try db.execute("INSERT INTO works (\(workColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [work.id, work.title, work.owner, work.license, work.source, work.mediaType, work.sha256, work.addedAt,
                        work.role.rawValue])
        try insert(db, fingerprints: fingerprints, of: work.id)
        try insert(db, postings: postings, of: work.id, algorithm: postingsAlgorithm)
        if let text {
            try db.execute("INSERT INTO work_texts (work_id, text) VALUES (?, ?)", [work.id, text])
        }
    }

    static func insert(_ db: any SQLSession, fingerprints: [StoredFingerprint], of id: String) throws {
        try insertRows(db, "fingerprints (work_id, algorithm, version, variant, data, quality)", columns: 6,
                       fingerprints.map { [.text(id), .text($0.algorithm), .int(Int64($0.version)), .int(Int64($0.variant)),
                                           .blob($0.data), $0.quality.sqlValue] })
    }

    /// A work's postings and the algorithm that made them (no row at all when there are none).
    static func insert(_ db: any SQLSession, postings: [TextShingle], of id: String, algorithm: FingerprintAlgorithm) throws {
        guard !postings.isEmpty else { return }
        try insertRows(db, "text_postings (work_id, hash, position)", columns: 3,
                       postings.map { [.text(id), .int(Int64(bitPattern: $0.hash)), .int(Int64($0.position))] })
        try db.execute("INSERT INTO text_posting_algorithms (work_id, algorithm, version) VALUES (?, ?, ?)",
                       [id, algorithm.id, algorithm.version])
    }

    /// Inserts rows in multi-row statements of up to 256 rows: one round trip per statement, which
    /// is what makes a text's thousands of postings quick on a networked PostgreSQL.
    static func insertRows(_ db: any SQLSession, _ target: String, columns: Int, _ rows: [[SQLValue]]) throws {
        let tuple = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + 256, rows.count)]
            try db.execute("INSERT INTO \(target) VALUES " + Array(repeating: tuple, count: chunk.count).joined(separator: ", "),
                           chunk.flatMap { $0 })
            start += chunk.count
        }
    }

    static func version(_ db: any SQLSession) throws -> Int64 {
        try db.fetchOne("SELECT value FROM meta WHERE key = 'snapshot_version'")?.int(0) ?? 0
    }

    /// Called in the same transaction as every change, so a version names exactly one content.
    static func bumpVersion(_ db: any SQLSession) throws {
        try db.execute("UPDATE meta SET value = value + 1 WHERE key = 'snapshot_version'")
    }
}
