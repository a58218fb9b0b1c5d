import Foundation
import GRDB
import HashmarkFingerprint
import HashmarkPrimitives

/// Bulk reads for start-up index loading, and the corpus snapshot.
extension CorpusStore {
    /// Every PDQ fingerprint of the current version in one pass, for building the in-memory index
    /// at start-up (other versions are `staleContent()`, never compared). Rows with malformed data
    /// (not 32 bytes) are skipped.
    public func allPDQ() throws(StoreError) -> PDQTable {
        try read("PDQ fingerprints") { db in
            var table = PDQTable()
            var indexOf: [String: UInt32] = [:]
            var lastID = ""
            var lastIndex: UInt32 = 0
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT work_id, data, quality, variant FROM fingerprints WHERE algorithm = ? AND version = ?
                ORDER BY rowid
                """, arguments: [FingerprintAlgorithm.pdq.id, FingerprintAlgorithm.pdq.version])
            while let row = try cursor.next() {
                guard let hash = try row.withUnsafeData(atIndex: 1, { $0.flatMap { Hash256(bigEndianBytes: $0) } })
                else { continue }
                let id: String = row[0]
                if id != lastID || table.workIDs.isEmpty {
                    if let i = indexOf[id] {
                        lastIndex = i
                    } else {
                        lastIndex = UInt32(table.workIDs.count)
                        indexOf[id] = lastIndex
                        table.workIDs.append(id)
                    }
                    lastID = id
                }
                let quality: Int? = row[2]
                table.workIndex.append(lastIndex)
                table.hashes.append(hash)
                table.quality.append(Int8(clamping: quality ?? -1))
                table.variant.append(UInt8(clamping: row[3] as Int))
            }
            return table
        }
    }

    /// Every text posting in one pass, for building the inverted shingle index at start-up.
    public func allPostings() throws(StoreError) -> PostingsTable {
        try read("text postings") { db in
            var table = PostingsTable()
            var indexOf: [String: UInt32] = [:]
            var lastID = ""
            var lastIndex: UInt32 = 0
            let cursor = try Row.fetchCursor(db, sql: "SELECT work_id, hash, position FROM text_postings ORDER BY rowid")
            while let row = try cursor.next() {
                let id: String = row[0]
                if id != lastID || table.workIDs.isEmpty {
                    if let i = indexOf[id] {
                        lastIndex = i
                    } else {
                        lastIndex = UInt32(table.workIDs.count)
                        indexOf[id] = lastIndex
                        table.workIDs.append(id)
                    }
                    lastID = id
                }
                table.workIndex.append(lastIndex)
                table.hashes.append(UInt64(bitPattern: row[1] as Int64))
                table.positions.append(row[2])
            }
            return table
        }
    }

    /// Every stored work text (text works' plain text), by work id, in one pass: the index keeps
    /// them in memory so matching never reads the store.
    public func allTexts() throws(StoreError) -> [(workID: String, text: String)] {
        try read("work texts") { db in
            var out: [(workID: String, text: String)] = []
            let cursor = try Row.fetchCursor(db, sql: "SELECT work_id, text FROM work_texts ORDER BY work_id")
            while let row = try cursor.next() { out.append((row[0], row[1])) }
            return out
        }
    }

    /// The current corpus snapshot. The digest is computed over the whole corpus on first use
    /// after a change (one read transaction, so version and digest always agree) and cached.
    public func snapshot() throws(StoreError) -> CorpusSnapshot {
        try read("snapshot") { db in
            let version = try Self.version(db)
            if let cached = digestCache.withLock({ $0 }), cached.version == version {
                return CorpusSnapshot(version: version, digest: cached.digest)
            }
            let digest = try Self.contentDigest(db)
            digestCache.withLock { $0 = (version, digest) }
            return CorpusSnapshot(version: version, digest: digest)
        }
    }

    /// SHA-256 over the works (sorted by id; `added_at` excluded so equal contents give equal
    /// digests), each followed by its sorted fingerprint rows, then the stored texts by work id,
    /// then the algorithm recorded for each work's postings. The postings themselves are derived
    /// from the texts by that algorithm and are not hashed again.
    static func contentDigest(_ db: Database) throws -> String {
        var h = SHA256()
        let works = try Row.fetchCursor(db, sql: """
            SELECT w.id, w.title, w.owner, w.license, w.source, w.media_type, w.sha256,
                   f.algorithm, f.version, f.variant, f.data, f.quality
            FROM works w LEFT JOIN fingerprints f ON f.work_id = w.id
            ORDER BY w.id, f.algorithm, f.version, f.variant, f.data
            """)
        var lastID: String? = nil
        while let row = try works.next() {
            let id: String = row[0]
            if id != lastID {
                h.updateField("W")
                for i in 0..<6 { h.updateField(row[i] as String) }
                h.updateField((row[6] as String?) ?? "-")
                lastID = id
            }
            guard let algorithm = row[7] as String? else { continue }
            h.updateField("F")
            h.updateField(algorithm)
            h.update(row[8] as Int64)
            h.update(row[9] as Int64)
            try row.withUnsafeData(atIndex: 10) { data in
                h.update(Int64(data?.count ?? 0))
                h.update(data ?? Data())
            }
            h.update((row[11] as Int64?) ?? -1)
        }
        let texts = try Row.fetchCursor(db, sql: "SELECT work_id, text FROM work_texts ORDER BY work_id")
        while let row = try texts.next() {
            h.updateField("T")
            h.updateField(row[0] as String)
            let text: String = row[1]
            h.update(Int64(text.utf8.count))
            h.update(text.utf8)
        }
        let algorithms = try Row.fetchCursor(db, sql: """
            SELECT work_id, algorithm, version FROM text_posting_algorithms ORDER BY work_id
            """)
        while let row = try algorithms.next() {
            h.updateField("P")
            h.updateField(row[0] as String)
            h.updateField(row[1] as String)
            h.update(row[2] as Int64)
        }
        return Hex.encode(h.finalize())
    }
}
