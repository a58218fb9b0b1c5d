
extension CorpusStore {
    /// Every fingerprint of one algorithm as (work id, data, variant), in insertion order: the
    /// start-up load for per-work fingerprints that are not 256-bit hashes (local-feature sets,
    /// descriptors, landmarks). A transparent work has more rows (`WorkVariant.backgrounds`).
    public func allFingerprints(algorithm: String) throws(StoreError) -> [(workID: String, data: [UInt8], variant: Int)] {
        try read("\(algorithm) fingerprints") { db in
            var out: [(workID: String, data: [UInt8], variant: Int)] = []
            try db.forEachRow("SELECT work_id, data, variant FROM fingerprints WHERE algorithm = ? ORDER BY rowid", [algorithm]) { row in
                out.append((try row.text(0), try row.blob(1), Int(try row.int(2))))
            }
            return out
        }
    }

    /// The distinct fingerprint algorithm ids stored that start with `family` (e.g. the image
    /// descriptors of every model that registered works).
    public func fingerprintAlgorithms(family: String) throws(StoreError) -> [String] {
        try read("\(family) algorithms") { db in
            try db.fetchAll("SELECT DISTINCT algorithm FROM fingerprints WHERE substr(algorithm, 1, CAST(? AS INTEGER)) = ? ORDER BY algorithm",
                            [family.count, family]).map { try $0.text(0) }
        }
    }
}
