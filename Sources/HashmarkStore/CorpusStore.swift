import Foundation
import GRDB
import HashmarkFingerprint
import Synchronization

/// The corpus: rights-holder works, their fingerprints, text postings and texts in one SQLite
/// file (WAL mode, so readers never wait for the writer).
///
/// Safe to share between tasks: GRDB's pool serialises writes and runs reads concurrently.
public final class CorpusStore: Sendable {
    /// The database file.
    public let path: String
    /// A `DatabasePool` (read-write), or a read-only `DatabaseQueue` (`readOnly`).
    let pool: any DatabaseWriter
    /// Digest cache keyed by snapshot version: the digest reads the whole corpus.
    let digestCache = Mutex<(version: Int64, digest: String)?>(nil)

    /// Opens the store at `path`, creating the file and running pending migrations as needed.
    /// `readOnly`: one read-only connection to an existing, fully migrated store (what a
    /// sandboxed `hashmark worker` uses): nothing is created or written, and a store that needs
    /// a migration is `db.stale`.
    public init(path: String, readOnly: Bool = false) throws(StoreError) {
        self.path = path
        var config = Configuration()
        config.foreignKeysEnabled = true
        // Several processes share one store (the daemon, `corpus add`, `check`), and opening it
        // briefly takes the write lock: wait for it instead of failing with "database is locked".
        config.busyMode = .timeout(10)
        config.readonly = readOnly
        if !readOnly {
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        do {
            pool = readOnly ? try DatabaseQueue(path: path, configuration: config)
                            : try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreError(code: "db-open", message: "cannot open corpus database at \(path)", underlying: error)
        }
        if readOnly {
            let current: Bool
            do { current = try pool.read { try Schema.migrator.hasCompletedMigrations($0) } } catch {
                throw StoreError(code: "db-open", message: "cannot read corpus database at \(path)", underlying: error)
            }
            guard current else {
                throw StoreError(code: "db-stale", message: "the corpus database at \(path) needs a migration (open it once with `hashmark corpus stats`)")
            }
            return
        }
        do {
            try Schema.migrator.migrate(pool)
        } catch {
            throw StoreError(code: "db-migrate", message: "cannot migrate corpus database at \(path)", underlying: error)
        }
    }

    /// Runs `body` in a read transaction, mapping database errors to `StoreError`.
    func read<T: Sendable>(_ what: String, _ body: @Sendable (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError(code: "db-io", message: "cannot read \(what)", underlying: error)
        }
    }

    /// Runs `body` in a write transaction, mapping database errors to `StoreError`.
    func write<T: Sendable>(_ what: String, _ body: @Sendable (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.write(body)
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError(code: "db-io", message: "cannot write \(what)", underlying: error)
        }
    }

    /// The outcome of `add`: the stored work and whether this call inserted it.
    public struct AddResult: Sendable, Hashable {
        public var work: Work
        /// `false` when the same file (same SHA-256) or the same hash-only work was already there.
        public var inserted: Bool

        public init(work: Work, inserted: Bool) {
            self.work = work
            self.inserted = inserted
        }
    }

    /// Registers a work with its fingerprints, text postings and (for text works) its plain text.
    /// `postingsAlgorithm` records what made `postings` (see `FingerprintAlgorithm`).
    ///
    /// Idempotent: a file whose `sha256` is already stored returns the existing work unchanged, as
    /// does a hash-only work (`sha256 == nil`) whose id and fingerprints are already stored. A
    /// different work under an existing id is `work-duplicate-id`.
    public func add(work: Work, fingerprints: [StoredFingerprint], postings: [TextShingle] = [],
                    postingsAlgorithm: FingerprintAlgorithm = .textShingles,
                    text: String? = nil) throws(StoreError) -> AddResult {
        guard !work.id.isEmpty else { throw StoreError(code: "work-invalid", message: "a work needs a non-empty id") }
        let now = Date().timeIntervalSince1970
        return try write("work \(work.id)") { db in
            if let sha = work.sha256, let existing = try Self.fetchWork(db, sql: "WHERE sha256 = ?", [sha]) {
                return AddResult(work: existing, inserted: false)
            }
            if let existing = try Self.fetchWork(db, sql: "WHERE id = ?", [work.id]) {
                if work.sha256 == nil, existing.sha256 == nil,
                   try Set(Self.fetchFingerprints(db, workID: work.id)) == Set(fingerprints) {
                    return AddResult(work: existing, inserted: false)
                }
                throw StoreError(code: "work-duplicate-id",
                                 message: "work id '\(work.id)' is already registered for different content")
            }
            var stored = work
            stored.addedAt = now
            try Self.insert(db, work: stored, fingerprints: fingerprints, postings: postings,
                            postingsAlgorithm: postingsAlgorithm, text: text)
            try Self.bumpVersion(db)
            return AddResult(work: stored, inserted: true)
        }
    }

    /// Replaces a work's fingerprints of one family (algorithm ids starting with `family`, e.g.
    /// `hashmark-orb-`) with `fingerprints`: how a store written by an older extractor is brought
    /// to the current one without re-registering the work. `false` if the work is absent.
    @discardableResult
    public func replaceFingerprints(of id: String, family: String, with fingerprints: [StoredFingerprint]) throws(StoreError) -> Bool {
        try write("fingerprints of \(id)") { db in
            guard try Self.fetchWork(db, sql: "WHERE id = ?", [id]) != nil else { return false }
            try db.execute(sql: "DELETE FROM fingerprints WHERE work_id = ? AND substr(algorithm, 1, ?) = ?",
                           arguments: [id, family.count, family])
            let st = try db.cachedStatement(sql: """
                INSERT INTO fingerprints (work_id, algorithm, version, variant, data, quality)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
            for f in fingerprints {
                try st.execute(arguments: [id, f.algorithm, f.version, f.variant, Data(f.data), f.quality])
            }
            try Self.bumpVersion(db)
            return true
        }
    }

    /// Replaces a work's text postings with `postings` made by `algorithm`: how a text work
    /// indexed by an older shingler is brought to the current one. `false` if the work is absent.
    @discardableResult
    public func replacePostings(of id: String, algorithm: FingerprintAlgorithm,
                                with postings: [TextShingle]) throws(StoreError) -> Bool {
        try write("postings of \(id)") { db in
            guard try Self.fetchWork(db, sql: "WHERE id = ?", [id]) != nil else { return false }
            try db.execute(sql: "DELETE FROM text_postings WHERE work_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM text_posting_algorithms WHERE work_id = ?", arguments: [id])
            try Self.insert(db, postings: postings, of: id, algorithm: algorithm)
            try Self.bumpVersion(db)
            return true
        }
    }

    /// The algorithm and version recorded for a work's text postings; `nil` when it has none
    /// recorded (no postings, or postings from before the store recorded their algorithm).
    public func postingsAlgorithm(of id: String) throws(StoreError) -> (algorithm: String, version: Int)? {
        try read("posting algorithm of \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT algorithm, version FROM text_posting_algorithms WHERE work_id = ?",
                             arguments: [id]).map { ($0[0], $0[1]) }
        }
    }

    /// Every fingerprint and text posting the current algorithms did not make (`FingerprintAlgorithm`),
    /// grouped by algorithm and version: what makes a corpus stale.
    public func staleContent() throws(StoreError) -> StaleContent {
        try read("fingerprint algorithms") { db in
            var entries: [StaleContent.Entry] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT algorithm, version, COUNT(DISTINCT work_id) FROM fingerprints
                GROUP BY algorithm, version ORDER BY algorithm, version
                """) {
                let algorithm: String = row[0], version: Int = row[1]
                if !FingerprintAlgorithm.isCurrentFingerprint(id: algorithm, version: version) {
                    entries.append(.init(algorithm: algorithm, version: version, works: row[2], isTextPostings: false))
                }
            }
            // Works with postings, by the algorithm recorded for them (NULL: none recorded).
            for row in try Row.fetchAll(db, sql: """
                SELECT a.algorithm, a.version, COUNT(*)
                FROM (SELECT DISTINCT work_id FROM text_postings) p
                LEFT JOIN text_posting_algorithms a ON a.work_id = p.work_id
                GROUP BY a.algorithm, a.version ORDER BY a.algorithm, a.version
                """) {
                let algorithm: String? = row[0], version: Int? = row[1]
                if let algorithm, let version, FingerprintAlgorithm.isCurrentPostings(id: algorithm, version: version) { continue }
                entries.append(.init(algorithm: algorithm, version: version, works: row[2], isTextPostings: true))
            }
            return StaleContent(entries: entries)
        }
    }

    /// Removes a work and (by cascade) its fingerprints, postings and text. `false` if absent.
    @discardableResult
    public func remove(id: String) throws(StoreError) -> Bool {
        try write("removal of \(id)") { db in
            try db.execute(sql: "DELETE FROM works WHERE id = ?", arguments: [id])
            guard db.changesCount > 0 else { return false }
            try Self.bumpVersion(db)
            return true
        }
    }

    /// All works, ordered by id.
    public func list() throws(StoreError) -> [Work] {
        try read("works") { db in try Self.fetchWorks(db, sql: "ORDER BY id", []) }
    }

    /// One work by id.
    public func work(id: String) throws(StoreError) -> Work? {
        try read("work \(id)") { db in try Self.fetchWork(db, sql: "WHERE id = ?", [id]) }
    }

    /// One work by the SHA-256 of its file: lets a caller skip fingerprinting a known file.
    public func work(sha256: String) throws(StoreError) -> Work? {
        try read("work \(sha256)") { db in try Self.fetchWork(db, sql: "WHERE sha256 = ?", [sha256]) }
    }

    /// A work's fingerprints, ordered by algorithm, version, variant.
    public func fingerprints(of id: String) throws(StoreError) -> [StoredFingerprint] {
        try read("fingerprints of \(id)") { db in try Self.fetchFingerprints(db, workID: id) }
    }

    /// The plain text stored for a text work (the alignment step quotes spans from it).
    public func text(of id: String) throws(StoreError) -> String? {
        try read("text of \(id)") { db in
            try String.fetchOne(db, sql: "SELECT text FROM work_texts WHERE work_id = ?", arguments: [id])
        }
    }

    /// The text postings of one work, by position.
    public func postings(of id: String) throws(StoreError) -> [TextShingle] {
        try read("postings of \(id)") { db in
            try Row.fetchAll(db, sql: "SELECT hash, position FROM text_postings WHERE work_id = ? ORDER BY position, hash",
                             arguments: [id]).map {
                TextShingle(hash: UInt64(bitPattern: $0[0] as Int64), position: UInt32(clamping: $0[1] as Int64))
            }
        }
    }

    /// Counts per media type and algorithm, postings, snapshot version and file size.
    public func stats() throws(StoreError) -> StoreStats {
        // Informational only (matching never reads it): a file size that cannot be read shows as 0.
        let fileBytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
        return try read("stats") { db in
            var byType: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT media_type, COUNT(*) FROM works GROUP BY media_type") {
                byType[row[0]] = row[1]
            }
            var byAlgorithm: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT algorithm, COUNT(*) FROM fingerprints GROUP BY algorithm") {
                byAlgorithm[row[0]] = row[1]
            }
            return StoreStats(works: byType.values.reduce(0, +), worksByMediaType: byType,
                              fingerprintsByAlgorithm: byAlgorithm,
                              textPostings: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM text_postings") ?? 0,
                              snapshotVersion: try Self.version(db), fileBytes: fileBytes)
        }
    }

    /// SQLite's journal mode for this file (`wal` for every store).
    public func journalMode() throws(StoreError) -> String {
        try read("journal mode") { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// Identifiers of the schema migrations applied to this file, in order.
    public func appliedMigrations() throws(StoreError) -> [String] {
        try read("migrations") { db in try Schema.migrator.appliedMigrations(db) }
    }
}
