import Foundation

/// A real PostgreSQL server for the tests: a fresh cluster (`initdb`) in a temporary folder,
/// listening on a Unix socket there and, with TLS (a self-signed certificate for `localhost` and
/// 127.0.0.1 made by `openssl`), on 127.0.0.1:`tcpPort`; started once per test process and
/// stopped when it exits. Each test takes its own database (`makeDatabase`).
///
/// Needs Debian's `postgresql` package (`make test` installs it). As root, the server runs as the
/// `postgres` user (PostgreSQL refuses root). Clusters left by a test process that died are
/// stopped and removed by the next start.
public final class PostgresTestServer: Sendable {
    /// The folder holding the cluster and the server's socket.
    public let folder: String
    let bin: String
    let asPostgres: Bool
    /// The TCP port on 127.0.0.1 (TLS offered; trust authentication as on the socket).
    public let tcpPort: Int
    /// The server's certificate (PEM): the CA file for `sslmode=verify-full`.
    public var certificate: String { folder + "/server.crt" }
    public static let user = "hashmark"

    /// The server of this test process, started on first use.
    public static func shared() throws -> PostgresTestServer {
        try started.get()
    }

    private static let started: Result<PostgresTestServer, any Error> = Result { try PostgresTestServer() }

    private init() throws {
        bin = try Self.binaries()
        asPostgres = getuid() == 0
        Self.sweepAbandoned()
        folder = "/tmp/hm-pg-\(getpid())"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "\(getpid())".write(toFile: folder + "/owner.pid", atomically: true, encoding: .utf8)
        try Self.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                          "-keyout", folder + "/server.key", "-out", folder + "/server.crt",
                                          "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        chmod(folder + "/server.key", 0o600)
        if asPostgres { try Self.run("/bin/chown", ["-R", "postgres:postgres", folder]) }
        try Self.command("initdb", ["-D", folder + "/data", "-U", Self.user, "--auth=trust", "--no-locale", "-E", "UTF8", "--no-sync"],
                         bin: bin, asPostgres: asPostgres)
        // A free port is found by trying: another server on the port makes the start fail.
        var port = 0
        for attempt in 0..<8 {
            let candidate = 20_000 + Int((UInt32(getpid()) &* 7919 &+ UInt32(attempt) &* 104_729) % 30_000)
            do {
                try Self.command("pg_ctl", ["-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "60", "start", "-o",
                                            "-k \(folder) -p \(candidate) -c listen_addresses=127.0.0.1 -c ssl=on "
                                            + "-c ssl_cert_file=\(folder)/server.crt -c ssl_key_file=\(folder)/server.key "
                                            + "-c fsync=off -c synchronous_commit=off -c max_connections=200"],
                                 bin: bin, asPostgres: asPostgres)
                port = candidate
                break
            } catch where attempt < 7 {
                continue
            }
        }
        tcpPort = port
        Self.stopAtExit = folder + "|" + bin + "|" + (asPostgres ? "1" : "0")
        atexit { PostgresTestServer.stop() }
    }

    /// A new, empty database; returns its `postgresql://` URL (Unix socket, trust authentication).
    public func makeDatabase(_ prefix: String = "t") throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())".replacingOccurrences(of: "-", with: "_")
        try Self.run(bin + "/createdb", ["-h", folder, "-p", "\(tcpPort)", "-U", Self.user, name])
        return url(name)
    }

    /// The URL of database `name` on this server.
    public func url(_ name: String) -> String { "postgresql://\(Self.user)@/\(name)?host=\(folder)&port=\(tcpPort)" }

    /// The URL of database `name` over TCP to 127.0.0.1 (or `host`), with `parameters` (e.g. `sslmode=require`).
    public func tcpURL(_ name: String, host: String = "127.0.0.1", parameters: String = "") -> String {
        "postgresql://\(Self.user)@\(host):\(tcpPort)/\(name)" + (parameters.isEmpty ? "" : "?" + parameters)
    }

    /// Runs SQL through `psql` (as the superuser) and returns what it printed (unaligned, no headers).
    @discardableResult
    public func psql(_ database: String, _ sql: String) throws -> String {
        try Self.run(bin + "/psql", ["-h", folder, "-p", "\(tcpPort)", "-U", Self.user, "-d", database, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql])
    }

    private static func command(_ tool: String, _ arguments: [String], bin: String, asPostgres: Bool) throws {
        if asPostgres {
            try Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", bin + "/" + tool] + arguments)
        } else {
            try Self.run(bin + "/" + tool, arguments)
        }
    }

    /// The newest installed server's `bin` folder (`$HASHMARK_PG_BIN` overrides).
    static func binaries() throws -> String {
        if let given = ProcessInfo.processInfo.environment["HASHMARK_PG_BIN"] { return given }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted()
        guard let newest = versions.last(where: { FileManager.default.isExecutableFile(atPath: "\(root)/\($0)/bin/initdb") }) else {
            throw Failure("no PostgreSQL server under \(root): install Debian's postgresql package (`make test` does)")
        }
        return "\(root)/\(newest)/bin"
    }

    nonisolated(unsafe) static var stopAtExit = ""

    static func stop() {
        let parts = stopAtExit.split(separator: "|").map(String.init)
        guard parts.count == 3 else { return }
        stop(folder: parts[0], bin: parts[1], asPostgres: parts[2] == "1")
    }

    static func stop(folder: String, bin: String, asPostgres: Bool) {
        let args = ["-D", folder + "/data", "-m", "immediate", "-w", "stop"]
        _ = try? (asPostgres ? run("/usr/sbin/runuser", ["-u", "postgres", "--", bin + "/pg_ctl"] + args) : run(bin + "/pg_ctl", args))
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Stops and removes clusters whose test process is gone.
    static func sweepAbandoned() {
        guard let bin = try? binaries() else { return }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? [] where name.hasPrefix("hm-pg-") {
            let folder = "/tmp/" + name
            guard let pid = (try? String(contentsOfFile: folder + "/owner.pid", encoding: .utf8)).flatMap({ Int32($0) }),
                  kill(pid, 0) != 0 else { continue }
            stop(folder: folder, bin: bin, asPostgres: getuid() == 0)
        }
    }

    /// Runs a program to its end with stdin from /dev/null and stdout/stderr in temporary files
    /// (posix_spawn and waitpid: a pipe would stay open in the server that `pg_ctl` leaves running).
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let base = NSTemporaryDirectory() + "hm-pg-run-\(getpid())-\(UUID().uuidString)"
        defer { unlink(base + ".out"); unlink(base + ".err") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, base + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, base + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard rc == 0 else { throw Failure("cannot start \(executable): errno \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? ""
        guard status == 0 else {
            let errors = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
            throw Failure("\(executable) \(arguments.joined(separator: " ")) failed (status \(status)): \(errors)")
        }
        return output
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
