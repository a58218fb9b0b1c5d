import Foundation
import Synchronization
import HashmarkFingerprint
import HashmarkPrimitives
import HashmarkStore
import HashmarkTestSupport
import Testing

/// What only the multi-host back end has: URLs, several hosts (here: several store objects, each
/// with its own connection) on one database, concurrent writers, a lost connection. The shared
/// behaviour is in `StoreTests`, run against both back ends.
@Suite("Corpus store on PostgreSQL")
struct PostgresStoreTests {
    var rng = SplitMix64(seed: 7)

    mutating func work(_ id: String, text: String? = nil) -> (Work, [StoredFingerprint]) {
        let fps = (0..<3).map { StoredFingerprint.pdq(Hash256.random(using: &rng), quality: 80 + $0, variant: $0) }
        return (Work(id: id, title: "Title \(id)", owner: "Owner", license: "CC0-1.0", source: "test",
                     mediaType: text == nil ? "image" : "text", sha256: SHA256.hex(Array(id.utf8))), fps)
    }

    @Test func urlsParseAsLibpqReadsThem() throws {
        let socket = try PostgresLocation(url: "postgresql://alice@/corpus?host=/run/pg", environment: [:])
        #expect(socket.host == "/run/pg" && socket.port == 5432 && socket.user == "alice" && socket.database == "corpus")
        #expect(socket.unixSocketPath == "/run/pg/.s.PGSQL.5432" && socket.password == nil)
        let tcp = try PostgresLocation(url: "postgres://bob:s%40cret@db.example:6543/hm", environment: [:])
        #expect(tcp.host == "db.example" && tcp.port == 6543 && tcp.user == "bob" && tcp.password == "s@cret")
        #expect(tcp.unixSocketPath == nil && tcp.database == "hm")
        #expect(!tcp.description.contains("cret") && tcp.description == "postgresql://bob@db.example:6543/hm")
        let defaults = try PostgresLocation(url: "postgresql:///hm", environment: ["USER": "carol", "PGPASSWORD": "pw"])
        #expect(defaults.host == "/var/run/postgresql" && defaults.user == "carol" && defaults.password == "pw")
        #expect(PostgresLocation.isURL("postgres://x/y") && !PostgresLocation.isURL("var/hashmark.sqlite"))
        #expect(tcp.sslMode == .prefer && socket.sslMode == .prefer)
        let strict = try PostgresLocation(url: "postgresql://h/d?sslmode=verify-full&sslrootcert=/etc/ca.pem", environment: [:])
        #expect(strict.sslMode == .verifyFull && strict.sslRootCert == "/etc/ca.pem")
        #expect(try PostgresLocation(url: strict.description, environment: [:]) == strict)
        #expect(try PostgresLocation(url: "postgresql://h/d", environment: ["PGSSLMODE": "require"]).sslMode == .require)
        #expect(tcp.queryTimeout == 120)
        let patient = try PostgresLocation(url: "postgresql://h/d?query_timeout=2.5", environment: [:])
        #expect(patient.queryTimeout == 2.5 && patient.description.hasSuffix("@h/d?query_timeout=2.5"))
        #expect(try PostgresLocation(url: patient.description, environment: [:]) == patient)
        for bad in ["postgresql://h:99999/d", "postgresql:///d?nonsense=1", "postgresql:///d?sslmode=always",
                    "postgresql:///d?query_timeout=0", "postgresql:///d?query_timeout=soon"] {
            #expect(throws: StoreError.self) { try PostgresLocation(url: bad, environment: [:]) }
        }
    }

    @Test func anUnreachableServerIsAClearOpenError() throws {
        let start = Date()
        do {
            _ = try CorpusStore(path: "postgresql://nobody@/none?host=/tmp/hm-no-such-server")
            Issue.record("opening a database with no server must fail")
        } catch {
            #expect(error.code == "db-open" && error.message.contains("cannot connect"))
        }
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test mutating func tcpConnectionsUseTLSAsSSLModeSays() throws {
        let server = try PostgresTestServer.shared()
        let url = try server.makeDatabase("tls")
        let name = String(try #require(URLComponents(string: url)).path.dropFirst())
        func encrypted(_ parameters: String, host: String = "127.0.0.1") throws -> Bool {
            let store = try CorpusStore(path: server.tcpURL(name, host: host, parameters: parameters))
            _ = try store.snapshotVersion()
            // The store's connection, seen from the server (psql itself comes over the Unix socket):
            // the newest TCP one, since the previous call's store may still be closing (on a loaded
            // machine its backend lingered and made every later call see two rows).
            let rows = try server.psql(name, "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid "
                                       + "WHERE a.datname = '\(name)' AND a.client_addr IS NOT NULL "
                                       + "ORDER BY a.backend_start DESC LIMIT 1")
            return withExtendedLifetime(store) { rows.split(separator: "\n") == ["t"] }
        }
        #expect(try !encrypted("sslmode=disable"))
        #expect(try encrypted(""))  // libpq's default, prefer: TLS when offered
        #expect(try encrypted("sslmode=require"))
        #expect(try encrypted("sslmode=verify-full&sslrootcert=\(server.certificate)", host: "localhost"))
        #expect(try encrypted("sslmode=verify-ca&sslrootcert=\(server.certificate)"))
        // A certificate no trusted CA signed is refused, with the reason.
        do {
            _ = try CorpusStore(path: server.tcpURL(name, host: "localhost", parameters: "sslmode=verify-full"))
            Issue.record("verify-full against an untrusted certificate must fail")
        } catch {
            #expect(error.code == "db-open")
        }
    }

    @Test mutating func twoHostsSeeEachOthersChanges() throws {
        let url = try PostgresTestServer.shared().makeDatabase("hosts")
        let a = try CorpusStore(path: url), b = try CorpusStore(path: url)
        let (w, f) = work("shared")
        #expect(try b.snapshotVersion() == 0)
        _ = try a.add(work: w, fingerprints: f)
        #expect(try b.snapshotVersion() == 1)
        #expect(try b.work(id: "shared") == a.work(id: "shared"))
        #expect(try b.snapshot() == a.snapshot())
        #expect(try b.remove(id: "shared"))
        #expect(try a.list().isEmpty && a.snapshotVersion() == 2)
    }

    @Test mutating func concurrentWritersAreSerialisedAndLoseNothing() throws {
        let url = try PostgresTestServer.shared().makeDatabase("writers")
        let hosts = try (0..<4).map { _ in try CorpusStore(path: url) }
        let works = (0..<40).map { work("w\($0)") }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: hosts.count) { h in
            for i in stride(from: h, to: works.count, by: hosts.count) {
                do { _ = try hosts[h].add(work: works[i].0, fingerprints: works[i].1) } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        #expect(try hosts[0].list().count == 40)
        #expect(try hosts[1].snapshotVersion() == 40)  // one bump per add: no lost update
        #expect(try hosts[2].allPDQ().count == 120)
        // The same race for one id: exactly one insert wins, the others get the existing work.
        let (w, f) = work("contended")
        let inserted = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: hosts.count) { h in
            if (try? hosts[h].add(work: w, fingerprints: f))?.inserted == true { inserted.withLock { $0 += 1 } }
        }
        #expect(inserted.withLock { $0 } == 1)
    }

    @Test mutating func equalContentsHaveTheSameDigestOnBothBackEnds() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sqlite = try CorpusStore(path: dir.appendingPathComponent("c.sqlite").path)
        let pg = try CorpusStore(path: try PostgresTestServer.shared().makeDatabase("digest"))
        // Ids whose order differs between bytewise and locale collation, and a text work.
        var items = [work("Zeta"), work("alpha"), work("Ångström"), work("_under"), work("écrit")]
        items.append(work("text-1", text: "Ünïcode text — with dashes"))
        for store in [sqlite, pg] {
            for (w, f) in items {
                let text = w.mediaType == "text" ? "Ünïcode text — with dashes" : nil
                _ = try store.add(work: w, fingerprints: f, postings: text == nil ? [] : [TextShingle(hash: .max, position: 3)], text: text)
            }
            try store.setThumbnail(WorkThumbnail(width: 1, height: 1, originalWidth: 2, originalHeight: 2, jpeg: [1, 2]), of: "Zeta")
            try store.setThumbnail(WorkThumbnail(width: 3, height: 1, originalWidth: 2, originalHeight: 2, jpeg: [3]), of: "Zeta")
        }
        #expect(try sqlite.snapshot() == pg.snapshot())
        #expect(try sqlite.list() .map(\.id) == pg.list().map(\.id))
        #expect(try sqlite.allPostings().hashes == pg.allPostings().hashes)
        #expect(try pg.thumbnail(of: "Zeta") == WorkThumbnail(width: 3, height: 1, originalWidth: 2, originalHeight: 2, jpeg: [3]))
        #expect(try sqlite.exportHashes() == pg.exportHashes())
    }

    @Test mutating func readOnlyNeedsAMigratedDatabaseAndNeverWrites() throws {
        let server = try PostgresTestServer.shared()
        let url = try server.makeDatabase("ro")
        do {
            _ = try CorpusStore(path: url, readOnly: true)
            Issue.record("a read-only open of an empty database must fail")
        } catch {
            #expect(error.code == "db-stale")
        }
        _ = try CorpusStore(path: url)
        let reader = try CorpusStore(path: url, readOnly: true)
        #expect(try reader.list().isEmpty)
        let (w, f) = work("x")
        #expect(throws: StoreError.self) { try reader.add(work: w, fingerprints: f) }
    }

    /// A statement the server does not answer (here: queued behind another session's lock) fails
    /// with `db-timeout` after the URL's `query_timeout` instead of holding its caller for ever, and
    /// the store works again on a fresh connection once the server answers.
    @Test mutating func aStatementWithoutAnAnswerTimesOut() throws {
        let server = try PostgresTestServer.shared()
        let url = try server.makeDatabase("timeout")
        let store = try CorpusStore(path: url + "&query_timeout=1")
        let name = String(try #require(URLComponents(string: url)).path.dropFirst())
        let released = DispatchSemaphore(value: 0)
        Thread {
            _ = try? server.psql(name, "BEGIN; LOCK TABLE meta IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60); COMMIT;")
            released.signal()
        }.start()
        let held = "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'meta' AND l.granted AND l.mode = 'AccessExclusiveLock'"
        let patience = Date().addingTimeInterval(30)
        while try server.psql(name, held).trimmingCharacters(in: .whitespacesAndNewlines) != "1" {
            guard Date() < patience else { Issue.record("the other session never took its lock"); return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let (w, f) = work("blocked")
        let start = Date()
        #expect { _ = try store.add(work: w, fingerprints: f) } throws: { ($0 as? StoreError)?.code == "db-timeout" }
        let waited = Date().timeIntervalSince(start)
        // One timeout, then one more on a fresh connection: seconds, not the other session's minute.
        #expect(waited >= 1 && waited < 30, "waited \(waited) s")
        _ = try server.psql(name, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)' AND query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()")
        #expect(released.wait(timeout: .now() + 30) == .success)
        #expect(try store.add(work: w, fingerprints: f).inserted)
        #expect(try store.list().map(\.id) == ["blocked"])
    }

    @Test mutating func aDroppedConnectionIsReplaced() throws {
        let server = try PostgresTestServer.shared()
        let url = try server.makeDatabase("drop")
        // Once (2026-12-07) the first statement after the termination was never answered and the
        // test hung; now that wait ends at `query_timeout` and the statement runs on a fresh connection.
        let store = try CorpusStore(path: url + "&query_timeout=15")
        let (w, f) = work("before")
        _ = try store.add(work: w, fingerprints: f)
        let name = String(try #require(URLComponents(string: url)).path.dropFirst())
        // What a server restart or a failover does to every open connection.
        try server.psql(name, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)' AND pid <> pg_backend_pid()")
        #expect(try store.list().map(\.id) == ["before"])
        let (w2, f2) = work("after")
        #expect(try store.add(work: w2, fingerprints: f2).inserted)
    }
}
