import Foundation
import HashmarkPrimitives
import HashmarkReport
import Testing

/// `ReportWriter.write(batch:)`: the group commit the daemon uses.
@Suite("Writer group commit", .timeLimit(.minutes(15)))
struct BatchWriteTests {
    @Test func batchChainsInOrderAndFailsOnlyTheBadReport() throws {
        let s = try LedgerTests.Setup()
        defer { removeDirectory(s.dir) }
        let first = try s.writer.write(sampleReport(id: "report-0", fileName: "file-0.png"))
        let batch = [sampleReport(id: "report-1", fileName: "file-1.png"),
                     sampleReport(id: "../escape", fileName: "bad.png"),
                     sampleReport(id: "report-2", fileName: "file-2.png"),
                     sampleReport(id: "report-3", fileName: "file-3.png")]
        let results = s.writer.write(batch: batch)
        #expect(results.count == 4)
        guard case .failure(let error) = results[1] else { Issue.record("invalid id was written"); return }
        #expect(error.code == .invalidReportId)
        let written = try [results[0], results[2], results[3]].map { try $0.get() }
        #expect(written[0].report.previousReportSha256 == first.sha256)
        #expect(written[1].report.previousReportSha256 == written[0].sha256)
        #expect(written[2].report.previousReportSha256 == written[1].sha256)
        #expect(written.allSatisfy { $0.appendedToLedger })
        for item in written {
            #expect(SHA256.hex(try readBytes(item.reportPath)) == item.sha256)
            #expect(try opensslVerifies(publicKeyPath: try publicKeyFile(s), messagePath: item.reportPath,
                                        signaturePath: item.signaturePath))
        }
        #expect(try s.lines().count == 4)
        guard case .valid(let summary) = ReportVerifier.verifyLedger(directory: s.dir, publicKey: s.pair.publicKey) else {
            Issue.record("ledger after a batch did not verify"); return
        }
        #expect(summary == LedgerSummary(entries: 4, reports: 4, superseded: 0, head: written[2].sha256,
                                         checkpoints: 1, checkpointed: 1))
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.dir).filter { $0.hasPrefix(".") } == [])
    }

    /// A crash re-run hands the same report again (here in a batch beside a new one): it is not
    /// ledgered twice, and a deleted signature is repaired.
    @Test func identicalRerunInABatchAddsNoLine() throws {
        let s = try LedgerTests.Setup()
        defer { removeDirectory(s.dir) }
        let original = try s.writer.write(sampleReport(id: "report-a", fileName: "a.png"))
        try FileManager.default.removeItem(atPath: original.signaturePath)
        let results = s.writer.write(batch: [sampleReport(id: "report-a", fileName: "a.png"),
                                             sampleReport(id: "report-b", fileName: "b.png")])
        let again = try results[0].get()
        let fresh = try results[1].get()
        #expect(!again.appendedToLedger && again.sha256 == original.sha256)
        #expect(fresh.appendedToLedger && fresh.report.previousReportSha256 == original.sha256)
        #expect(FileManager.default.fileExists(atPath: original.signaturePath))
        #expect(try s.lines().count == 2)
        #expect(s.ledgerFailure() == nil)
    }

    /// The writer keeps the ledger's head and each id's latest line between batches instead of
    /// re-reading the file: re-runs are still recognised after many batches, and after another
    /// writer (another process) appended, the file is read again.
    @Test func ledgerStateCarriesAcrossBatchesAndOtherWriters() throws {
        let s = try LedgerTests.Setup()
        defer { removeDirectory(s.dir) }
        var last = ""
        for b in 0..<20 {
            let results = s.writer.write(batch: (0..<3).map { sampleReport(id: "r-\(b)-\($0)", fileName: "f-\(b)-\($0).png") })
            let written = try results.map { try $0.get() }
            #expect(written.allSatisfy { $0.appendedToLedger })
            if !last.isEmpty { #expect(written[0].report.previousReportSha256 == last) }
            last = written[2].sha256
        }
        let early = try s.writer.write(sampleReport(id: "r-0-1", fileName: "f-0-1.png"))
        #expect(!early.appendedToLedger)

        let other = try ReportWriter(directory: s.dir, signingKey: s.pair.signingKey)
        let foreign = try other.write(sampleReport(id: "from-other", fileName: "other.png"))
        #expect(foreign.appendedToLedger && foreign.report.previousReportSha256 == last)
        let rerun = try s.writer.write(sampleReport(id: "from-other", fileName: "other.png"))
        #expect(!rerun.appendedToLedger && rerun.sha256 == foreign.sha256)
        let next = try s.writer.write(sampleReport(id: "after", fileName: "after.png"))
        #expect(next.report.previousReportSha256 == foreign.sha256)
        #expect(try s.lines().count == 62)
        #expect(s.ledgerFailure() == nil)
    }

    private func publicKeyFile(_ s: LedgerTests.Setup) throws -> String {
        let path = s.dir + "/../public.pem"
        try writeBytes(try s.pair.publicKey.pem(), path)
        return path
    }
}
