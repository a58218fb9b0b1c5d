import Foundation

/// Where a PostgreSQL corpus lives, from a libpq-style URL:
/// `postgresql://[user[:password]@][host][:port]/database[?host=/socket/dir]`.
///
/// A host that starts with `/` (in the authority, percent-encoded, or as the `host` parameter)
/// names the folder of the server's Unix socket (`<dir>/.s.PGSQL.<port>`), as libpq reads it.
/// Without a user, `$PGUSER`, then `$USER`, then `postgres`; without a password, `$PGPASSWORD`.
/// TLS over TCP as libpq's `sslmode` says (default `prefer`; `sslrootcert` names the CA file for
/// `verify-ca` / `verify-full`, else the system's trust store); a Unix socket never uses TLS.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode
    public var sslRootCert: String?
    /// Seconds the store waits for the server's answer to one statement or a connection attempt
    /// (`query_timeout`, Hashmark's own parameter; default 120). Past it the connection is closed
    /// and the call fails with `db-timeout`: a stalled server or a lost connection that nothing
    /// reports cannot hold a caller (a daemon's worker) for ever.
    public var queryTimeout: Double = Self.defaultQueryTimeout
    public static let defaultQueryTimeout: Double = 120

    /// libpq's `sslmode`: `disable` plain; `allow` and `prefer` TLS when the server offers it, no
    /// certificate check; `require` TLS, no certificate check; `verify-ca` TLS with a certificate
    /// signed by a trusted CA; `verify-full` that and the certificate names the host.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// `true` for a `postgresql://` or `postgres://` URL: every `--db` takes either that or a
    /// SQLite file path.
    public static func isURL(_ location: String) -> Bool {
        location.hasPrefix("postgresql://") || location.hasPrefix("postgres://")
    }

    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
        guard Self.isURL(url), let components = URLComponents(string: url) else {
            throw StoreError(code: "db-open", message: "not a postgresql:// URL: \(Self.redacted(url))")
        }
        let query = Dictionary(components.queryItems?.map { ($0.name, $0.value ?? "") } ?? [], uniquingKeysWith: { $1 })
        for name in query.keys where !["host", "port", "user", "password", "dbname", "sslmode", "sslrootcert", "query_timeout"].contains(name) {
            throw StoreError(code: "db-open", message: "unknown parameter '\(name)' in \(Self.redacted(url))")
        }
        guard let mode = SSLMode(rawValue: query["sslmode"] ?? environment["PGSSLMODE"] ?? "prefer") else {
            throw StoreError(code: "db-open", message: "sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        sslMode = mode
        sslRootCert = query["sslrootcert"] ?? environment["PGSSLROOTCERT"]
        if let given = query["query_timeout"] {
            guard let seconds = Double(given), seconds > 0, seconds <= 86_400 else {
                throw StoreError(code: "db-open", message: "query_timeout must be a number of seconds, more than 0 and at most 86400")
            }
            queryTimeout = seconds
        }
        host = query["host"] ?? components.percentEncodedHost.flatMap { $0.removingPercentEncoding }.flatMap { $0.isEmpty ? nil : $0 } ?? "/var/run/postgresql"
        guard let port = Int(query["port"] ?? components.port.map(String.init) ?? "5432"), (1...65535).contains(port) else {
            throw StoreError(code: "db-open", message: "bad port in \(Self.redacted(url))")
        }
        self.port = port
        user = query["user"] ?? components.user?.removingPercentEncoding ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        password = query["password"] ?? components.password?.removingPercentEncoding ?? environment["PGPASSWORD"]
        let path = String(components.path.drop { $0 == "/" })
        database = query["dbname"] ?? (path.isEmpty ? user : (path.removingPercentEncoding ?? path))
    }

    /// The Unix socket file when `host` is a folder; `nil` for TCP.
    public var unixSocketPath: String? { host.hasPrefix("/") ? "\(host)/.s.PGSQL.\(port)" : nil }

    /// The URL without its password: what logs, errors and reports show.
    public var description: String {
        let authority = host.hasPrefix("/") ? "" : (port == 5432 ? host : "\(host):\(port)")
        var parameters = host.hasPrefix("/") ? ["host=\(host)"] : []
        if host.hasPrefix("/") && port != 5432 { parameters.append("port=\(port)") }
        if sslMode != .prefer { parameters.append("sslmode=\(sslMode.rawValue)") }
        if let sslRootCert { parameters.append("sslrootcert=\(sslRootCert)") }
        if queryTimeout != Self.defaultQueryTimeout { parameters.append("query_timeout=\(queryTimeout)") }
        let query = parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&")
        return "postgresql://\(user)@\(authority)/\(database)\(query)"
    }

    /// `url` with any password replaced by `***`.
    static func redacted(_ url: String) -> String {
        guard var c = URLComponents(string: url) else { return "postgresql://…" }
        if c.password != nil { c.password = "***" }
        c.queryItems = c.queryItems?.map { $0.name == "password" ? URLQueryItem(name: "password", value: "***") : $0 }
        return c.string ?? "postgresql://…"
    }
}
