import Foundation
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
            try db.forEachRow("""
                SELECT work_id, data, quality, variant FROM fingerprints WHERE algorithm = ? AND version = ?
                ORDER BY rowid
                """, [FingerprintAlgorithm.pdq.id, FingerprintAlgorithm.pdq.version]) { row in
                guard let hash = Hash256(bigEndianBytes: try row.blob(1)) else { return }
                let id = try row.text(0)
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
                table.hashes.append(hash)
                table.quality.append(Int8(clamping: try row.optionalInt(2) ?? -1))
                table.variant.append(UInt8(clamping: try row.int(3)))
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
            try db.forEachRow("SELECT work_id, hash, position FROM text_postings ORDER BY rowid") { row in
                let id = try row.text(0)
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
                table.hashes.append(UInt64(bitPattern: try row.int(1)))
                table.positions.append(Int32(clamping: try row.int(2)))
            }
            return table
        }
    }

    /// Every stored work text (text works' plain text), by work id, in one pass: the index keeps
    /// them in memory so matching never reads the store.
    public func allTexts() throws(StoreError) -> [(workID: String, text: String)] {
        try read("work texts") { db in
            var out: [(workID: String, text: String)] = []
            try db.forEachRow("SELECT work_id, text FROM work_texts ORDER BY work_id") { out.append((try $0.text(0), try $0.text(1))) }
            return out
        }
    }

    /// The snapshot version alone (one small read): how a daemon notices, within seconds, that a
    /// work was added or removed by another process or host.
    public func snapshotVersion() throws(StoreError) -> Int64 {
        try read("snapshot version") { try Self.version($0) }
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
    static func contentDigest(_ db: any SQLSession) throws -> String {
        var h = SHA256()
        var lastID: String? = nil
        try db.forEachRow("""
            SELECT w.id, w.title, w.owner, w.license, w.source, w.media_type, w.sha256,
                   f.algorithm, f.version, f.variant, f.data, f.quality, w.role
            FROM works w LEFT JOIN fingerprints f ON f.work_id = w.id
            ORDER BY w.id, f.algorithm, f.version, f.variant, f.data
            """) { row in
            let id = try row.text(0)
            if id != lastID {
                h.updateField("W")
                for i in 0..<6 { h.updateField(try row.text(i)) }
                h.updateField(try row.optionalText(6) ?? "-")
                // Only other roles are hashed, so a corpus of works keeps the digest it had before roles.
                let role = try row.text(12)
                if role != WorkRole.work.rawValue { h.updateField("R" + role) }
                lastID = id
            }
            guard let algorithm = try row.optionalText(7) else { return }
            h.updateField("F")
            h.updateField(algorithm)
            h.update(try row.int(8))
            h.update(try row.int(9))
            let data = try row.blob(10)
            h.update(Int64(data.count))
            h.update(data)
            h.update(try row.optionalInt(11) ?? -1)
        }
        try db.forEachRow("SELECT work_id, text FROM work_texts ORDER BY work_id") { row in
            h.updateField("T")
            h.updateField(try row.text(0))
            let text = try row.text(1)
            h.update(Int64(text.utf8.count))
            h.update(text.utf8)
        }
        try db.forEachRow("SELECT work_id, algorithm, version FROM text_posting_algorithms ORDER BY work_id") { row in
            h.updateField("P")
            h.updateField(try row.text(0))
            h.updateField(try row.text(1))
            h.update(try row.int(2))
        }
        return Hex.encode(h.finalize())
    }
}
