import Foundation
import GRDB
import HashmarkFingerprint

/// Row mapping and inserts shared by the public calls; all run inside a caller's transaction.
extension CorpusStore {
    static let workColumns = "id, title, owner, license, source, media_type, sha256, added_at"

    static func work(from row: Row) -> Work {
        Work(id: row[0], title: row[1], owner: row[2], license: row[3], source: row[4],
             mediaType: row[5], sha256: row[6], addedAt: row[7])
    }

    static func fetchWorks(_ db: Database, sql: String, _ args: StatementArguments) throws -> [Work] {
        try Row.fetchAll(db, sql: "SELECT \(workColumns) FROM works \(sql)", arguments: args).map(work(from:))
    }

    static func fetchWork(_ db: Database, sql: String, _ args: StatementArguments) throws -> Work? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(workColumns) FROM works \(sql)"), arguments: args)
            .map(work(from:))
    }

    static func fetchFingerprints(_ db: Database, workID: String) throws -> [StoredFingerprint] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT algorithm, version, variant, data, quality FROM fingerprints
            WHERE work_id = ? ORDER BY algorithm, version, variant, data
            """), arguments: [workID]).map {
            StoredFingerprint(algorithm: $0[0], version: $0[1], variant: $0[2],
                              data: [UInt8]($0[3] as Data), quality: $0[4])
        }
    }

    static func insert(_ db: Database, work: Work, fingerprints: [StoredFingerprint],
                       postings: [TextShingle], postingsAlgorithm: FingerprintAlgorithm, text: String?) throws {
        try db.cachedStatement(sql: "INSERT INTO works (\(workColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [work.id, work.title, work.owner, work.license, work.source,
                                   work.mediaType, work.sha256, work.addedAt])
        if !fingerprints.isEmpty {
            let st = try db.cachedStatement(sql: """
                INSERT INTO fingerprints (work_id, algorithm, version, variant, data, quality)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
            for f in fingerprints {
                try st.execute(arguments: [work.id, f.algorithm, f.version, f.variant, Data(f.data), f.quality])
            }
        }
        try insert(db, postings: postings, of: work.id, algorithm: postingsAlgorithm)
        if let text {
            try db.execute(sql: "INSERT INTO work_texts (work_id, text) VALUES (?, ?)", arguments: [work.id, text])
        }
    }

    /// A work's postings and the algorithm that made them (no row at all when there are none).
    static func insert(_ db: Database, postings: [TextShingle], of id: String, algorithm: FingerprintAlgorithm) throws {
        guard !postings.isEmpty else { return }
        let st = try db.cachedStatement(sql: "INSERT INTO text_postings (work_id, hash, position) VALUES (?, ?, ?)")
        for p in postings {
            try st.execute(arguments: [id, Int64(bitPattern: p.hash), Int64(p.position)])
        }
        try db.execute(sql: "INSERT INTO text_posting_algorithms (work_id, algorithm, version) VALUES (?, ?, ?)",
                       arguments: [id, algorithm.id, algorithm.version])
    }

    static func version(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'snapshot_version'") ?? 0
    }

    /// Called in the same transaction as every change, so a version names exactly one content.
    static func bumpVersion(_ db: Database) throws {
        try db.execute(sql: "UPDATE meta SET value = value + 1 WHERE key = 'snapshot_version'")
    }
}
