import Foundation
import HashmarkFingerprint
import Synchronization

/// The corpus: rights-holder works, their fingerprints, text postings and texts, in a SQLite file
/// (the embedded default, WAL mode so readers never wait for the writer) or a PostgreSQL database
/// that daemons on several hosts share. Both back ends run the same queries (`SQLBackend`).
///
/// Safe to share between tasks: every call is one transaction, and writers are serialised.
public final class CorpusStore: Sendable {
    /// The database as given: a SQLite file path or a `postgresql://` URL (with any password:
    /// show `displayName` instead).
    public let path: String
    let backend: any SQLBackend
    /// Digest cache keyed by snapshot version: the digest reads the whole corpus.
    let digestCache = Mutex<(version: Int64, digest: String)?>(nil)

    /// Opens the store at `path` (a SQLite file path, or a `postgresql://` URL: see
    /// `PostgresLocation`), creating and migrating it as needed.
    /// `readOnly`: an existing, fully migrated store only (what a sandboxed `hashmark worker`
    /// uses): nothing is created or written, and a store that needs a migration is `db-stale`.
    public init(path: String, readOnly: Bool = false) throws(StoreError) {
        self.path = path
        if PostgresLocation.isURL(path) {
            backend = try PostgresBackend(location: try PostgresLocation(url: path), readOnly: readOnly)
        } else {
            backend = try SQLiteBackend(path: path, readOnly: readOnly)
        }
    }

    /// A store over an already opened back end (`pinnedView`).
    init(path: String, backend: any SQLBackend) {
        self.path = path
        self.backend = backend
    }

    deinit { backend.close() }

    /// `path` without a password: what messages and `corpus stats` show.
    public var displayName: String { Self.displayName(of: path) }

    /// A database location without its password.
    public static func displayName(of path: String) -> String {
        (try? PostgresLocation(url: path))?.description ?? path
    }

    /// Whether a store may be there to open without creating one: a SQLite file that exists, or
    /// any PostgreSQL URL (the server answers that when it is opened).
    public static func mayExist(at path: String) -> Bool {
        PostgresLocation.isURL(path) || FileManager.default.fileExists(atPath: path)
    }

    /// `sqlite` or `postgresql`.
    public var backendName: String { backend.dialect.rawValue }

    /// Runs `body` in a read transaction, mapping database errors to `StoreError`.
    func read<T>(_ what: String, _ body: (any SQLSession) throws -> T) throws(StoreError) -> T {
        try mappingErrors("cannot read \(what)") { try backend.read(body) }
    }

    /// Runs `body` in a write transaction, mapping database errors to `StoreError`.
    func write<T>(_ what: String, _ body: (any SQLSession) throws -> T) throws(StoreError) -> T {
        try mappingErrors("cannot write \(what)") { try backend.write(body) }
    }

    /// Runs `body` in a write transaction that does not wait for the corpus writers' lock
    /// (`SQLBackend.update`: the work queue's rows), mapping database errors to `StoreError`.
    func update<T>(_ what: String, _ body: (any SQLSession) throws -> T) throws(StoreError) -> T {
        try mappingErrors("cannot write \(what)") { try backend.update(body) }
    }

    /// `StoreError`s pass through; any other database error becomes `db-io` with `message`.
    private func mappingErrors<T>(_ message: @autoclosure () -> String, _ run: () throws -> T) throws(StoreError) -> T {
        do {
            return try run()
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError(code: "db-io", message: message(), underlying: error)
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
            try db.execute("DELETE FROM fingerprints WHERE work_id = ? AND substr(algorithm, 1, CAST(? AS INTEGER)) = ?",
                           [id, family.count, family])
            try Self.insert(db, fingerprints: fingerprints, of: id)
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
            try db.execute("DELETE FROM text_postings WHERE work_id = ?", [id])
            try db.execute("DELETE FROM text_posting_algorithms WHERE work_id = ?", [id])
            try Self.insert(db, postings: postings, of: id, algorithm: algorithm)
            try Self.bumpVersion(db)
            return true
        }
    }

    /// The algorithm and version recorded for a work's text postings; `nil` when it has none
    /// recorded (no postings, or postings from before the store recorded their algorithm).
    public func postingsAlgorithm(of id: String) throws(StoreError) -> (algorithm: String, version: Int)? {
        try read("posting algorithm of \(id)") { db in
            try db.fetchOne("SELECT algorithm, version FROM text_posting_algorithms WHERE work_id = ?", [id])
                .map { (try $0.text(0), Int(try $0.int(1))) }
        }
    }

    /// Every fingerprint and text posting the current algorithms did not make (`FingerprintAlgorithm`),
    /// grouped by algorithm and version: what makes a corpus stale.
    public func staleContent() throws(StoreError) -> StaleContent {
        try read("fingerprint algorithms") { db in
            var entries: [StaleContent.Entry] = []
            for row in try db.fetchAll("""
                SELECT algorithm, version, COUNT(DISTINCT work_id) FROM fingerprints
                GROUP BY algorithm, version ORDER BY algorithm, version
                """) {
                let algorithm = try row.text(0), version = Int(try row.int(1))
                if !FingerprintAlgorithm.isCurrentFingerprint(id: algorithm, version: version) {
                    entries.append(.init(algorithm: algorithm, version: version, works: Int(try row.int(2)), isTextPostings: false))
                }
            }
            // Works with postings, by the algorithm recorded for them (NULL: none recorded).
            for row in try db.fetchAll("""
                SELECT a.algorithm, a.version, COUNT(*)
                FROM (SELECT DISTINCT work_id FROM text_postings) p
                LEFT JOIN text_posting_algorithms a ON a.work_id = p.work_id
                GROUP BY a.algorithm, a.version ORDER BY a.algorithm NULLS FIRST, a.version NULLS FIRST
                """) {
                let algorithm = try row.optionalText(0), version = try row.optionalInt(1).map { Int($0) }
                if let algorithm, let version, FingerprintAlgorithm.isCurrentPostings(id: algorithm, version: version) { continue }
                entries.append(.init(algorithm: algorithm, version: version, works: Int(try row.int(2)), isTextPostings: true))
            }
            return StaleContent(entries: entries)
        }
    }

    /// Removes a work and (by cascade) its fingerprints, postings and text. `false` if absent.
    @discardableResult
    public func remove(id: String) throws(StoreError) -> Bool {
        try write("removal of \(id)") { db in
            guard try db.execute("DELETE FROM works WHERE id = ?", [id]) > 0 else { return false }
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
            try db.fetchOne("SELECT text FROM work_texts WHERE work_id = ?", [id]).map { try $0.text(0) }
        }
    }

    /// The text postings of one work, by position.
    public func postings(of id: String) throws(StoreError) -> [TextShingle] {
        try read("postings of \(id)") { db in
            try db.fetchAll("SELECT hash, position FROM text_postings WHERE work_id = ? ORDER BY position, hash", [id]).map {
                TextShingle(hash: UInt64(bitPattern: try $0.int(0)), position: UInt32(clamping: try $0.int(1)))
            }
        }
    }

    /// Works per media type, ignore-elements, fingerprints per algorithm, postings, snapshot
    /// version and file size.
    public func stats() throws(StoreError) -> StoreStats {
        // Informational only (matching never reads it): a size that cannot be read shows as 0.
        let fileBytes = (try? backend.sizeOnDisk()) ?? 0
        return try read("stats") { db in
            var byType: [String: Int] = [:]
            for row in try db.fetchAll("SELECT media_type, COUNT(*) FROM works WHERE role = 'work' GROUP BY media_type") {
                byType[try row.text(0)] = Int(try row.int(1))
            }
            let elements = Int(try db.fetchOne("SELECT COUNT(*) FROM works WHERE role <> 'work'")?.int(0) ?? 0)
            var byAlgorithm: [String: Int] = [:]
            for row in try db.fetchAll("SELECT algorithm, COUNT(*) FROM fingerprints GROUP BY algorithm") {
                byAlgorithm[try row.text(0)] = Int(try row.int(1))
            }
            return StoreStats(works: byType.values.reduce(0, +), worksByMediaType: byType,
                              fingerprintsByAlgorithm: byAlgorithm,
                              textPostings: Int(try db.fetchOne("SELECT COUNT(*) FROM text_postings")?.int(0) ?? 0),
                              snapshotVersion: try Self.version(db), fileBytes: fileBytes, ignoreElements: elements)
        }
    }

    /// SQLite's journal mode for this file (`wal` for every read-write store); `""` on PostgreSQL.
    public func journalMode() throws(StoreError) -> String {
        guard let sqlite = backend as? SQLiteBackend else { return "" }
        do { return try sqlite.journalMode() } catch {
            throw StoreError(code: "db-io", message: "cannot read the journal mode", underlying: error)
        }
    }

    /// Identifiers of the schema migrations applied to this database, in order.
    public func appliedMigrations() throws(StoreError) -> [String] {
        do { return try backend.appliedMigrations() } catch let e as StoreError { throw e } catch {
            throw StoreError(code: "db-io", message: "cannot read the migrations", underlying: error)
        }
    }
}
