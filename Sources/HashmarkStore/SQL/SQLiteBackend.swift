import Foundation
import GRDB

/// SQLite through GRDB: one file in WAL mode, so readers never wait for the writer; a `DatabasePool`
/// (read-write) or one read-only `DatabaseQueue`. Migrations are GRDB's (`Schema.sqliteMigrator`).
final class SQLiteBackend: SQLBackend {
    let dialect = SQLDialect.sqlite
    let path: String
    let pool: any DatabaseWriter

    /// Opens (creating and migrating as needed) the file at `path`. `readOnly`: an existing, fully
    /// migrated file only (what a sandboxed worker uses); one that needs a migration is `db-stale`.
    init(path: String, readOnly: Bool) throws(StoreError) {
        self.path = path
        var config = Configuration()
        config.foreignKeysEnabled = true
        // Several processes share one store (the daemon, `corpus add`, `check`), and opening it
        // briefly takes the write lock: wait for it instead of failing with "database is locked".
        config.busyMode = .timeout(10)
        config.readonly = readOnly
        if !readOnly {
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        }
        do {
            pool = readOnly ? try DatabaseQueue(path: path, configuration: config)
                            : try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreError(code: "db-open", message: "cannot open corpus database at \(path)", underlying: error)
        }
        if readOnly {
            let current: Bool
            do { current = try pool.read { try Schema.sqliteMigrator.hasCompletedMigrations($0) } } catch {
                throw StoreError(code: "db-open", message: "cannot read corpus database at \(path)", underlying: error)
            }
            guard current else {
                throw StoreError(code: "db-stale", message: "the corpus database at \(path) needs a migration (open it once with `hashmark corpus stats`)")
            }
            return
        }
        do {
            try Schema.sqliteMigrator.migrate(pool)
        } catch {
            throw StoreError(code: "db-migrate", message: "cannot migrate corpus database at \(path)", underlying: error)
        }
    }

    func read<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        try withoutActuallyEscaping(body) { body in
            let box = UncheckedBox(body)
            return try pool.read { db in UncheckedBox(try box.value(Session(db: db))) }.value
        }
    }

    func write<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        try withoutActuallyEscaping(body) { body in
            let box = UncheckedBox(body)
            return try pool.write { db in UncheckedBox(try box.value(Session(db: db))) }.value
        }
    }

    func appliedMigrations() throws -> [String] {
        try pool.read { try Schema.sqliteMigrator.appliedMigrations($0) }
    }

    func sizeOnDisk() throws -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Nothing: GRDB closes the connections when the pool is released, readers first, so that
    /// the writer, closing last, checkpoints and removes the WAL (an explicit `close()` closes the
    /// writer first and leaves the WAL behind, GRDB issue 739).
    func close() {}

    /// SQLite's journal mode for this file (`wal` for every read-write store).
    func journalMode() throws -> String {
        try pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") ?? "" }
    }

    struct Session: SQLSession {
        let db: Database

        func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
            try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
            return db.changesCount
        }

        func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws -> Void) throws {
            let cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: Self.arguments(arguments))
            while let row = try cursor.next() {
                var values: [SQLValue] = []
                values.reserveCapacity(row.count)
                for i in 0..<row.count {
                    switch (row[i] as DatabaseValue).storage {
                    case .null: values.append(.null)
                    case .int64(let v): values.append(.int(v))
                    case .double(let v): values.append(.double(v))
                    case .string(let v): values.append(.text(v))
                    case .blob(let v): values.append(.blob([UInt8](v)))
                    }
                }
                try body(SQLRow(values: values))
            }
        }

        static func arguments(_ values: [SQLValue]) -> StatementArguments {
            StatementArguments(values.map { v -> DatabaseValue in
                switch v {
                case .null: return .null
                case .int(let i): return i.databaseValue
                case .double(let d): return d.databaseValue
                case .text(let s): return s.databaseValue
                case .blob(let b): return Data(b).databaseValue
                }
            })
        }
    }
}

/// Carries a non-Sendable value into GRDB's `@Sendable` closures, which run it synchronously on
/// the calling thread's behalf before returning.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
