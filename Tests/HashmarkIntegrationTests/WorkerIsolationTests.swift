import Foundation
import Testing

/// The daemon's worker processes: pre-emption, quarantine of poison files, one report per
/// original. Real `hashmark watch`, real workers; faults injected through the worker's test hooks
/// (`HASHMARK_WORKER_TEST_HOOKS=1`: a file starting `HASHMARK-TEST-HANG` spins, one starting
/// `HASHMARK-TEST-CRASH` aborts the worker).
@Suite(.serialized, .timeLimit(.minutes(15))) struct WorkerIsolationTests {
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

    @Test func deletedSpoolFoldersAreRecreatedButADeletedLedgerIsNeverRestartedSilently() throws {
        let corpus = try RegisteredCorpus.get()
        let dir = try TempDir()
        let config = """
            [scan]
            interval_seconds = 0.2
            """
        var daemon = try RunningDaemon(corpus: corpus, keyDir: dir, config: config)
        try daemon.drop("before.txt", Array("a text before the folders go".utf8))
        try waitFor("first") { daemon.count("done") == 1 }
        // done/ deleted: recreated, and the next file finishes.
        try FileManager.default.removeItem(atPath: daemon.spool + "/done")
        try daemon.drop("after.txt", Array("a text after done/ went".utf8))
        try waitFor("done/ back and the file done", seconds: 30) { daemon.count("done") == 1 && daemon.count("active") == 0 }
        #expect(try String(contentsOfFile: daemon.log, encoding: .utf8).contains("spool folder was missing: recreated"))
        // reports/ deleted with its ledger: the folder comes back, but the writer refuses to start a
        // new chain under the old one's feet; the file waits in active/ (not lost), the daemon says why.
        try FileManager.default.removeItem(atPath: daemon.spool + "/reports")
        try daemon.drop("third.txt", Array("a third text, after reports/ went".utf8))
        try waitFor("the refusal in the log", seconds: 30) {
            (try String(contentsOfFile: daemon.log, encoding: .utf8)).contains("ledger-shrank")
        }
        #expect(daemon.count("active") == 1)
        #expect(daemon.process.isRunning)
        daemon.stop()
        // An operator's restart starts the new chain; the waiting file finishes.
        daemon = try RunningDaemon(corpus: corpus, keyDir: dir, config: config)
        try waitFor("the waiting file after the restart", seconds: 30) { daemon.count("active") == 0 && daemon.count("done") == 2 }
        daemon.stop()
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
        // The figures for the record: how many files, and what they got.
        var outcomes: [String: Int] = [:]
        for report in reports.values {
            let key = (report["error"] as? [String: Any])?["code"] as? String ?? report["verdict"] as? String ?? "?"
            outcomes[key, default: 0] += 1
        }
        print("hostile files: \(total), reports: \(reports.count), outcomes: "
              + outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    }
}

@Suite(.serialized, .timeLimit(.minutes(15))) struct WorkerSandboxTests {
    @Test func aWorkerRunsSeccompFilteredWithItsLimitsAndWithoutTheKey() throws {
        let corpus = try RegisteredCorpus.get()
        let dir = try TempDir()
        let daemon = try RunningDaemon(corpus: corpus, keyDir: dir, config: """
            [limits]
            worker_memory_mib = 3000
            """)
        try daemon.drop("one.txt", Array("some text so that a worker starts".utf8))
        try waitFor("the file") { daemon.count("done") == 1 }
        let pid = daemon.process.processIdentifier
        let worker = try #require(workerPIDs(parent: pid).first)
        let status = try String(contentsOfFile: "/proc/\(worker)/status", encoding: .utf8)
        #expect(status.contains("Seccomp:\t2"), "filter mode")
        #expect(status.contains("NoNewPrivs:\t1"))
        let limits = try String(contentsOfFile: "/proc/\(worker)/limits", encoding: .utf8)
        let addressSpace = limits.split(separator: "\n").first { $0.hasPrefix("Max address space") }
        #expect(addressSpace?.contains("\(3000 << 20)") == true, "\(String(describing: addressSpace))")
        let oom = try String(contentsOfFile: "/proc/\(worker)/oom_score_adj", encoding: .utf8)
        #expect(oom.trimmingCharacters(in: .whitespacesAndNewlines) == "1000")
        // Its open files: the pipes, stderr — never the signing key, nor the corpus (read into memory
        // and closed before the sandbox: the daemon replaces workers when the corpus changes); an
        // empty environment but for the backtracer switch.
        let fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(worker)/fd")
        let targets = fds.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(worker)/fd/\($0)") }
        #expect(!targets.contains { $0.hasSuffix(".pem") }, "\(targets)")
        #expect(!targets.contains { $0.contains(".sqlite") || $0.hasPrefix("socket:") }, "\(targets)")
        let environ = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(worker)/environ"))) ?? Data()
        #expect(String(decoding: environ, as: UTF8.self) == "SWIFT_BACKTRACE=enable=no\0")
        daemon.stop()
    }

    /// As an unprivileged user (nobody), the daemon meets a file it may not read (mode 0600, owned
    /// by root): an `open-failed` report, the original in failed/, and the next file still done.
    @Test(.enabled(if: UnprivilegedDaemon.possible))
    func anUnreadableFileGetsAnOpenFailedReportWhenTheDaemonIsNotRoot() throws {
        let daemon = try UnprivilegedDaemon()
        // The producer (root) drops a file the daemon's user cannot read.
        #expect(FileManager.default.createFile(atPath: daemon.spool + "/inbox/.tmp/secret", contents: Data("private".utf8),
                                               attributes: [.posixPermissions: 0o600]))
        #expect(rename(daemon.spool + "/inbox/.tmp/secret", daemon.spool + "/inbox/secret.txt") == 0)
        try daemon.drop("copy.jpg", try Data(contentsOf: URL(fileURLWithPath: Corpus.image("scikit-image__chelsea"))))
        try waitFor("both files out of active/", seconds: 60) { daemon.count("failed") == 1 && daemon.count("done") == 1 }
        #expect(try daemon.codes() == ["secret.txt": "open-failed", "copy.jpg": "infringing"])
        #expect(daemon.count("active") == 0)
    }

    /// A sticky inbox full of files the daemon may not move (root's) ahead of one it may: the
    /// refused names are skipped with a backoff instead of hiding the file behind them.
    @Test(.enabled(if: UnprivilegedDaemon.possible))
    func unclaimableNamesNeitherStarveTheInboxNorSpin() throws {
        // Before the start, so that only scans (5 entries a pass here) can find them: a sticky inbox
        // owned by root (like /tmp), where the daemon may move only the files it owns.
        // No periodic rescan during the test: the start's one scan must find the file by itself.
        let daemon = try UnprivilegedDaemon(config: "[workers]\ncount = 1\nqueue = 1\n[scan]\ninterval_seconds = 60\n") { spool in
            try FileManager.default.createDirectory(atPath: spool + "/inbox/.tmp", withIntermediateDirectories: true)
            chown(spool, 65534, 65534)
            chown(spool + "/inbox/.tmp", 65534, 65534)
            for i in 0..<40 {
                FileManager.default.createFile(atPath: spool + "/inbox/root-\(i).txt", contents: Data("root's \(i)".utf8))
            }
            FileManager.default.createFile(atPath: spool + "/inbox/mine.txt", contents: Data("a file the daemon may move".utf8))
            chown(spool + "/inbox/mine.txt", 65534, 65534)
            chown(spool + "/inbox", 0, 0)
            chmod(spool + "/inbox", 0o1777)
        }
        try waitFor("the movable file done despite 40 refused ones", seconds: 30) { daemon.count("done") == 1 }
        Thread.sleep(forTimeInterval: 1)
        #expect(daemon.count("inbox") == 40, "the refused files stay where they are")
        // One pass over the whole inbox (not 5 names and give up), each refused name tried once.
        let refusals = daemon.log().components(separatedBy: "cannot claim; skipped for a while").count - 1
        #expect(refusals == 40, "\(refusals) refusal lines")
        #expect(daemon.isRunning)
    }
}

/// `hashmark watch` as nobody (uid 65534, through `setpriv`), on a copy of the test corpus and a
/// key it owns, in a world-writable temporary folder. Needs root to set up.
final class UnprivilegedDaemon {
    static var possible: Bool { geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") }
    let dir: TempDir
    let spool: String
    let logPath: String
    let process = Process()

    /// `prepare` runs (as root) on the spool path before the daemon starts.
    init(config: String? = nil, prepare: (String) throws -> Void = { _ in }) throws {
        let corpus = try RegisteredCorpus.get()
        dir = try TempDir()
        chmod(dir.url.path, 0o777)
        let db = dir.path("corpus.sqlite")
        try FileManager.default.copyItem(atPath: corpus.db, toPath: db)
        guard try CLI.run(["keygen", "--out", dir.path("keys")]).status == 0 else { throw CLIError("keygen failed") }
        for path in [db, dir.path("keys"), dir.path("keys/hashmark.key.pem"), dir.path("keys/hashmark.pub.pem")] {
            guard chown(path, 65534, 65534) == 0 else { throw CLIError("chown \(path) failed") }
        }
        spool = dir.path("spool")
        logPath = dir.path("daemon.log")
        FileManager.default.createFile(atPath: logPath, contents: nil)
        try prepare(spool)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", CLI.binary, "watch",
                             "--spool", spool, "--db", db, "--key", dir.path("keys/hashmark.key.pem")]
        if let config {
            try config.write(toFile: dir.path("d.toml"), atomically: true, encoding: .utf8)
            chmod(dir.path("d.toml"), 0o644)
            process.arguments! += ["--config", dir.path("d.toml")]
        }
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = FileHandle.nullDevice
        process.currentDirectoryURL = dir.url
        try process.run()
        try waitFor("ready") { self.log().contains(" ready ") }
    }

    deinit {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    var isRunning: Bool { process.isRunning }
    func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func count(_ folder: String) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool + "/" + folder)) ?? []).filter { !$0.hasPrefix(".") }.count
    }

    /// Writes under inbox/.tmp/ and renames in (as root; `owner` chowns it first).
    func drop(_ name: String, _ data: Data, owner: uid_t? = nil) throws {
        let tmp = spool + "/inbox/.tmp/" + UUID().uuidString
        try data.write(to: URL(fileURLWithPath: tmp))
        if let owner { chown(tmp, owner, owner) }
        guard rename(tmp, spool + "/inbox/" + name) == 0 else { throw CLIError("rename failed for \(name)") }
    }

    /// Error code (or verdict) per reported file name.
    func codes() throws -> [String: String] {
        var codes: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: spool + "/reports") where file.hasSuffix(".json") {
            guard let report = readJSON(spool + "/reports/" + file) else { continue }
            let name = (report["subject"] as? [String: Any])?["fileName"] as? String ?? "?"
            codes[name] = (report["error"] as? [String: Any])?["code"] as? String ?? report["verdict"] as? String
        }
        return codes
    }
}

/// Mounts a small tmpfs for a test and unmounts it after (root only; nil where mounting fails).
final class SmallFileSystem {
    let path: String
    init?(megabytes: Int) {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("hashmark-fs-\(UUID().uuidString)").path
        guard geteuid() == 0, (try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)) != nil,
              (try? CLI.shell(["mount", "-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path])) == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            return nil
        }
    }
    deinit {
        _ = try? CLI.shell(["umount", "-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension CLI {
    /// Runs a system command; its exit status.
    static func shell(_ args: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}

@Suite(.serialized, .timeLimit(.minutes(15))) struct WriteFailureTests {
    /// A full disk: the report cannot be written, the original waits in active/ (never lost), the
    /// log names the errno, `hashmark_healthy` drops to 0; with space back, the retry finishes it.
    @Test(.enabled(if: geteuid() == 0, "mounting a small tmpfs needs root"))
    func aFullDiskIsReportedAndRetriedUntilThereIsSpace() throws {
        let fs = try #require(SmallFileSystem(megabytes: 4), "mount -t tmpfs failed")
        let corpus = try RegisteredCorpus.get()
        let keys = try TempDir()
        #expect(try CLI.run(["keygen", "--out", keys.path("keys")]).status == 0)
        let spool = fs.path + "/spool"
        let log = keys.path("daemon.log")
        FileManager.default.createFile(atPath: log, contents: nil)
        try """
            [scan]
            interval_seconds = 0.2
            [metrics]
            listen = "127.0.0.1:0"
            """.write(toFile: keys.path("d.toml"), atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["watch", "--spool", spool, "--db", corpus.db, "--key", keys.path("keys/hashmark.key.pem"),
                             "--config", keys.path("d.toml")]
        process.standardError = FileHandle(forWritingAtPath: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() }; process.waitUntilExit() }
        func logText() -> String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
        try waitFor("ready") { logText().contains(" ready ") }
        let port = try #require(logText().firstMatch(of: /metrics=(\d+)/).map { String($0.1) })
        func count(_ folder: String) -> Int {
            ((try? FileManager.default.contentsOfDirectory(atPath: spool + "/" + folder)) ?? []).filter { !$0.hasPrefix(".") }.count
        }
        // Fill the file system, leaving room for the dropped file but not for its report.
        let text = Array(String(repeating: "a plain text that fits, ", count: 20).utf8)
        let filler = fs.path + "/filler"
        FileManager.default.createFile(atPath: filler, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: filler))
        while (try? handle.write(contentsOf: Data(repeating: 0, count: 64 << 10))) != nil {}
        try? handle.close()
        _ = try? CLI.shell(["truncate", "-s", "-\(text.count + 8192)", filler])
        try Data(text).write(to: URL(fileURLWithPath: spool + "/inbox/.tmp/t"))
        #expect(rename(spool + "/inbox/.tmp/t", spool + "/inbox/full.txt") == 0)
        try waitFor("the failed write in the log", seconds: 30) { logText().contains("No space left on device") }
        #expect(count("active") == 1 && count("done") == 0)
        let metrics = try #require(try CLI.curl("http://127.0.0.1:\(port)/metrics"))
        #expect(metrics.contains("hashmark_healthy 0"), "\(metrics.suffix(400))")
        // Space again: the retry (backing off from the 0.2 s interval) finishes the file.
        try FileManager.default.removeItem(atPath: filler)
        try waitFor("the file done after space came back", seconds: 60) { count("done") == 1 && count("active") == 0 }
        #expect(process.isRunning)
    }
}

extension CLI {
    /// GET over a plain socket (no curl needed); nil on failure.
    static func curl(_ url: String) throws -> String? {
        guard let components = URLComponents(string: url), let port = components.port else { return nil }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = UInt16(port).bigEndian
        sa.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { return nil }
        let request = Array("GET \(components.path) HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        return String(decoding: response, as: UTF8.self)
    }
}
