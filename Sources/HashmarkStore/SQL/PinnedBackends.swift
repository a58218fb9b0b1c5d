import Foundation
import GRDB

/// Read-only back ends whose every read runs in ONE transaction opened when they are made: what a
/// `CorpusStore.pinnedView()` reads through, so that an index loaded with several bulk reads holds
/// exactly one snapshot even while other processes or hosts keep writing.

/// SQLite: a GRDB `DatabaseSnapshot` (its own read-only connection holding one WAL snapshot
/// until it is released).
final class SQLitePinnedBackend: SQLBackend, @unchecked Sendable {
    let dialect = SQLDialect.sqlite
    let path: String
    private let pool: DatabasePool
    private var snapshot: DatabaseSnapshot?

    init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: config)
        snapshot = try pool.makeSnapshot()
    }

    func read<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        guard let snapshot else { throw StoreError(code: "db-io", message: "the pinned view of \(path) was closed") }
        return try withoutActuallyEscaping(body) { body in
            let box = UncheckedBox(body)
            return try snapshot.read { db in UncheckedBox(try box.value(SQLiteBackend.Session(db: db))) }.value
        }
    }

    func write<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        throw StoreError(code: "db-io", message: "a pinned view of \(path) is read-only")
    }

    func appliedMigrations() throws -> [String] { try pool.read { try Schema.sqliteMigrator.appliedMigrations($0) } }
    func sizeOnDisk() throws -> Int64 { 0 }

    /// Releases the snapshot; the pool's connections close when it is released (see
    /// `SQLiteBackend.close`).
    func close() {
        try? snapshot?.close()
        snapshot = nil
    }
}

extension CorpusStore {
    /// A read-only view of this store in which every read sees the same snapshot (one
    /// transaction, held until the view is released): for loading an index with several bulk
    /// reads while other processes or hosts keep writing. Writes through it throw.
    public func pinnedView() throws(StoreError) -> CorpusStore {
        do {
            switch backend {
            case let sqlite as SQLiteBackend:
                return CorpusStore(path: path, backend: try SQLitePinnedBackend(path: sqlite.path))
            case let pg as PostgresBackend:
                return CorpusStore(path: path, backend: try PostgresBackend(pinnedTo: pg.location))
            default:
                return self
            }
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError(code: "db-open", message: "cannot open a consistent view of \(displayName)", underlying: error)
        }
    }
}
