import Foundation
import Testing

/// The daemon's worker processes: pre-emption, quarantine of poison files, one report per
/// original. Real `hashmark watch`, real workers; faults injected through the worker's test hooks
/// (`HASHMARK_WORKER_TEST_HOOKS=1`: a file starting `HASHMARK-TEST-HANG` spins, one starting
/// `HASHMARK-TEST-CRASH` aborts the worker).
@Suite(.serialized, .timeLimit(.minutes(10))) struct WorkerIsolationTests {
    static let hooks = ["HASHMARK_WORKER_TEST_HOOKS": "1"]

    static func error(_ report: [String: Any]?) -> (code: String, message: String)? {
        guard let error = report?["error"] as? [String: Any] else { return nil }
        return (error["code"] as? String ?? "", error["message"] as? String ?? "")
    }

    @Test func hungAndCrashingWorkersAreKilledAndQuarantinedWhileACopyIsStillDecided() throws {
        let corpus = try RegisteredCorpus.get()
        let dir = try TempDir()
        let daemon = try RunningDaemon(corpus: corpus, keyDir: dir, config: """
            [limits]
            max_seconds = 1
            [workers]
            count = 2
            """, environment: Self.hooks)
        // As many spinning files as workers, then a crashing one, then a real copy.
        try daemon.drop("hang-1.txt", Array("HASHMARK-TEST-HANG one".utf8))
        try daemon.drop("hang-2.txt", Array("HASHMARK-TEST-HANG two".utf8))
        try daemon.drop("crash.txt", Array("HASHMARK-TEST-CRASH".utf8))
        let copy = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Corpus.image("scipy__ascent"))))
        try daemon.drop("copy.jpg", copy)
        try waitFor("4 reports", seconds: 60) { daemon.count("done") + daemon.count("failed") == 4 }
        let reports = try daemon.reports()
        #expect(reports["copy.jpg"]?["verdict"] as? String == "infringing")
        for name in ["hang-1.txt", "hang-2.txt"] {
            let error = Self.error(reports[name])
            #expect(error?.code == "timeout", "\(name): \(String(describing: error))")
            #expect(error?.message.contains("2 fresh worker") == true, "\(String(describing: error))")
        }
        let crash = Self.error(reports["crash.txt"])
        #expect(crash?.code == "worker-crashed")
        #expect(crash?.message.contains("signal 6") == true, "\(String(describing: crash))")
        #expect(daemon.count("failed") == 3 && daemon.count("done") == 1 && daemon.count("active") == 0)
        // Error reports name the bytes actually read, never an all-zero digest.
        let hangSHA = ((reports["hang-1.txt"]?["subject"] as? [String: Any])?["sha256"] as? String)
        #expect(hangSHA == sha256Hex(Array("HASHMARK-TEST-HANG one".utf8)))
        // The daemon is still up and matching (in a fresh worker), and SIGTERM ends it and its workers.
        try daemon.drop("after.txt", Array("an ordinary text after the faults".utf8))
        try waitFor("the file after the faults") { daemon.count("done") == 2 }
        let pid = daemon.process.processIdentifier
        #expect(workerPIDs(parent: pid).count >= 1)
        daemon.process.terminate()
        daemon.process.waitUntilExit()
        #expect(daemon.process.terminationStatus == 0)
        try waitFor("no worker left", seconds: 10) { workerPIDs(parent: pid).isEmpty }
        let verify = try CLI.run(["verify", "--pubkey", dir.path("keys/hashmark.pub.pem"), "--ledger", daemon.spool + "/reports"])
        #expect(verify.status == 0, "\(verify.stdout)")
    }

    @Test func twoFilesUnderOneNameGetTwoReportsAndTheSameFileTwiceGetsOne() throws {
        let corpus = try RegisteredCorpus.get()
        let dir = try TempDir()
        let daemon = try RunningDaemon(corpus: corpus, keyDir: dir)
        try daemon.drop("same-name.txt", Array("the first text under this name".utf8))
        try waitFor("first") { daemon.count("done") == 1 }
        try daemon.drop("same-name.txt", Array("a second, different text under the same name".utf8))
        try waitFor("second") { daemon.count("done") == 2 }
        try daemon.drop("same-name.txt", Array("the first text under this name".utf8))
        try waitFor("third") { daemon.count("done") == 3 }
        daemon.stop()
        // Two distinct contents: two reports; the first content again: its report, not a third.
        #expect(daemon.count("reports", suffix: ".json") == 2)
        let ledger = try String(contentsOfFile: daemon.spool + "/reports/ledger.jsonl", encoding: .utf8)
        #expect(ledger.split(separator: "\n").count == 2)
    }

    @Test func aRecoveredFileKeepsItsLedgeredReportAfterTheCorpusChanged() throws {
        let dir = try TempDir()
        let db = dir.path("recover.sqlite")
        #expect(try CLI.run(["corpus", "add", "--db", db, Corpus.image("scikit-image__chelsea")]).status == 0)
        let corpus = RegisteredCorpus(dir: dir.url.path, db: db)
        var daemon = try RunningDaemon(corpus: corpus, keyDir: dir)
        let coffee = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Corpus.image("scikit-image__coffee"))))
        try daemon.drop("coffee.jpg", coffee)
        try waitFor("the first decision") { daemon.count("done") == 1 }
        daemon.stop()
        let reportsBefore = try daemon.reports()
        #expect(reportsBefore["coffee.jpg"]?["verdict"] as? String == "clear")
        // A crash after the report was durable but before the original left active/, and a
        // corpus that now holds the work.
        #expect(rename(daemon.spool + "/done/coffee.jpg", daemon.spool + "/active/coffee.jpg") == 0)
        #expect(try CLI.run(["corpus", "add", "--db", db, Corpus.image("scikit-image__coffee")]).status == 0)
        daemon = try RunningDaemon(corpus: corpus, keyDir: dir)
        try waitFor("the recovered file") { daemon.count("done") == 1 && daemon.count("active") == 0 }
        daemon.stop()
        let reportsAfter = try daemon.reports()
        #expect(daemon.count("reports", suffix: ".json") == 1)
        #expect(reportsAfter["coffee.jpg"]?["verdict"] as? String == "clear", "the ledgered report stands")
        #expect(reportsAfter["coffee.jpg"]?["createdAt"] as? String == reportsBefore["coffee.jpg"]?["createdAt"] as? String)
        let ledger = try String(contentsOfFile: daemon.spool + "/reports/ledger.jsonl", encoding: .utf8)
        #expect(ledger.split(separator: "\n").count == 1)
    }

    @Test func aDeletedReportsFolderIsRecreatedAndTheFileFinishes() throws {
        let corpus = try RegisteredCorpus.get()
        let dir = try TempDir()
        let daemon = try RunningDaemon(corpus: corpus, keyDir: dir, config: """
            [scan]
            interval_seconds = 0.2
            """)
        try daemon.drop("before.txt", Array("a text before the folders go".utf8))
        try waitFor("first") { daemon.count("done") == 1 }
        try FileManager.default.removeItem(atPath: daemon.spool + "/reports")
        try FileManager.default.removeItem(atPath: daemon.spool + "/done")
        try daemon.drop("after.txt", Array("a text after the folders went".utf8))
        try waitFor("the folders back and the file done", seconds: 30) {
            daemon.count("done") == 1 && daemon.count("reports", suffix: ".json") == 1 && daemon.count("active") == 0
        }
        #expect(daemon.process.isRunning)
        let log = try String(contentsOfFile: daemon.log, encoding: .utf8)
        #expect(log.contains("spool folder was missing: recreated"))
    }
}

/// Pids of `hashmark worker` processes whose parent is `parent` (from /proc).
func workerPIDs(parent: Int32) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { Int32($0) }.filter { pid in
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 2, Int32(fields[1]) == parent else { return false }
        let cmdline = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        return String(decoding: cmdline, as: UTF8.self).contains("worker")
    }
}

func sha256Hex(_ bytes: [UInt8]) -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    let input = Pipe(), output = Pipe()
    p.standardInput = input
    p.standardOutput = output
    try? p.run()
    input.fileHandleForWriting.write(Data(bytes))
    try? input.fileHandleForWriting.close()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return String(text.prefix(64))
}

@Suite(.serialized, .timeLimit(.minutes(15))) struct HostileFileDaemonTests {
    @Test func everyHostileFileGetsExactlyOneSignedReportAndTheDaemonStaysUp() throws {
        let files = try HostileFiles.generate()
        #expect(files.count >= 500, "\(files.count) hostile files")
        #expect(Set(files.map(\.0)).count == files.count)
        let corpus = try RegisteredCorpus.get()
        let dir = try TempDir()
        let daemon = try RunningDaemon(corpus: corpus, keyDir: dir, config: """
            [limits]
            max_seconds = 5
            """)
        for (name, bytes) in files { try daemon.drop(name, bytes) }
        // A single 64 MiB line (text-too-long: over the 16 MiB text limit, under the file limit).
        let big = daemon.spool + "/inbox/.tmp/line"
        FileManager.default.createFile(atPath: big, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: big))
        for _ in 0..<63 { handle.write(Data(repeating: UInt8(ascii: "a"), count: 1 << 20)) }
        handle.write(Data(repeating: UInt8(ascii: "a"), count: (1 << 20) - 1))
        try handle.close()
        #expect(rename(big, daemon.inbox("single-line-64mib.txt")) == 0)
        let total = files.count + 1
        try waitFor("\(total) originals out of the inbox", seconds: 600) {
            daemon.count("done") + daemon.count("failed") == total
        }
        #expect(daemon.count("active") == 0 && daemon.count("inbox") == 0)
        #expect(daemon.process.isRunning)
        daemon.stop()
        let reports = try daemon.reports()
        #expect(reports.count == total, "one report per file")
        #expect(daemon.count("reports", suffix: ".json") == total)
        #expect((reports["single-line-64mib.txt"]?["error"] as? [String: Any])?["code"] as? String == "text-too-long")
        for (name, report) in reports {
            let sha = (report["subject"] as? [String: Any])?["sha256"] as? String
            #expect(sha != String(repeating: "0", count: 64), "\(name)")
            if let code = (report["error"] as? [String: Any])?["code"] as? String {
                #expect(code.range(of: "^[a-z][a-z0-9-]*$", options: .regularExpression) != nil, "\(name): \(code)")
            }
        }
        let verify = try CLI.run(["verify", "--pubkey", dir.path("keys/hashmark.pub.pem"), "--ledger", daemon.spool + "/reports"])
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(verify.stdout.contains("\(total) reports"))
    }
}
