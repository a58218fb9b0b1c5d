import Foundation
@_spi(Testing) import HashmarkDaemon
import Testing

/// The daemon against a real temporary spool, real inotify and the checksum test processor.
@Suite("SpoolDaemon", .timeLimit(.minutes(15)))
struct SpoolDaemonTests {
    @Test("files written in place and renamed in are each processed exactly once; dot-files ignored")
    func directAndRenamed() async throws {
        let h = DaemonHarness()
        try await h.start()
        try "hidden".write(toFile: h.path("inbox", ".partial"), atomically: false, encoding: .utf8)
        try "in tmp".write(toFile: h.path("inbox/.tmp", "leftover"), atomically: false, encoding: .utf8)
        try h.writeDirect("direct.txt", "written in place")
        try h.dropRenamed("renamed.txt", "INFRINGE renamed in")
        try await h.waitProcessed(2)
        try await h.stop()

        #expect(h.processed.map { $0.name.display }.sorted() == ["direct.txt", "renamed.txt"])
        let verdicts = Dictionary(uniqueKeysWithValues: h.processed.map { ($0.name.display, $0.outcome.verdictDescription) })
        #expect(verdicts["renamed.txt"] == "infringing")
        #expect(verdicts["direct.txt"] == "clear")
        #expect(h.visible("done") == ["direct.txt", "renamed.txt"])
        #expect(h.visible("active").isEmpty)
        #expect(h.reports().count == 2)
        // Dot-files and .tmp/ are the producer's: untouched.
        #expect(FileManager.default.fileExists(atPath: h.path("inbox", ".partial")))
        #expect(FileManager.default.fileExists(atPath: h.path("inbox/.tmp", "leftover")))
    }

    @Test("200 files dropped at once give 200 outcomes, every original in done/ or failed/")
    func burstOf200() async throws {
        let h = DaemonHarness()  // queue of 8: back-pressure leaves most files in inbox/ for a while
        try await h.start()
        for i in 0..<200 {
            let content = i % 10 == 0 ? "" : (i % 3 == 0 ? "INFRINGE \(i)" : "plain \(i)")
            if i % 2 == 0 { try h.dropRenamed("f\(i)", content) } else { try h.writeDirect("f\(i)", content) }
        }
        try await h.waitProcessed(200)
        try await h.stop()

        let names = h.processed.map { $0.name.display }
        #expect(Set(names).count == 200)
        #expect(names.count == 200)
        #expect(h.visible("done").count == 180)
        #expect(h.visible("failed").count == 20)
        #expect(h.visible("inbox").isEmpty)
        #expect(h.visible("active").isEmpty)
        #expect(h.reports().count == 200)
        #expect(h.processed.filter { $0.outcome.verdictDescription == "error(empty)" }.count == 20)
    }

    @Test("symlink, FIFO, directory are rejected to failed/ unread; odd names survive byte for byte")
    func hostileEntries() async throws {
        let h = DaemonHarness()
        try await h.start()
        #expect(symlink("/etc/passwd", h.path("inbox", "passwd-link")) == 0)
        #expect(mkfifo(h.path("inbox", "a-fifo"), 0o600) == 0)
        #expect(mkdir(h.path("inbox", "a-dir"), 0o700) == 0)
        try h.writeDirect("line\nbreak", "newline in name")
        let invalidUTF8: [UInt8] = Array("bad-".utf8) + [0xFF, 0xFE]
        let fd = (h.path("inbox") + "/").utf8CString.dropLast().map { UInt8(bitPattern: $0) } + invalidUTF8 + [0]
        let raw = fd.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { Glibc.open($0.baseAddress!, O_WRONLY | O_CREAT, 0o600) }
        }
        #expect(raw >= 0)
        _ = Glibc.write(raw, "x", 1)
        close(raw)
        try await h.waitProcessed(5)
        try await h.stop()

        let codes = Dictionary(uniqueKeysWithValues: h.processed.map { ($0.name.bytes, $0.outcome.verdictDescription) })
        #expect(codes[Array("passwd-link".utf8)] == "error(symlink)")
        #expect(codes[Array("a-fifo".utf8)] == "error(fifo)")
        #expect(codes[Array("a-dir".utf8)] == "error(directory)")
        #expect(codes[Array("line\nbreak".utf8)] == "clear")
        #expect(codes[invalidUTF8] == "clear")
        // Never opened: the processor only read the two regular files.
        #expect(Set(h.processor.opened) == [Array("line\nbreak".utf8), invalidUTF8])
        // Moved as they are: the symlink is still a symlink in failed/, pointing where it did.
        var st = stat()
        #expect(lstat(h.path("failed", "passwd-link"), &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK)
        #expect(lstat(h.path("failed", "a-fifo"), &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO)
        #expect(Set(h.list("done")) == [Array("line\nbreak".utf8), invalidUTF8])
        #expect(h.reports().count == 5)
    }

    @Test("a hard-linked file (another name of the same inode) is refused unread; the link target is untouched")
    func hardLinks() async throws {
        let h = DaemonHarness()
        let outside = h.path("outside-secret")
        try "secret kept elsewhere".write(toFile: outside, atomically: false, encoding: .utf8)
        try await h.start()
        #expect(link(outside, h.path("inbox", "linked")) == 0)
        try h.dropRenamed("plain", "an ordinary file")
        try await h.waitProcessed(2)
        try await h.stop()
        let verdicts = Dictionary(uniqueKeysWithValues: h.processed.map { ($0.name.display, $0.outcome.verdictDescription) })
        #expect(verdicts["linked"] == "error(hard-link)")
        #expect(verdicts["plain"] == "clear")
        #expect(Set(h.processor.opened) == [Array("plain".utf8)], "the hard link was never opened")
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "secret kept elsewhere")
    }

    @Test("the start-up warning reads fs.protected_hardlinks: 0 warns, 1 or 2 or an unreadable setting does not")
    func hardLinkProtectionSetting() throws {
        let dir = DaemonHarness.makeTempDir()
        for (content, warns) in [("0\n", true), ("1\n", false), ("2\n", false)] {
            try content.write(toFile: dir + "/setting", atomically: true, encoding: .utf8)
            #expect(SpoolDaemon.hardLinksUnprotected(setting: dir + "/setting") == warns, "\(content)")
        }
        #expect(!SpoolDaemon.hardLinksUnprotected(setting: dir + "/missing"))
    }

    @Test("files left in active/ by a crash are processed again first; the inbox backlog is claimed at start")
    func crashRecovery() async throws {
        let root = DaemonHarness.makeTempDir()
        for sub in ["inbox", "inbox/.tmp", "active"] { try FileManager.default.createDirectory(atPath: root + "/" + sub, withIntermediateDirectories: true) }
        for i in 0..<3 { try "left \(i)".write(toFile: "\(root)/active/crashed\(i)", atomically: false, encoding: .utf8) }
        for i in 0..<40 { try "waiting \(i)".write(toFile: "\(root)/inbox/queued\(i)", atomically: false, encoding: .utf8) }
        let h = DaemonHarness(root: root)
        try await h.start()
        try await h.waitProcessed(43)
        try await h.stop()
        #expect(h.processed.filter { $0.name.display.hasPrefix("crashed") }.count == 3)
        #expect(Set(h.processed.map(\.name)).count == 43)
        #expect(h.visible("done").count == 43)
        #expect(h.visible("active").isEmpty && h.visible("inbox").isEmpty)
        let recovered = try h.reports().map { try String(contentsOfFile: h.path("reports", $0), encoding: .utf8) }
            .filter { $0.contains("\"recovered\":true") }
        #expect(recovered.count == 3)
    }

    @Test("graceful shutdown mid-batch loses nothing and a restart finishes the batch")
    func gracefulShutdownMidBatch() async throws {
        let first = DaemonHarness()
        try await first.start()
        for i in 0..<30 { try first.dropRenamed("slow\(i)", "SLOW \(i)") }
        try await first.waitProcessed(3)
        try await first.stop()
        let doneFirst = first.processed.count
        #expect(first.sawStopping)
        #expect(first.visible("active").isEmpty)  // in-flight finished within grace, unstarted returned
        #expect(first.visible("done").count == doneFirst)
        #expect(first.visible("inbox").count == 30 - doneFirst)
        #expect(first.reports().count == doneFirst)

        let second = DaemonHarness(root: first.root)
        try await second.start()
        try await second.waitProcessed(30 - doneFirst)
        try await second.stop()
        let all = first.processed.map(\.name) + second.processed.map(\.name)
        #expect(all.count == 30 && Set(all).count == 30)
        #expect(second.visible("done").count == 30)
        #expect(second.reports().count == 30)
    }

    @Test("a computation over the time limit gets a timeout report; the abandoned work writes nothing")
    func timeout() async throws {
        let h = DaemonHarness { $0.limits.maxSeconds = 0.3 }
        try await h.start()
        try h.dropRenamed("spinner", "SPIN forever")
        try await h.waitProcessed(1)
        var ended = h.processor.spinEnded.stream.makeAsyncIterator()
        _ = await ended.next()  // the cancelled computation has returned
        try await h.stop()
        #expect(h.processed.first?.outcome.verdictDescription == "error(timeout)")
        #expect(h.visible("failed") == ["spinner"])
        let reports = h.reports()
        #expect(reports.count == 1)
        let body = try String(contentsOfFile: h.path("reports", reports[0]), encoding: .utf8)
        #expect(body.contains("error(timeout)"))
    }

    @Test("reload() swaps the index through the processor while the daemon keeps running")
    func reload() async throws {
        let h = DaemonHarness()
        try await h.start()
        h.daemon.reload()
        try await h.waitFor { if case .reloaded(let index) = $0 { index.snapshot == "test-2" } else { false } }
        try h.dropRenamed("after-reload", "x")
        try await h.waitProcessed(1)
        try await h.stop()
        #expect(h.visible("done") == ["after-reload"])
    }

    @Test("a second daemon on the same spool is refused")
    func spoolLock() async throws {
        let h = DaemonHarness()
        try await h.start()
        #expect(throws: DaemonError.self) { _ = try Spool(root: h.root) }
        try await h.stop()
    }
}
