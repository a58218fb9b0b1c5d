import GRDB

extension CorpusStore {
    /// Every fingerprint of one algorithm as (work id, data, variant), in insertion order: the
    /// start-up load for per-work fingerprints that are not 256-bit hashes (local-feature sets,
    /// descriptors, landmarks). A transparent work has more rows (`WorkVariant.backgrounds`).
    public func allFingerprints(algorithm: String) throws(StoreError) -> [(workID: String, data: [UInt8], variant: Int)] {
        try read("\(algorithm) fingerprints") { db in
            var out: [(workID: String, data: [UInt8], variant: Int)] = []
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT work_id, data, variant FROM fingerprints WHERE algorithm = ? ORDER BY rowid
                """, arguments: [algorithm])
            while let row = try cursor.next() {
                let bytes = try row.withUnsafeData(atIndex: 1) { $0.map { [UInt8]($0) } ?? [] }
                out.append((row[0], bytes, row[2]))
            }
            return out
        }
    }

    /// The distinct fingerprint algorithm ids stored that start with `family` (e.g. the image
    /// descriptors of every model that registered works).
    public func fingerprintAlgorithms(family: String) throws(StoreError) -> [String] {
        try read("\(family) algorithms") { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT algorithm FROM fingerprints WHERE substr(algorithm, 1, ?) = ? ORDER BY algorithm",
                                arguments: [family.count, family])
        }
    }
}
