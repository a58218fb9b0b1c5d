import Foundation
import HashmarkFingerprint

/// One row of a ThreatExchange-style PDQ hash list: `hash,quality,id,owner`.
public struct HashBankRow: Sendable, Hashable {
    public var hash: Hash256
    public var quality: Int
    public var id: String
    public var owner: String

    public init(hash: Hash256, quality: Int, id: String, owner: String) {
        self.hash = hash
        self.quality = quality
        self.id = id
        self.owner = owner
    }
}

/// The CSV side of hash-bank import/export. A header line `hash,quality,id,owner` is optional on
/// input and always written on output; fields may be double-quoted (RFC 4180).
public enum HashBankCSV {
    public static let header = "hash,quality,id,owner"

    /// Parses every data row; the first malformed row fails the whole parse with its line number.
    public static func parse(_ csv: String) throws(StoreError) -> [HashBankRow] {
        var rows: [HashBankRow] = []
        for (n, line) in csv.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let fields = splitFields(Substring(trimmed))
            if n == 0, fields.first?.lowercased() == "hash" { continue }
            guard fields.count >= 3, let hash = Hash256(hex: fields[0]),
                  let quality = Int(fields[1]), (0...100).contains(quality), !fields[2].isEmpty else {
                throw StoreError(code: "import-bad-row",
                                 message: "line \(n + 1): expected hash (64 hex digits),quality (0-100),id[,owner]")
            }
            rows.append(HashBankRow(hash: hash, quality: quality, id: fields[2],
                                    owner: fields.count > 3 ? fields[3] : ""))
        }
        return rows
    }

    /// Formats rows with the header line; ids and owners are quoted when they need it.
    public static func format(_ rows: [HashBankRow]) -> String {
        var out = header + "\n"
        for r in rows {
            out += "\(r.hash.hex),\(r.quality),\(quote(r.id)),\(quote(r.owner))\n"
        }
        return out
    }

    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Splits one CSV line into fields (RFC 4180 quoting, no embedded newlines); shared by every
    /// CSV Hashmark reads (hash banks, corpus manifests, evaluation cases).
    public static func splitFields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var cur = ""
        var inQuotes = false
        var it = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? it.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = it.next() {
                        if next == "\"" { cur.append("\"") } else { inQuotes = false; pending = next }
                    } else { inQuotes = false }
                } else { cur.append(c) }
            } else if c == "\"" {
                inQuotes = true
            } else if c == "," {
                fields.append(cur.trimmingCharacters(in: .whitespaces))
                cur = ""
            } else { cur.append(c) }
        }
        fields.append(cur.trimmingCharacters(in: .whitespaces))
        return fields
    }
}

extension CorpusStore {
    /// The outcome of an import: new works, and rows already present unchanged.
    public struct ImportResult: Sendable, Hashable {
        public var inserted: Int
        public var unchanged: Int
    }

    /// Registers hash-only image works (no file, so `sha256` is `nil` and the work id is the key)
    /// in ONE transaction and one snapshot bump. Rows sharing an id become one work with several
    /// hashes. Re-importing the same rows changes nothing; an id already used by a different work
    /// fails the whole import with `work-duplicate-id`.
    public func importHashes(_ rows: [HashBankRow], source: String = "hash-import") throws(StoreError) -> ImportResult {
        var order: [String] = []
        var byID: [String: [HashBankRow]] = [:]
        for r in rows {
            if byID[r.id] == nil { order.append(r.id) }
            byID[r.id, default: []].append(r)
        }
        let groups = order.map { ($0, byID[$0] ?? []) }
        let now = Date().timeIntervalSince1970
        return try write("hash import") { db in
            var result = ImportResult(inserted: 0, unchanged: 0)
            for (id, group) in groups {
                var seen = Set<StoredFingerprint>()
                let fps = group.map { StoredFingerprint.pdq($0.hash, quality: $0.quality) }.filter { seen.insert($0).inserted }
                if let existing = try Self.fetchWork(db, sql: "WHERE id = ?", [id]) {
                    guard existing.sha256 == nil, try Set(Self.fetchFingerprints(db, workID: id)) == seen else {
                        throw StoreError(code: "work-duplicate-id",
                                         message: "work id '\(id)' is already registered for different content")
                    }
                    result.unchanged += 1
                    continue
                }
                let work = Work(id: id, title: id, owner: group[0].owner, source: source,
                                mediaType: "image", sha256: nil, addedAt: now)
                try Self.insert(db, work: work, fingerprints: fps, postings: [], postingsAlgorithm: .textShingles, text: nil)
                result.inserted += 1
            }
            if result.inserted > 0 { try Self.bumpVersion(db) }
            return result
        }
    }

    /// Every PDQ hash as hash-bank rows (one per work and variant-0 hash), ordered by work id.
    public func exportHashes() throws(StoreError) -> [HashBankRow] {
        try read("hash export") { db in
            try db.fetchAll("""
                SELECT f.data, f.quality, w.id, w.owner FROM fingerprints f JOIN works w ON w.id = f.work_id
                WHERE f.algorithm = ? AND f.variant = 0 ORDER BY w.id, f.rowid
                """, [StoredFingerprint.pdqAlgorithm]).compactMap { row in
                guard let hash = Hash256(bigEndianBytes: try row.blob(0)) else { return nil }
                return HashBankRow(hash: hash, quality: Int(try row.optionalInt(1) ?? 0), id: try row.text(2), owner: try row.text(3))
            }
        }
    }
}
