import Foundation
@_spi(Testing) import HashmarkDocument
import Testing

/// The child-process runner on its own, with ordinary programs standing in for Poppler.
@Suite(.timeLimit(.minutes(15))) struct PDFLimitedProcessTests {
    let caps = LimitedProcess.Limits(seconds: 10, memoryBytes: 512 << 20, fileBytes: 4096, maxOutputBytes: 1 << 20)

    @Test func theChildRunsUnderItsResourceLimits() throws {
        let output = try LimitedProcess(path: "/bin/cat").run(["/proc/self/limits"], limits: caps)
        #expect(output.exitStatus == 0)
        let rows = String(decoding: output.stdout, as: UTF8.self).split(whereSeparator: \.isNewline)
        func soft(_ name: String) -> String? {
            rows.first { $0.hasPrefix(name) }.flatMap { $0.dropFirst(name.count).split(separator: " ").first.map(String.init) }
        }
        #expect(soft("Max address space") == String(512 << 20))
        #expect(soft("Max file size") == "4096")
        #expect(soft("Max core file size") == "0")
        #expect(soft("Max cpu time") == "10")
    }

    @Test func onlyTheThreeStandardDescriptorsReachTheChild() throws {
        let output = try LimitedProcess(path: "/bin/ls").run(["/proc/self/fd"], limits: caps)
        let fds = String(decoding: output.stdout, as: UTF8.self).split(whereSeparator: \.isNewline).compactMap { Int($0) }
        // ls's own descriptor for the directory it lists is the one above 2.
        #expect(fds.filter { $0 > 2 }.count == 1)
        #expect(fds.prefix(3) == [0, 1, 2])
    }

    @Test func exitStatusAndStandardErrorComeBackAndTheChildIsReaped() throws {
        let output = try LimitedProcess(path: "/bin/sh").run(["-c", "echo out; echo oops >&2; exit 3"], limits: caps)
        #expect(output.exitStatus == 3)
        #expect(output.stdout == Array("out\n".utf8))
        #expect(output.errorExcerpt == "oops")
        #expect(kill(output.pid, 0) != 0 && errno == ESRCH)
    }

    @Test func standardErrorIsKeptOnlyUpToItsCap() throws {
        let output = try LimitedProcess(path: "/bin/sh").run(["-c", "head -c 100000 /dev/zero >&2"], limits: caps)
        #expect(output.exitStatus == 0)
        #expect(output.stderr.count == caps.maxErrorBytes)
    }

    @Test func outputPastTheCapKillsTheChild() throws {
        var small = caps
        small.maxOutputBytes = 1000
        let started = Date()
        #expect(throws: DocumentError(.tooLarge, "yes printed more than 1000 bytes")) {
            try LimitedProcess(path: "/usr/bin/yes").run([], limits: small)
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func aSpinningChildThatClosedItsPipesIsKilledAtTheDeadline() throws {
        var short = caps
        short.seconds = 0.5
        let started = Date()
        #expect(throws: DocumentError(.timeout, "sh ran past 0.5 s and was killed")) {
            try LimitedProcess(path: "/bin/sh").run(["-c", "exec >&- 2>&-; while :; do :; done"], limits: short)
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func aProgramThatCannotStartIsUnavailable() throws {
        let directory = try PDFFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Executable by its mode, but neither ELF nor a script: execve itself fails (ENOEXEC).
        let garbage = directory.appendingPathComponent("garbage")
        try Data([0x00, 0x01, 0x02, 0x03]).write(to: garbage)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: garbage.path)
        for path in ["/nonexistent/pdftotext", "/etc/hostname", garbage.path] {
            do {
                _ = try LimitedProcess(path: path).run([], limits: caps)
                Issue.record("\(path) ran")
            } catch {
                #expect(error.code == .extractorUnavailable, "\(path): \(error)")
            }
        }
    }
}
