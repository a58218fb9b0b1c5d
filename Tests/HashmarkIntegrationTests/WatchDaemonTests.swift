import Foundation
import Testing

/// A real `hashmark watch` on a temporary spool, against the suite's registered corpus.
final class RunningDaemon {
    let spool: String
    let key: String
    let log: String
    let process = Process()

    /// - Parameters:
    ///   - config: TOML text for `--config` (limits, workers, scan interval).
    ///   - environment: added to the daemon's environment (e.g. `HASHMARK_WORKER_TEST_HOOKS`).
    convenience init(corpus: RegisteredCorpus, keyDir: TempDir, config: String? = nil, environment: [String: String] = [:]) throws {
        try self.init(db: corpus.db, keyDir: keyDir, config: config, environment: environment)
    }

    /// A daemon on the corpus database `db` (a SQLite path or a `postgresql://` URL), started in
    /// `directory` (default: the tests' own).
    init(db: String, keyDir: TempDir, config: String? = nil, environment: [String: String] = [:],
         directory: URL? = nil) throws {
        spool = keyDir.path("spool")
        key = keyDir.path("keys/hashmark.key.pem")
        log = keyDir.path("daemon.log")
        if !FileManager.default.fileExists(atPath: key) {
            let r = try CLI.run(["keygen", "--out", keyDir.path("keys")])
            guard r.status == 0 else { throw CLIFailure(result: r) }
        }
        FileManager.default.createFile(atPath: log, contents: nil)
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = ["watch", "--spool", spool, "--db", db, "--key", key]
        if let config {
            let path = keyDir.path("daemon.toml")
            try config.write(toFile: path, atomically: true, encoding: .utf8)
            process.arguments! += ["--config", path]
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        process.standardError = FileHandle(forWritingAtPath: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        try waitFor("ready") { (try? String(contentsOfFile: self.log, encoding: .utf8))?.contains(" ready ") == true }
    }

    func inbox(_ name: String) -> String { spool + "/inbox/" + name }

    /// Every signed report in reports/, parsed, by the subject's file name.
    func reports() throws -> [String: [String: Any]] {
        var byName: [String: [String: Any]] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: spool + "/reports") where file.hasSuffix(".json") {
            guard let report = readJSON(spool + "/reports/" + file) else { continue }
            byName[(report["subject"] as? [String: Any])?["fileName"] as? String ?? "?"] = report
        }
        return byName
    }
    func count(_ folder: String, suffix: String = "") -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: spool + "/" + folder)) ?? [])
            .filter { !$0.hasPrefix(".") && $0.hasSuffix(suffix) }.count
    }

    /// Drops a file the Maildir way: written under inbox/.tmp/, then renamed in.
    func drop(_ name: String, _ bytes: [UInt8]) throws {
        let tmp = spool + "/inbox/.tmp/" + UUID().uuidString
        try Data(bytes).write(to: URL(fileURLWithPath: tmp))
        guard rename(tmp, inbox(name)) == 0 else { throw CLIError("rename failed for \(name)") }
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    deinit { stop() }
}

struct CLIError: Error { let message: String; init(_ m: String) { message = m } }

func waitFor(_ what: String, seconds: Double = 120, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return }
        Thread.sleep(forTimeInterval: 0.05)
    }
    throw CLIError("timed out waiting for \(what)")
}

func readJSON(_ path: String) -> [String: Any]? {
    FileManager.default.contents(atPath: path).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
}

@Suite(.serialized, .timeLimit(.minutes(15))) struct WatchDaemonTests {
    static let media = CLI.repoRoot.appendingPathComponent("Tests/Fixtures/media")

    @Test func twoHundredMixedFilesGiveTwoHundredReportsAndAValidLedger() throws {
        let corpus = try RegisteredCorpus.get()
        let dir = try TempDir()
        let daemon = try RunningDaemon(corpus: corpus, keyDir: dir)
        let image = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Corpus.image("scikit-image__chelsea"))))
        let text = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Corpus.text("r-cran-tokenizers__mobydick_03"))))
        for i in 0..<200 {
            switch i % 4 {
            case 0: try daemon.drop("image-\(i).jpg", image)
            case 1: try daemon.drop("text-\(i).txt", Array(text.prefix(2000 + i)))
            case 2: try daemon.drop("garbage-\(i).bin", (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ i) } + [0])
            default: try daemon.drop("same-image-\(i).jpg", image)   // same bytes, other names: own reports
            }
        }
        try waitFor("200 originals in done/ or failed/") { daemon.count("done") + daemon.count("failed") == 200 }
        #expect(daemon.count("done") == 150)
        #expect(daemon.count("failed") == 50)
        #expect(daemon.count("reports", suffix: ".json") == 200)
        #expect(daemon.count("reports", suffix: ".json.sig") == 200)
        #expect(daemon.count("inbox") == 0 && daemon.count("active") == 0)
        daemon.stop()
        let verify = try CLI.run(["verify", "--pubkey", dir.path("keys/hashmark.pub.pem"), "--ledger", daemon.spool + "/reports"])
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(verify.stdout.contains("200 reports"))
    }

    @Test func hostileInputsEachGetAnErrorReportAndTheDaemonKeepsRunning() throws {
        let corpus = try RegisteredCorpus.get()
        let dir = try TempDir()
        let daemon = try RunningDaemon(corpus: corpus, keyDir: dir)
        func fixture(_ name: String) throws -> [UInt8] {
            try [UInt8](Data(contentsOf: Self.media.appendingPathComponent(name)))
        }
        let chelsea = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Corpus.image("scikit-image__chelsea"))))
        var expected: [String: String] = [:]   // inbox name → error code
        try daemon.drop("empty.jpg", []); expected["empty.jpg"] = "empty-file"
        try daemon.drop("truncated.jpg", Array(chelsea.prefix(chelsea.count / 2))); expected["truncated.jpg"] = "truncated"
        try daemon.drop("wrong-magic.png", fixture("png-magic-jpeg-body.png")); expected["wrong-magic.png"] = "corrupt-image"
        try daemon.drop("huge.png", fixture("huge-60000x60000.png")); expected["huge.png"] = "too-many-pixels"
        // A UTF-8 text ("café") damaged by a stray continuation byte and a cut-off sequence.
        let prose = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Corpus.text("r-cran-tokenizers__mobydick_03")))).prefix(600)
        try daemon.drop("bad-utf8.txt", Array(prose) + Array(" café ".utf8) + [0x80, 0x20, 0xE2, 0x82] + Array(prose))
        expected["bad-utf8.txt"] = "invalid-utf8"
        try daemon.drop("name\nwith newline.bin", [0, 1, 2, 3]); expected["name\\nwith newline.bin"] = "unknown-format"
        // 200 MB on one line: over the 64 MiB default limit, refused from its size.
        let big = daemon.spool + "/inbox/.tmp/big"
        FileManager.default.createFile(atPath: big, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: big))
        let chunk = Data(repeating: UInt8(ascii: "a"), count: 1 << 20)
        for _ in 0..<200 { handle.write(chunk) }
        try handle.close()
        #expect(rename(big, daemon.inbox("single-line.txt")) == 0); expected["single-line.txt"] = "file-too-large"
        #expect(symlink("/etc/passwd", daemon.inbox("passwd-link")) == 0); expected["passwd-link"] = "symlink"
        #expect(mkfifo(daemon.inbox("pipe"), 0o644) == 0); expected["pipe"] = "fifo"
        #expect(mkdir(daemon.inbox("folder"), 0o755) == 0); expected["folder"] = "directory"

        try waitFor("every hostile input in failed/") { daemon.count("failed") == expected.count }
        #expect(daemon.count("done") == 0)
        var codes: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: daemon.spool + "/reports") where file.hasSuffix(".json") {
            let report = try #require(readJSON(daemon.spool + "/reports/" + file))
            #expect(report["verdict"] as? String == "error")
            let name = (report["subject"] as? [String: Any])?["fileName"] as? String ?? "?"
            codes[name] = (report["error"] as? [String: Any])?["code"] as? String
        }
        #expect(codes == expected)
        // The symlink was moved, not followed: /etc/passwd is untouched and still a file.
        #expect(FileManager.default.fileExists(atPath: "/etc/passwd"))
        // Still running and still matching.
        try daemon.drop("after.jpg", chelsea)
        try waitFor("a normal file after the hostile ones") { daemon.count("done") == 1 }
        #expect(daemon.process.isRunning)
    }

    @Test func sigtermMidBatchLosesNothingAndARestartResumes() throws {
        let corpus = try RegisteredCorpus.get()
        let dir = try TempDir()
        var daemon = try RunningDaemon(corpus: corpus, keyDir: dir)
        let image = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Corpus.image("scipy__ascent"))))
        for i in 0..<80 { try daemon.drop("batch-\(i).jpg", image) }
        try waitFor("the batch to start") { daemon.count("done") > 0 }
        daemon.process.terminate()   // SIGTERM
        daemon.process.waitUntilExit()
        #expect(daemon.process.terminationStatus == 0, "graceful shutdown exits 0")
        let first = daemon.count("done")
        daemon = try RunningDaemon(corpus: corpus, keyDir: dir)
        try waitFor("all 80 after the restart") { daemon.count("done") == 80 }
        #expect(first <= 80)
        #expect(daemon.count("reports", suffix: ".json") == 80)
        #expect(daemon.count("inbox") == 0 && daemon.count("active") == 0 && daemon.count("failed") == 0)
        daemon.stop()
        let verify = try CLI.run(["verify", "--pubkey", dir.path("keys/hashmark.pub.pem"), "--ledger", daemon.spool + "/reports"])
        #expect(verify.status == 0, "\(verify.stdout)")
    }

    @Test func aCorpusChangedOnDiskIsPickedUpWithoutARestart() throws {
        let dir = try TempDir()
        let db = dir.path("live.sqlite")
        #expect(try CLI.run(["corpus", "add", "--db", db, Corpus.image("scikit-image__chelsea")]).status == 0)
        let daemon = try RunningDaemon(corpus: RegisteredCorpus(dir: dir.url.path, db: db), keyDir: dir)
        let coffee = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Corpus.image("scikit-image__coffee"))))
        try daemon.drop("before.jpg", coffee)
        try waitFor("the first copy") { daemon.count("done") == 1 }
        #expect(try CLI.run(["corpus", "add", "--db", db, Corpus.image("scikit-image__coffee")]).status == 0)
        Thread.sleep(forTimeInterval: 5.5)   // EngineProcessor.snapshotCheckInterval
        try daemon.drop("after.jpg", coffee)
        try waitFor("the second copy") { daemon.count("done") == 2 }
        var verdicts: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: daemon.spool + "/reports") where file.hasSuffix(".json") {
            let report = try #require(readJSON(daemon.spool + "/reports/" + file))
            let name = (report["subject"] as? [String: Any])?["fileName"] as? String ?? "?"
            verdicts[name] = report["verdict"] as? String
        }
        #expect(verdicts == ["before.jpg": "clear", "after.jpg": "infringing"])
    }

    /// 20 SIGKILL rounds with a poison file (hanging or crashing its worker) every 4th file.
    @Test func crashSoakLosesNothingOverTwentyKillRounds() throws {
        let corpus = try RegisteredCorpus.get()
        let dir = try TempDir()
        _ = try CLI.run(["keygen", "--out", dir.path("keys")])
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [CLI.repoRoot.appendingPathComponent("Scripts/soak-crash.sh").path, "20", "8"]
        p.environment = ProcessInfo.processInfo.environment.merging([
            "HASHMARK_BIN": CLI.binary, "SOAK_DB": corpus.db, "SOAK_KEY": dir.path("keys/hashmark.key.pem"),
            "SOAK_POISON": "4",
        ]) { $1 }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(output.suffix(3000))")
    }
}
