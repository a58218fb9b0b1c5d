import GRDB

extension CorpusStore {
    /// Every fingerprint of one algorithm as (work id, data), in insertion order: the start-up
    /// load for per-work fingerprints that are not 256-bit hashes (local-feature sets).
    public func allFingerprints(algorithm: String) throws(StoreError) -> [(workID: String, data: [UInt8])] {
        try read("\(algorithm) fingerprints") { db in
            var out: [(workID: String, data: [UInt8])] = []
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT work_id, data FROM fingerprints WHERE algorithm = ? ORDER BY rowid
                """, arguments: [algorithm])
            while let row = try cursor.next() {
                let bytes = try row.withUnsafeData(atIndex: 1) { $0.map { [UInt8]($0) } ?? [] }
                out.append((row[0], bytes))
            }
            return out
        }
    }
}
