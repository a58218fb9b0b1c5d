import Foundation
import HashmarkTestSupport
import Testing

extension PostgresModeTests {
    /// Three daemons take files from one shared inbox through the work queue; one is SIGKILLed
    /// mid-burst and stays down until the others are finished: its claims pass to them when their
    /// leases run out, and after its restart every file has exactly one report in all.
    @Test func threeDaemonsShareOneInboxAndADeadOnesClaimsPassOn() throws {
        let server = try PostgresTestServer.shared()
        let db = try server.makeDatabase("shared")
        let name = String(try #require(URLComponents(string: db)).path.dropFirst())
        let added = try CLI.run(["corpus", "add", "--db", db, Corpus.image("scipy__ascent"), Corpus.text("sword-text-web__WEB_Ruth")])
        #expect(added.status == 0, "\(added.stderr)")
        let shared = try TempDir()
        let config = """
            [workers]
            count = 1
            [scan]
            interval_seconds = 1
            [shared]
            folder = "\(shared.path("uploads"))"
            lease_seconds = 2
            poll_seconds = 0.2
            """
        let dirs = try (0..<3).map { _ in try TempDir() }
        defer { withExtendedLifetime((dirs, shared)) {} }
        var daemons = try dirs.map { try RunningDaemon(db: db, keyDir: $0, config: config) }
        let uploads = shared.path("uploads")
        let ruth = try String(contentsOfFile: Corpus.text("sword-text-web__WEB_Ruth"), encoding: .utf8).split(separator: " ")
        let files = 90
        for k in 0..<files {
            let body = k % 3 == 0 ? ruth[(k * 20)..<(k * 20 + 120)].joined(separator: " ")
                                  : "Upload \(k) says something of its own, never registered anywhere."
            let tmp = uploads + "/inbox/.part-\(k)"
            try Data(body.utf8).write(to: URL(fileURLWithPath: tmp))
            #expect(rename(tmp, uploads + "/inbox/u\(k).txt") == 0)
        }
        func folder(_ path: String) -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] }
        func rows(_ sql: String) throws -> [String] {
            try server.psql(name, sql).split(separator: "\n").map(String.init)
        }

        // Host 1 dies with claims in hand: frozen (SIGSTOP) until the queue shows it holds some,
        // then killed.
        try waitFor("host 1 under way") { daemons[1].count("reports", suffix: ".json") >= 2 }
        let pid = daemons[1].process.processIdentifier
        var holding = false
        for _ in 0..<200 where !holding {
            kill(pid, SIGSTOP)
            holding = try rows("SELECT count(*) FROM work_queue WHERE state = 'claimed' AND owner LIKE '%\(dirs[1].path("spool"))'") != ["0"]
            if !holding {
                kill(pid, SIGCONT)
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        #expect(holding, "host 1 was stopped while it held claims")
        kill(pid, SIGKILL)
        daemons[1].process.waitUntilExit()
        let host1 = try rows("SELECT DISTINCT owner FROM work_queue WHERE owner LIKE '%\(dirs[1].path("spool"))'")
        #expect(host1.count == 1)
        // The others finish everything but what host 1 had fenced (only it knows whether it wrote those).
        try waitFor("the others finish", seconds: 120) {
            try rows("SELECT count(*) FROM work_queue WHERE state <> 'done' AND NOT (state = 'committing' AND owner = '\(host1.first ?? "")')") == ["0"]
                && rows("SELECT count(*) FROM work_queue") == ["\(files)"]
        }
        let takenOver = try rows("SELECT count(*) FROM work_queue WHERE token >= 2")
        #expect(takenOver != ["0"], "host 1's leases ran out and others claimed its files")
        // `hashmark queue` shows what waits for host 1.
        let queue = try CLI.run(["queue", "--db", db, "--json"])
        let status = try #require(try JSONSerialization.jsonObject(with: Data(queue.stdout.utf8)) as? [String: Any])
        let counts = try #require(status["counts"] as? [String: Int])
        #expect(counts.values.reduce(0, +) == files && counts["pending"] == 0 && counts["claimed"] == 0)
        let waiting = try #require(status["open"] as? [[String: Any]])
        #expect(waiting.count == counts["committing"] && waiting.allSatisfy { $0["owner"] as? String == host1.first })

        daemons[1] = try RunningDaemon(db: db, keyDir: dirs[1], config: config)
        do {
            try waitFor("every file done", seconds: 120) {
                try rows("SELECT count(*) FROM work_queue WHERE state = 'done'") == ["\(files)"]
                    && folder(uploads + "/done").count + folder(uploads + "/failed").count == files
                    && daemons.allSatisfy { folder($0.spool + "/active").isEmpty }
            }
        } catch {
            Issue.record("queue: \(try rows("SELECT state, owner, token FROM work_queue WHERE state <> 'done'"))")
            for d in daemons {
                Issue.record("active \(folder(d.spool + "/active")): \(String(((try? String(contentsOfFile: d.log, encoding: .utf8)) ?? "").suffix(1500)))")
            }
            throw error
        }
        for daemon in daemons { daemon.stop() }

        // 0 lost, 0 duplicate: every upload has one report on one host, named in its row.
        var owners: [String: Int] = [:]
        var total = 0
        for (d, daemon) in daemons.enumerated() {
            let reports = try daemon.reports()
            for file in reports.keys { owners[file, default: 0] += 1 }
            total += reports.count
            #expect(folder(daemon.spool + "/done").isEmpty && folder(daemon.spool + "/inbox").filter { $0 != ".tmp" }.isEmpty,
                    "host \(d): copies of shared files are deleted, not kept")
            let verify = try CLI.run(["verify", "--ledger", daemon.spool + "/reports", "--pubkey", daemon.key.replacingOccurrences(of: ".key.pem", with: ".pub.pem")])
            #expect(verify.status == 0, "host \(d): \(verify.stdout)")
            let ids = Set(reports.values.compactMap { $0["reportId"] as? String })
            let claimed = Set(try rows("SELECT report_id FROM work_queue WHERE owner LIKE '%\(dirs[d].path("spool"))'"))
            #expect(ids == claimed, "host \(d): the reports it holds are the rows it finished")
        }
        #expect(total == files && owners.count == files && owners.values.allSatisfy { $0 == 1 })
        #expect(owners.keys.sorted() == (0..<files).map { "u\($0).txt" }.sorted())
        #expect(folder(uploads + "/inbox").isEmpty)
        let infringing = daemons.flatMap { (try? $0.reports().values.filter { $0["verdict"] as? String == "infringing" }) ?? [] }
        #expect(infringing.count == files / 3)
        let ledger = try CLI.run(["verify", "--ledger", db])
        #expect(ledger.status == 0 && ledger.stdout.contains("shared ledger valid (\(files) rows"), "\(ledger.stdout)")
    }
}
