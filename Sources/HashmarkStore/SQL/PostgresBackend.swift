import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// PostgreSQL through postgres-nio: the multi-host store. One connection per store, used by one
/// caller at a time (the store's calls block, as GRDB's do); a broken connection is replaced on the
/// next call. Writers on every host are serialised by a row lock on the snapshot counter, taken
/// first in each write transaction; readers see one consistent state (REPEATABLE READ).
final class PostgresBackend: SQLBackend, @unchecked Sendable {
    let dialect = SQLDialect.postgresql
    let location: PostgresLocation
    let readOnly: Bool
    private let lock = NSLock()
    /// Guarded by `lock`.
    private var connection: PostgresConnection?
    private var closed = false
    private static let logger = Logger(label: "hashmark.postgres") { _ in SwiftLogNoOpLogHandler() }

    /// Connects, and (unless `readOnly`) applies pending migrations under an advisory lock, so
    /// daemons starting together on several hosts migrate once. `readOnly` checks that every
    /// migration is applied (`db-stale` otherwise) and never writes.
    init(location: PostgresLocation, readOnly: Bool) throws(StoreError) {
        self.location = location
        self.readOnly = readOnly
        do {
            if readOnly {
                let applied = Set(try appliedMigrations())
                guard Schema.postgresMigrations.allSatisfy({ applied.contains($0.id) }) else {
                    throw StoreError(code: "db-stale", message: "the corpus database \(location) needs a migration (open it once with `hashmark corpus stats`)")
                }
            } else {
                try migrate()
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(code: "db-open", message: "cannot open corpus database \(location): \(Self.describe(error))", underlying: Self.underlying(error))
        }
    }

    /// A pinned view (`CorpusStore.pinnedView`): its own connection with one REPEATABLE READ
    /// transaction, begun here and ended by `close()`; every read runs inside it.
    init(pinnedTo location: PostgresLocation) throws {
        self.location = location
        self.readOnly = true
        lock.lock()
        defer { lock.unlock() }
        let session = Session(connection: try connected(), location: location)
        try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try session.execute("SELECT value FROM meta WHERE key = 'snapshot_version'")  // takes the snapshot
        pinned = session
    }

    /// The open transaction of a pinned view. Guarded by `lock`.
    private var pinned: Session?

    func read<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        lock.lock()
        let pinned = self.pinned
        lock.unlock()
        guard let pinned else { return try transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body) }
        lock.lock()
        defer { lock.unlock() }
        do { return try body(pinned) } catch let e as StoreError { throw e } catch {
            throw StoreError(code: "db-io", message: "PostgreSQL \(location): \(Self.describe(error))", underlying: Self.underlying(error))
        }
    }

    func write<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        guard !readOnly else { throw StoreError(code: "db-io", message: "the store \(location) was opened read-only") }
        return try transaction("BEGIN") { session in
            try session.execute("SELECT value FROM meta WHERE key = 'snapshot_version' FOR UPDATE")
            return try body(session)
        }
    }

    func update<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        guard !readOnly else { throw StoreError(code: "db-io", message: "the store \(location) was opened read-only") }
        return try transaction("BEGIN", body)
    }

    func appliedMigrations() throws -> [String] {
        try transaction("BEGIN READ ONLY") { s in
            guard try s.fetchOne("SELECT to_regclass('hashmark_migrations') IS NOT NULL")?.values.first == .int(1) else { return [] }
            return try s.fetchAll("SELECT identifier FROM hashmark_migrations ORDER BY applied_order").map { try $0.text(0) }
        }
    }

    func sizeOnDisk() throws -> Int64 {
        try read { try $0.fetchOne("SELECT pg_database_size(current_database())")?.int(0) ?? 0 }
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        closed = true
        pinned = nil
        if let connection { _ = try? Self.bounded(connection.close(), closing: nil, location: location) }
        connection = nil
    }

    /// Applies the pending migrations in one transaction under a cluster-wide advisory lock.
    private func migrate() throws {
        try transaction("BEGIN") { s in
            try s.execute("SELECT pg_advisory_xact_lock(7235431001)")
            try s.execute("""
                CREATE TABLE IF NOT EXISTS hashmark_migrations (
                    identifier TEXT PRIMARY KEY NOT NULL, applied_order BIGSERIAL NOT NULL)
                """)
            let applied = Set(try s.fetchAll("SELECT identifier FROM hashmark_migrations").map { try $0.text(0) })
            for migration in Schema.postgresMigrations where !applied.contains(migration.id) {
                for statement in migration.statements { try s.execute(statement) }
                try s.execute("INSERT INTO hashmark_migrations (identifier) VALUES (?)", [migration.id])
            }
        }
    }

    /// Runs `body` between `begin` and COMMIT on the connection (ROLLBACK when it throws). When
    /// the connection turns out to be broken (a server restart, a dropped network) before COMMIT
    /// was sent, nothing was written: the transaction runs once more on a fresh connection.
    private func transaction<T>(_ begin: String, _ body: (any SQLSession) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        var attempt = 0
        while true {
            attempt += 1
            let session = Session(connection: try connected(), location: location)
            var committing = false
            do {
                try session.execute(begin)
                let result = try body(session)
                committing = true
                try session.execute("COMMIT")
                return result
            } catch {
                let timedOut = (error as? StoreError)?.code == "db-timeout"  // `bounded` closed the connection
                let broken = timedOut || session.connection.isClosed || Self.isConnectionLoss(error)
                if broken {
                    connection = nil
                    if !committing && attempt == 1 { continue }
                } else {
                    _ = try? session.execute("ROLLBACK")
                }
                if let e = error as? StoreError { throw e }
                throw StoreError(code: "db-io", message: "PostgreSQL \(location): \(Self.describe(error))", underlying: Self.underlying(error))
            }
        }
    }

    /// The open connection, connecting first when there is none or it broke. Holds `lock`.
    private func connected() throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        guard !closed else { throw StoreError(code: "db-io", message: "the store for \(location) was closed") }
        let config: PostgresConnection.Configuration
        if let socket = location.unixSocketPath {
            config = .init(unixSocketPath: socket, username: location.user, password: location.password, database: location.database)
        } else {
            config = .init(host: location.host, port: location.port, username: location.user,
                           password: location.password, database: location.database, tls: try tls())
        }
        do {
            let fresh = try Self.bounded(PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(),
                                                                    configuration: config, id: 1, logger: Self.logger),
                                         closing: nil, location: location, late: { let _: EventLoopFuture<Void> = $0.close() })
            connection = fresh
            return fresh
        } catch {
            throw StoreError(code: "db-open", message: "cannot connect to \(location): \(Self.describe(error))", underlying: Self.underlying(error))
        }
    }

    /// A lost connection rather than a failed statement: closed sockets, and the server's
    /// shutdown and connection-exception classes (SQLSTATE 57P01–57P03, 08xxx).
    static func isConnectionLoss(_ error: any Error) -> Bool {
        guard let e = error as? PSQLError else { return false }
        if [.serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .connectionError].contains(e.code) { return true }
        let state = e.serverInfo?[.sqlState] ?? ""
        return state.hasPrefix("57P0") || state.hasPrefix("08")
    }

    /// TLS as `sslmode` asks (see `PostgresLocation.SSLMode`).
    private func tls() throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch location.sslMode {
        case .disable: return .disable
        case .allow, .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let root = location.sslRootCert { tls.trustRoots = .file(root) }
        let context: NIOSSLContext
        do { context = try NIOSSLContext(configuration: tls) } catch {
            throw StoreError(code: "db-open", message: "cannot set up TLS for \(location): \(error)")
        }
        return [.allow, .prefer].contains(location.sslMode) ? .prefer(context) : .require(context)
    }

    /// The server's message and SQLSTATE when there is one, else the error itself.
    /// (PSQLError's own description hides both, to keep secrets out of logs; neither holds one.)
    static func describe(_ error: any Error) -> String {
        guard let e = error as? PSQLError else { return "\(error)" }
        if let info = e.serverInfo, let message = info[.message] {
            return "\(message) (SQLSTATE \(info[.sqlState] ?? "?"))"
        }
        return e.underlying.map { "\(e.code): \($0)" } ?? "\(e.code)"
    }

    /// What a `StoreError` keeps of an error: `describe` already says what a PSQLError can.
    static func underlying(_ error: any Error) -> (any Error)? { error is PSQLError ? nil : error }

    /// `future`'s value, waited for at most `location.queryTimeout`. Past that `connection` is
    /// closed (what it was doing cannot finish; `connected()` replaces a closed connection, and
    /// `transaction` retries on the fresh one when nothing was committed) and `db-timeout` thrown.
    /// No wait in this backend is unbounded: postgres-nio was seen to leave a statement on a
    /// connection the server had just terminated unanswered for good. A value that comes after
    /// the deadline goes to `late` (a connection opened too late is closed there).
    static func bounded<T: Sendable>(_ future: EventLoopFuture<T>, closing connection: PostgresConnection?,
                                     location: PostgresLocation, late: (@Sendable (T) -> Void)? = nil) throws -> T {
        let seconds = location.queryTimeout
        return try BoundedWait.wait(future, seconds: seconds, timedOut: {
            StoreError(code: "db-timeout", message: "PostgreSQL \(location): no answer within \(seconds) s; the connection was closed")
        }, onTimeout: { let _: EventLoopFuture<Void>? = connection?.close() }, late: late)
    }

    struct Session: SQLSession {
        let connection: PostgresConnection
        let location: PostgresLocation

        func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
            let result = try PostgresBackend.bounded(connection.query(try Self.query(sql, arguments), logger: PostgresBackend.logger),
                                                     closing: connection, location: location)
            return result.metadata.rows ?? 0
        }

        /// Rows are converted as they arrive, on the connection's event loop (collecting
        /// postgres-nio's own rows first cost ~4 µs a row in reference counting: 13 s for a
        /// million-work digest instead of ~3).
        func forEachRow(_ sql: String, _ arguments: [SQLValue], _ body: (SQLRow) throws -> Void) throws {
            let rows = RowBuffer()
            _ = try PostgresBackend.bounded(connection.query(try Self.query(sql, arguments), logger: PostgresBackend.logger) { row in
                var values: [SQLValue] = []
                values.reserveCapacity(row.count)
                for cell in row { values.append(try Self.value(cell)) }
                rows.append(SQLRow(values: values))
            }, closing: connection, location: location)
            for row in rows.taken() { try body(row) }
        }

        /// Rows handed over from the event loop.
        final class RowBuffer: @unchecked Sendable {
            private let lock = NSLock()
            private var rows: [SQLRow] = []
            func append(_ row: SQLRow) { lock.lock(); rows.append(row); lock.unlock() }
            func taken() -> [SQLRow] { lock.lock(); defer { lock.unlock() }; return rows }
        }

        /// `?` placeholders (outside quotes) become `$1`, `$2`, …
        static func query(_ sql: String, _ arguments: [SQLValue]) throws -> PostgresQuery {
            var text = ""
            text.reserveCapacity(sql.utf8.count + 8)
            var n = 0
            var quoted = false
            for c in sql {
                if c == "'" { quoted.toggle() }
                if c == "?" && !quoted {
                    n += 1
                    text += "$\(n)"
                } else {
                    text.append(c)
                }
            }
            guard n == arguments.count else {
                throw StoreError(code: "db-io", message: "statement has \(n) placeholders but \(arguments.count) arguments")
            }
            var binds = PostgresBindings(capacity: arguments.count)
            for a in arguments {
                switch a {
                case .null: binds.appendNull()
                case .int(let v): binds.append(v)
                case .double(let v): binds.append(v)
                case .text(let v): binds.append(v)
                case .blob(let v): binds.append(ByteBuffer(bytes: v))
                }
            }
            return PostgresQuery(unsafeSQL: text, binds: binds)
        }

        static func value(_ cell: PostgresCell) throws -> SQLValue {
            guard let bytes = cell.bytes else { return .null }
            // Binary results (what postgres-nio asks for) read straight from the buffer: a bulk load
            // of a million rows spends most of its time here.
            if cell.format == .binary {
                switch cell.dataType {
                case .int8: if bytes.readableBytes == 8, let v = bytes.getInteger(at: bytes.readerIndex, as: Int64.self) { return .int(v) }
                case .int4: if bytes.readableBytes == 4, let v = bytes.getInteger(at: bytes.readerIndex, as: Int32.self) { return .int(Int64(v)) }
                case .float8:
                    if bytes.readableBytes == 8, let v = bytes.getInteger(at: bytes.readerIndex, as: UInt64.self) {
                        return .double(Double(bitPattern: v))
                    }
                case .text, .varchar, .name, .bpchar: return .text(String(buffer: bytes))
                case .bytea: return .blob(Array(buffer: bytes))
                default: break
                }
            }
            switch cell.dataType {
            case .int2, .int4, .int8, .oid: return .int(try cell.decode(Int64.self))
            case .float4, .float8: return .double(try cell.decode(Double.self))
            case .bool: return .int(try cell.decode(Bool.self) ? 1 : 0)
            case .bytea: return .blob(Array(buffer: try cell.decode(ByteBuffer.self)))
            case .text, .varchar, .bpchar, .name: return .text(try cell.decode(String.self))
            default:
                throw StoreError(code: "db-io", message: "column \(cell.columnName) has type \(cell.dataType), which the store does not read")
            }
        }
    }
}
