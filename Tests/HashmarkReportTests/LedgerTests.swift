import Foundation
import HashmarkPrimitives
import HashmarkReport
import Testing

@Suite("Writer and ledger", .timeLimit(.minutes(15)))
struct LedgerTests {
    struct Setup {
        let dir: String
        let pair: KeyPair
        let writer: ReportWriter
        var ledgerPath: String { dir + "/ledger.jsonl" }

        init() throws {
            dir = try makeTempDirectory() + "/reports"
            pair = try KeyPair.generate()
            writer = try ReportWriter(directory: dir, signingKey: pair.signingKey)
        }

        func lines() throws -> [String] {
            String(decoding: try readBytes(ledgerPath), as: UTF8.self).split(separator: "\n").map(String.init)
        }

        func writeLines(_ lines: [String]) throws {
            try writeBytes(Array((lines.joined(separator: "\n") + "\n").utf8), ledgerPath)
        }

        func ledgerFailure() -> String? {
            switch ReportVerifier.verifyLedger(directory: dir, publicKey: pair.publicKey) {
            case .valid: return nil
            case .invalid(let failure), .unusable(let failure): return failure.code
            }
        }
    }

    static func writeThree(_ s: Setup) throws -> [ReportWriter.Written] {
        try (1...3).map { try s.writer.write(sampleReport(id: "report-\($0)", fileName: "file-\($0).png")) }
    }

    @Test func chainLinksReportsAndLedger() throws {
        let s = try Setup()
        defer { removeDirectory(s.dir) }
        let written = try Self.writeThree(s)
        #expect(written[0].report.previousReportSha256 == VerdictReport.genesisHash)
        #expect(written[1].report.previousReportSha256 == written[0].sha256)
        #expect(written[2].report.previousReportSha256 == written[1].sha256)
        #expect(SHA256.hex(try readBytes(written[2].reportPath)) == written[2].sha256)
        let lines = try s.lines()
        #expect(lines.count == 3)
        #expect(lines[1] == #"{"previous":"\#(written[0].sha256)","reportId":"report-2","sha256":"\#(written[1].sha256)"}"#)
        guard case .valid(let summary) = ReportVerifier.verifyLedger(directory: s.dir, publicKey: s.pair.publicKey) else {
            Issue.record("fresh ledger did not verify"); return
        }
        // Each commit checkpointed the ledger as it stood before it (counts 1 and 2).
        #expect(summary == LedgerSummary(entries: 3, reports: 3, superseded: 0, head: written[2].sha256,
                                         checkpoints: 2, checkpointed: 2))
        // No temporary files remain.
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.dir).filter { $0.hasPrefix(".") } == [])
    }

    @Test func tamperingIsDetected() throws {
        let s = try Setup()
        defer { removeDirectory(s.dir) }
        let written = try Self.writeThree(s)
        let original = try s.lines()

        try s.writeLines([original[0], original[2]])  // a line removed
        #expect(s.ledgerFailure() == "ledger-chain")
        try s.writeLines([original[1], original[0], original[2]])  // reordered
        #expect(s.ledgerFailure() == "ledger-chain")
        try s.writeLines([original[0], original[1]])  // last line removed: its report is now unledgered
        #expect(s.ledgerFailure() == "unledgered-report")
        try s.writeLines([original[0], original[1], original[2].replacingOccurrences(of: "report-3", with: "report-9")])
        #expect(s.ledgerFailure() == "report-missing")
        try writeBytes(Array((original.joined(separator: "\n")).utf8), s.ledgerPath)  // torn last line
        #expect(s.ledgerFailure() == "ledger-syntax")
        try writeBytes(Array((original.joined(separator: "\n\n") + "\n").utf8), s.ledgerPath)
        #expect(s.ledgerFailure() == "ledger-syntax")
        try s.writeLines(original)
        #expect(s.ledgerFailure() == nil)

        // An altered report (one byte) is caught by its hash.
        var bytes = try readBytes(written[1].reportPath)
        let saved = bytes
        bytes[bytes.count / 2] ^= 0x01
        try writeBytes(bytes, written[1].reportPath)
        #expect(s.ledgerFailure() == "report-altered")
        try writeBytes(saved, written[1].reportPath)

        // A report deleted.
        try FileManager.default.moveItem(atPath: written[0].reportPath, toPath: s.dir + "/../moved")
        #expect(s.ledgerFailure() == "report-missing")
        try FileManager.default.moveItem(atPath: s.dir + "/../moved", toPath: written[0].reportPath)

        // A report's signature replaced by another report's.
        try writeBytes(try readBytes(written[2].signaturePath), written[0].signaturePath)
        #expect(s.ledgerFailure() == "signature-mismatch")
        #expect(ReportVerifier.verifyLedger(directory: s.dir).exitCode == 0)  // without a key, signatures are not checked
    }

    @Test func rewritingAnIdenticalReportAddsNoLine() throws {
        let s = try Setup()
        defer { removeDirectory(s.dir) }
        let written = try Self.writeThree(s)
        let before = try s.lines()
        let again = try s.writer.write(sampleReport(id: "report-1", fileName: "file-1.png"))
        #expect(!again.appendedToLedger)
        #expect(again.sha256 == written[0].sha256)
        #expect(try s.lines() == before)

        // Crash recovery: the signature file was lost; re-running restores it without a new line.
        try FileManager.default.removeItem(atPath: written[1].signaturePath)
        let restored = try ReportWriter(directory: s.dir, signingKey: s.pair.signingKey)
            .write(sampleReport(id: "report-2", fileName: "file-2.png"))
        #expect(!restored.appendedToLedger)
        #expect(s.ledgerFailure() == nil)

        // Different content under the same id: a new version, appended; the old line is superseded.
        let changed = try s.writer.write(sampleReport(id: "report-1", createdAt: "2026-02-01T00:00:00Z", fileName: "file-1.png"))
        #expect(changed.appendedToLedger)
        #expect(changed.report.previousReportSha256 == written[2].sha256)
        guard case .valid(let summary) = ReportVerifier.verifyLedger(directory: s.dir, publicKey: s.pair.publicKey) else {
            Issue.record("ledger with a superseded line did not verify"); return
        }
        #expect(summary.entries == 4 && summary.reports == 3 && summary.superseded == 1)
    }

    @Test func tornAppendIsRepairedByTheNextWrite() throws {
        let s = try Setup()
        defer { removeDirectory(s.dir) }
        _ = try Self.writeThree(s)
        let lines = try s.lines()
        let torn = Array((lines.joined(separator: "\n") + "\n").utf8) + Array(#"{"previous":"00"#.utf8)
        try writeBytes(torn, s.ledgerPath)
        let writer = try ReportWriter(directory: s.dir, signingKey: s.pair.signingKey)
        let fourth = try writer.write(sampleReport(id: "report-4"))
        #expect(fourth.appendedToLedger)
        #expect(try s.lines().count == 4)
        #expect(s.ledgerFailure() == nil)
    }

    @Test func refusesToExtendABrokenChain() throws {
        let s = try Setup()
        defer { removeDirectory(s.dir) }
        _ = try Self.writeThree(s)
        let lines = try s.lines()
        try s.writeLines([lines[1], lines[0], lines[2]])
        let error = #expect(throws: ReportError.self) {
            try ReportWriter(directory: s.dir, signingKey: s.pair.signingKey).write(sampleReport(id: "report-4"))
        }
        #expect(error?.code == .ledger)
    }

    @Test func concurrentWritersProduceOneValidChain() async throws {
        let s = try Setup()
        defer { removeDirectory(s.dir) }
        let writer = s.writer
        let second = try ReportWriter(directory: s.dir, signingKey: s.pair.signingKey)  // same dir, own cache
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    _ = try (index.isMultiple(of: 2) ? writer : second).write(sampleReport(id: "concurrent-\(index)"))
                }
            }
            try await group.waitForAll()
        }
        #expect(try s.lines().count == 40)
        guard case .valid(let summary) = ReportVerifier.verifyLedger(directory: s.dir, publicKey: s.pair.publicKey) else {
            Issue.record("concurrent ledger did not verify"); return
        }
        #expect(summary.reports == 40 && summary.superseded == 0)
    }

    @Test func rejectsUnsafeReportIds() throws {
        let s = try Setup()
        defer { removeDirectory(s.dir) }
        let error = #expect(throws: ReportError.self) { try s.writer.write(sampleReport(id: "../../etc/passwd")) }
        #expect(error?.code == .invalidReportId)
        #expect(ReportVerifier.verifyLedger(directory: s.dir).exitCode == 2)  // nothing written, no ledger
    }
}
