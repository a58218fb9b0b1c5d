import Foundation
import HashmarkTestSupport
import Testing

/// The multi-host mode end to end, on a real PostgreSQL server: the bundled corpus indexed into
/// both back ends gives the same snapshot and the same verdicts, and a daemon on PostgreSQL picks
/// up a work that another host registered, without a restart.
@Suite("PostgreSQL mode", .serialized)
struct PostgresModeTests {
    /// The bundled Corpus in SQLite and in PostgreSQL, indexed once for the suite.
    struct Both: Sendable {
        let dir: String
        let sqlite: String
        let postgres: String
        static let shared: Result<Both, any Error> = Result {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hashmark-pg-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let both = Both(dir: dir, sqlite: dir + "/corpus.sqlite", postgres: try PostgresTestServer.shared().makeDatabase("bundled"))
            for db in [both.sqlite, both.postgres] {
                let r = try CLI.run(["corpus", "add", "--db", db, "--manifest", Corpus.root.appendingPathComponent("manifest.csv").path])
                guard r.status == 0 else { throw CLIFailure(result: r) }
            }
            return both
        }
    }

    @Test func theBundledCorpusHasOneSnapshotAndTheSameVerdictsOnBothBackEnds() throws {
        let both = try Both.shared.get()
        func stats(_ db: String) throws -> [String] {
            let r = try CLI.run(["corpus", "stats", "--db", db])
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("database:") }
        }
        let sqliteStats = try stats(both.sqlite), pgStats = try stats(both.postgres)
        #expect(sqliteStats == pgStats)
        #expect(sqliteStats.contains { $0.hasPrefix("snapshot: v") })
        #expect(try CLI.run(["corpus", "stats", "--db", both.postgres]).stdout.contains("(postgresql, "))

        // Registered works (as they are and edited), an unrelated image and a text excerpt.
        let image = Corpus.image("scipy__ascent")
        let text = Corpus.text("sword-text-web__WEB_Ruth")
        let excerpt = both.dir + "/excerpt.txt"
        let words = try String(contentsOfFile: text, encoding: .utf8).split(separator: " ")
        try ("A new story begins here. " + words[200..<500].joined(separator: " ") + " And so it ends.")
            .write(toFile: excerpt, atomically: true, encoding: .utf8)
        let unrelated = both.dir + "/unrelated.txt"
        try String(repeating: "Nothing in this file was ever registered by anyone at all. ", count: 40)
            .write(toFile: unrelated, atomically: true, encoding: .utf8)
        let files = [image, text, excerpt, unrelated]
        func verdicts(_ db: String) throws -> [String] {
            let r = try CLI.run(["check", "--json", "--db", db] + files)
            #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
            return try r.jsonLines.map { line in
                var report = line
                for volatile in ["reportId", "createdAt", "previousReportSha256", "signer"] { report[volatile] = nil }
                return String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self)
            }
        }
        let fromSQLite = try verdicts(both.sqlite), fromPostgres = try verdicts(both.postgres)
        #expect(fromSQLite.count == files.count)
        #expect(fromSQLite == fromPostgres)
        let parsed = fromPostgres.map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(parsed.map { $0?["verdict"] as? String } == ["infringing", "infringing", "infringing", "clear"])
    }

    @Test func aDaemonOnPostgreSQLSeesAWorkAnotherHostAdds() throws {
        let server = try PostgresTestServer.shared()
        let db = try server.makeDatabase("daemon")
        let dir = try TempDir()
        // The daemon's corpus starts with one text; an image is registered later, elsewhere.
        let r = try CLI.run(["corpus", "add", "--db", db, Corpus.text("sword-text-web__WEB_Ruth")])
        #expect(r.status == 0, "\(r.stderr)")
        let daemon = try RunningDaemon(db: db, keyDir: dir, config: "[corpus]\npoll_seconds = 0.5\n[scan]\ninterval_seconds = 1\n")
        let image = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Corpus.image("scikit-image__chelsea"))))
        try daemon.drop("before.jpg", image)
        try waitFor("the first report") { daemon.count("reports", suffix: ".json") == 1 }
        #expect((try daemon.reports()["before.jpg"])?["verdict"] as? String == "clear")

        let added = try CLI.run(["corpus", "add", "--db", db, Corpus.image("scikit-image__chelsea")])  // "another host"
        #expect(added.status == 0, "\(added.stderr)")
        try waitFor("the reload") { (try? String(contentsOfFile: daemon.log, encoding: .utf8))?.contains("index reloaded") == true }
        try daemon.drop("after.jpg", image)
        try waitFor("the second report") { daemon.count("reports", suffix: ".json") == 2 }
        let reports = try daemon.reports()
        #expect(reports["after.jpg"]?["verdict"] as? String == "infringing")
        let snapshot = { (name: String) in (reports[name]?["corpus"] as? [String: Any])?["snapshot"] as? String }
        #expect(snapshot("before.jpg") != nil && snapshot("before.jpg") != snapshot("after.jpg"))
        daemon.stop()
    }

    @Test func threeDaemonsOnOneDatabaseSurviveAKillAndKeepOneLedger() throws {
        let server = try PostgresTestServer.shared()
        let db = try server.makeDatabase("three")
        let added = try CLI.run(["corpus", "add", "--db", db, Corpus.image("scipy__ascent"), Corpus.text("sword-text-web__WEB_Ruth")])
        #expect(added.status == 0, "\(added.stderr)")
        let config = "[workers]\ncount = 1\n[corpus]\npoll_seconds = 1\n[scan]\ninterval_seconds = 1\n"
        let dirs = try (0..<3).map { _ in try TempDir() }
        defer { withExtendedLifetime(dirs) {} }  // removed only at the end, not after their last use
        var daemons = try dirs.map { try RunningDaemon(db: db, keyDir: $0, config: config) }
        let ruth = try String(contentsOfFile: Corpus.text("sword-text-web__WEB_Ruth"), encoding: .utf8).split(separator: " ")
        let perDaemon = 60
        for (d, daemon) in daemons.enumerated() {
            for k in 0..<perDaemon {
                // Every third file copies a passage; the others are new text (distinct bytes each).
                let body = k % 3 == 0 ? ruth[(k * 20)..<(k * 20 + 120)].joined(separator: " ")
                                      : "Host \(d) file \(k) says something of its own, never registered anywhere."
                try daemon.drop("f\(k).txt", Array(body.utf8))
            }
        }
        // Host 1 dies mid-burst (SIGKILL: no shutdown, no last copy of its ledger lines), then restarts.
        try waitFor("host 1 under way") { daemons[1].count("reports", suffix: ".json") >= 2 }
        kill(daemons[1].process.processIdentifier, SIGKILL)
        daemons[1].process.waitUntilExit()
        #expect(daemons[1].count("done") < perDaemon, "killed after its burst")
        daemons[1] = try RunningDaemon(db: db, keyDir: dirs[1], config: config)
        do {
            try waitFor("every file done", seconds: 120) {
                daemons.allSatisfy { $0.count("done") + $0.count("failed") == perDaemon && $0.count("active") == 0 && $0.count("inbox") == 0 }
            }
        } catch {
            for d in daemons {
                let log = String(((try? String(contentsOfFile: d.log, encoding: .utf8)) ?? "").suffix(1500))
                Issue.record("done \(d.count("done")) failed \(d.count("failed")) active \(d.count("active")) inbox \(d.count("inbox")): \(log)")
            }
            throw error
        }
        for daemon in daemons { daemon.stop() }  // SIGTERM: the last lines are copied on the way out

        var total = 0
        for (d, daemon) in daemons.enumerated() {
            // 0 lost, 0 duplicate: one report per file, one ledger line per report, a valid local chain.
            let reports = try daemon.reports()
            #expect(reports.count == perDaemon, "host \(d)")
            #expect(reports.values.filter { $0["verdict"] as? String == "infringing" }.count == perDaemon / 3, "host \(d)")
            let ledger = try String(contentsOfFile: daemon.spool + "/reports/ledger.jsonl", encoding: .utf8)
                .split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(ledger.count == perDaemon && Set(ledger.compactMap { $0["reportId"] as? String }).count == perDaemon, "host \(d)")
            let local = try CLI.run(["verify", "--ledger", daemon.spool + "/reports", "--pubkey", daemon.key.replacingOccurrences(of: ".key.pem", with: ".pub.pem")])
            #expect(local.status == 0, "host \(d): \(local.stdout)")
            total += ledger.count
        }
        // One shared chain holding every host's lines, each once.
        let shared = try CLI.run(["verify", "--ledger", db])
        #expect(shared.status == 0, "\(shared.stdout)")
        #expect(shared.stdout.contains("shared ledger valid (\(total) rows") && shared.stdout.contains("3 hosts"), "\(shared.stdout)")
        let name = String(try #require(URLComponents(string: db)).path.dropFirst())
        #expect(try server.psql(name, "SELECT count(*) FROM (SELECT DISTINCT host, report_id FROM shared_ledger) d").trimmingCharacters(in: .whitespacesAndNewlines)
                == "\(total)")

        // A row removed from the database is found.
        try server.psql(name, "DELETE FROM shared_ledger WHERE seq = 5")
        let broken = try CLI.run(["verify", "--ledger", db])
        #expect(broken.status == 1 && broken.stdout.contains("INVALID"), "\(broken.stdout)")
    }
}
