/// One SQL interface over the two real back ends: SQLite through GRDB (`SQLiteBackend`, the
/// embedded default) and PostgreSQL through postgres-nio (`PostgresBackend`, several hosts on one
/// database). The store's queries are written once, with `?` placeholders and the SQL both
/// dialects share; only the schema's column types differ (`Schema`).

/// A value bound to a statement or read from a row.
enum SQLValue: Sendable, Hashable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
}

/// What `SQLValue`s are made from at call sites: `[id, 3, bytes]`.
protocol SQLBindable { var sqlValue: SQLValue { get } }
extension Int: SQLBindable { var sqlValue: SQLValue { .int(Int64(self)) } }
extension Int64: SQLBindable { var sqlValue: SQLValue { .int(self) } }
extension Double: SQLBindable { var sqlValue: SQLValue { .double(self) } }
extension String: SQLBindable { var sqlValue: SQLValue { .text(self) } }
extension Array: SQLBindable where Element == UInt8 { var sqlValue: SQLValue { .blob(self) } }
extension Optional: SQLBindable where Wrapped: SQLBindable { var sqlValue: SQLValue { self?.sqlValue ?? .null } }

/// One result row; accessors fail with `db-io` on a type the schema does not allow.
struct SQLRow: Sendable {
    var values: [SQLValue]

    func int(_ i: Int) throws -> Int64 {
        switch values[i] {
        case .int(let v): return v
        case .double(let d) where d == d.rounded(): return Int64(d)
        default: throw Self.mismatch(i, "an integer", values[i])
        }
    }
    func optionalInt(_ i: Int) throws -> Int64? { values[i] == .null ? nil : try int(i) }
    func double(_ i: Int) throws -> Double {
        switch values[i] {
        case .double(let v): return v
        case .int(let v): return Double(v)
        default: throw Self.mismatch(i, "a number", values[i])
        }
    }
    func text(_ i: Int) throws -> String {
        guard case .text(let s) = values[i] else { throw Self.mismatch(i, "text", values[i]) }
        return s
    }
    func optionalText(_ i: Int) throws -> String? { values[i] == .null ? nil : try text(i) }
    func blob(_ i: Int) throws -> [UInt8] {
        switch values[i] {
        case .blob(let b): return b
        case .null: return []
        default: throw Self.mismatch(i, "bytes", values[i])
        }
    }

    static func mismatch(_ i: Int, _ expected: String, _ got: SQLValue) -> StoreError {
        StoreError(code: "db-io", message: "column \(i): expected \(expected), found \(got)")
    }
}

/// One connection inside a transaction of a back end.
protocol SQLSession {
    /// Runs a statement; returns the number of rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int
    /// Runs a query and hands each row to `body`, in order.
    func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws -> Void) throws
}

extension SQLSession {
    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> Int {
        try execute(sql, arguments.map(\.sqlValue))
    }
    func forEachRow(_ sql: String, _ arguments: [any SQLBindable] = [], _ body: (SQLRow) throws -> Void) throws {
        try forEachRow(sql, arguments.map(\.sqlValue), body)
    }
    func fetchAll(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> [SQLRow] {
        var rows: [SQLRow] = []
        try forEachRow(sql, arguments) { rows.append($0) }
        return rows
    }
    func fetchOne(_ sql: String, _ arguments: [any SQLBindable] = []) throws -> SQLRow? {
        try fetchAll(sql, arguments).first
    }
}

extension SQLBackend {
    func update<T>(_ body: (any SQLSession) throws -> T) throws -> T { try write(body) }
}

/// Which SQL a back end speaks, where the two differ.
enum SQLDialect: String, Sendable {
    case sqlite, postgresql
}

/// A database the store runs transactions on. Thread-safe.
protocol SQLBackend: Sendable {
    var dialect: SQLDialect { get }
    /// Runs `body` in a read transaction that sees one consistent state.
    func read<T>(_ body: (any SQLSession) throws -> T) throws -> T
    /// Runs `body` in a write transaction; writers are serialised (one at a time per database,
    /// across processes and hosts), and a throw rolls back.
    func write<T>(_ body: (any SQLSession) throws -> T) throws -> T
    /// Runs `body` in a write transaction that does not wait for the corpus writers' lock: for
    /// rows that concurrent writers share out among themselves with row locks (the work queue's
    /// `FOR UPDATE SKIP LOCKED`). On SQLite, the same as `write`.
    func update<T>(_ body: (any SQLSession) throws -> T) throws -> T
    /// The identifiers of the schema migrations applied, in order.
    func appliedMigrations() throws -> [String]
    /// Bytes the database takes on disk (the SQLite file; PostgreSQL's `pg_database_size`).
    func sizeOnDisk() throws -> Int64
    /// Closes connections; later calls fail.
    func close()
}
