import Foundation
import HashmarkReport
import Testing

/// Signed checkpoints (`checkpoints.tsv`) and the writer refusing a ledger that shrank or was
/// rewritten under it.
@Suite("Ledger checkpoints and integrity", .timeLimit(.minutes(15)))
struct CheckpointTests {
    typealias Setup = LedgerTests.Setup

    static func checkpointLines(_ s: Setup) throws -> [String] {
        String(decoding: try readBytes(s.dir + "/" + LedgerCheckpoint.fileName), as: UTF8.self)
            .split(separator: "\n").map(String.init)
    }

    static func writeCheckpointLines(_ s: Setup, _ lines: [String]) throws {
        try writeBytes(Array((lines.joined(separator: "\n") + "\n").utf8), s.dir + "/" + LedgerCheckpoint.fileName)
    }

    /// Three reports, then an explicit checkpoint: checkpoints for counts 1, 2 (made by the
    /// commits, one batch behind) and 3.
    static func writeThreeAndCheckpoint(_ s: Setup) throws -> [ReportWriter.Written] {
        let written = try LedgerTests.writeThree(s)
        try s.writer.checkpoint()
        return written
    }

    @Test func commitsCheckpointTheLedgerAndExposeItsHead() throws {
        let s = try Setup()
        defer { removeDirectory(s.dir) }
        #expect(s.writer.ledgerPosition == nil)
        let written = try LedgerTests.writeThree(s)
        #expect(written[0].ledger == .init(head: written[0].sha256, count: 1, checkpointed: 0))
        #expect(written[2].ledger == .init(head: written[2].sha256, count: 3, checkpointed: 2))
        #expect(written[2].ledger.description == "ledger head \(written[2].sha256), count 3, checkpointed 2")
        let position = try s.writer.checkpoint()
        #expect(position == .init(head: written[2].sha256, count: 3, checkpointed: 3))
        #expect(s.writer.ledgerPosition == position)
        #expect(try s.writer.checkpoint() == position)  // already covered: no new line

        let lines = try Self.checkpointLines(s)
        #expect(lines.count == 3)
        let parsed = try lines.enumerated().map { try LedgerCheckpoint.parse(line: ArraySlice($0.element.utf8), number: $0.offset + 1) }
        #expect(parsed.map(\.checkpoint.count) == [1, 2, 3])
        #expect(parsed.map(\.checkpoint.head) == written.map(\.sha256))
        #expect(parsed.allSatisfy { $0.verifies(with: s.pair.publicKey) && $0.checkpoint.keyId == s.pair.publicKey.keyId })
        #expect(lines[0].hasPrefix(#"{"count":1,"format":"hashmark.checkpoint/1","head":"\#(written[0].sha256)","keyId":""#))

        guard case .valid(let summary) = ReportVerifier.verifyLedger(directory: s.dir, publicKey: s.pair.publicKey) else {
            Issue.record("checkpointed ledger did not verify"); return
        }
        #expect(summary == LedgerSummary(entries: 3, reports: 3, superseded: 0, head: written[2].sha256,
                                         checkpoints: 3, checkpointed: 3))
    }

    /// The README's recipe, run by `sh`: cut the line at the tab, decode the base64, `openssl pkeyutl`.
    @Test func checkpointVerifiesWithThePlainOpenSSLCommandLine() throws {
        let s = try Setup()
        defer { removeDirectory(s.dir) }
        _ = try Self.writeThreeAndCheckpoint(s)
        let pem = s.dir + "/../hashmark.pub.pem"
        try writeBytes(try s.pair.publicKey.pem(), pem)
        guard let opensslPath else { Issue.record("openssl is not installed"); return }
        let script = """
            set -e
            cd "$1"
            tail -n 1 checkpoints.tsv | cut -f1 | tr -d '\\n' > checkpoint.json
            tail -n 1 checkpoints.tsv | cut -f2 | base64 -d > checkpoint.sig
            "$2" pkeyutl -verify -pubin -inkey "$3" -rawin -in checkpoint.json -sigfile checkpoint.sig
            """
        func run(_ dir: String) throws -> (Int32, String) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", script, "sh", dir, opensslPath, pem]
            let pipe = Pipe()
            p.standardOutput = pipe
            p.standardError = pipe
            try p.run()
            let out = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: out, as: UTF8.self))
        }
        let good = try run(s.dir)
        #expect(good.0 == 0 && good.1.contains("Signature Verified Successfully"), "\(good.1)")
        #expect(try readBytes(s.dir + "/checkpoint.json") == Array(try Self.checkpointLines(s)[2].split(separator: "\t")[0].utf8))

        // One changed digit in the signed JSON: openssl refuses.
        var lines = try Self.checkpointLines(s)
        lines[2] = lines[2].replacingOccurrences(of: #"{"count":3,"#, with: #"{"count":2,"#)
        try Self.writeCheckpointLines(s, lines)
        let bad = try run(s.dir)
        #expect(bad.0 != 0 && !bad.1.contains("Signature Verified Successfully"))
        // Keep the scratch files out of the report folder's own check.
        try FileManager.default.removeItem(atPath: s.dir + "/checkpoint.json")
        try FileManager.default.removeItem(atPath: s.dir + "/checkpoint.sig")
    }

    @Test func ledgerTruncatedBelowACheckpointIsInvalid() throws {
        let s = try Setup()
        defer { removeDirectory(s.dir) }
        let written = try Self.writeThreeAndCheckpoint(s)
        let lines = try s.lines()
        try s.writeLines(Array(lines.prefix(2)))
        #expect(s.ledgerFailure() == "ledger-truncated")
        // The last line removed together with its report and signature: the chain alone cannot
        // tell, the checkpoint can.
        try FileManager.default.removeItem(atPath: written[2].reportPath)
        try FileManager.default.removeItem(atPath: written[2].signaturePath)
        #expect(s.ledgerFailure() == "ledger-truncated")
        try s.writeLines(Array(lines.prefix(1)))
        #expect(s.ledgerFailure() == "ledger-truncated")
        // Without the key, the count and head are still checked.
        #expect(ReportVerifier.verifyLedger(directory: s.dir).exitCode == 1)
        // Deleted outright: not merely unreadable.
        try FileManager.default.removeItem(atPath: s.ledgerPath)
        #expect(s.ledgerFailure() == "ledger-truncated")
    }

    @Test func damagedOrForeignCheckpointsAreInvalid() throws {
        let s = try Setup()
        defer { removeDirectory(s.dir) }
        let written = try Self.writeThreeAndCheckpoint(s)
        let original = try Self.checkpointLines(s)
        func failure(after lines: [String]) throws -> String? {
            try Self.writeCheckpointLines(s, lines)
            return s.ledgerFailure()
        }
        // A signature with one bit changed (still 64 bytes of base64).
        let parts = original[1].split(separator: "\t").map(String.init)
        var signature = [UInt8](Data(base64Encoded: parts[1]) ?? Data())
        signature[10] ^= 0x01
        let flipped = parts[0] + "\t" + Data(signature).base64EncodedString()
        #expect(try failure(after: [original[0], flipped, original[2]]) == "checkpoint-signature")
        // The signed JSON changed (count 2 → 1): the signature no longer covers it.
        let recounted = original[1].replacingOccurrences(of: #"{"count":2,"#, with: #"{"count":1,"#)
        #expect(try failure(after: [original[0], recounted, original[2]]) == "checkpoint-signature")
        // Correctly signed with our key, but about a head the ledger does not have.
        let forged = try LedgerCheckpoint(count: 2, head: written[0].sha256, keyId: s.pair.publicKey.keyId,
                                          time: "2026-01-31T12:00:00Z").line(signedBy: s.pair.signingKey)
        let forgedLine = String(decoding: forged.dropLast(), as: UTF8.self)
        #expect(try failure(after: [original[0], forgedLine, original[2]]) == "checkpoint-mismatch")
        // Signed by another key.
        let other = try KeyPair.generate()
        let foreign = try LedgerCheckpoint(count: 3, head: written[2].sha256, keyId: other.publicKey.keyId,
                                           time: "2026-01-31T12:00:00Z").line(signedBy: other.signingKey)
        #expect(try failure(after: original + [String(decoding: foreign.dropLast(), as: UTF8.self)]) == "checkpoint-key-id-mismatch")
        // Going backwards, malformed, torn.
        #expect(try failure(after: [original[0], original[2], original[1]]) == "checkpoint-order")
        #expect(try failure(after: original + ["not a checkpoint"]) == "checkpoint-syntax")
        try writeBytes(Array((original.joined(separator: "\n") + "\n" + original[2].prefix(40)).utf8),
                       s.dir + "/" + LedgerCheckpoint.fileName)
        #expect(s.ledgerFailure() == "checkpoint-syntax")
        #expect(try failure(after: original) == nil)
    }

    /// A crash mid-append leaves a torn checkpoint line; the next commit cuts it and appends.
    @Test func tornCheckpointLineIsRepairedByTheNextWrite() throws {
        let s = try Setup()
        defer { removeDirectory(s.dir) }
        let original = try LedgerTests.writeThree(s)
        let path = s.dir + "/" + LedgerCheckpoint.fileName
        let lines = try Self.checkpointLines(s)
        try writeBytes(Array((lines.joined(separator: "\n") + "\n" + lines[1].prefix(50)).utf8), path)
        let writer = try ReportWriter(directory: s.dir, signingKey: s.pair.signingKey)
        _ = try writer.write(sampleReport(id: "report-4"))
        #expect(try Self.checkpointLines(s).count == 3)
        #expect(s.ledgerFailure() == nil)
        #expect(original.count == 3)
    }

    @Test func writerRefusesALedgerThatShrankUnderItAndLeavesItUntouched() throws {
        let s = try Setup()
        defer { removeDirectory(s.dir) }
        _ = try LedgerTests.writeThree(s)
        let lines = try s.lines()
        try s.writeLines(Array(lines.prefix(2)))
        let before = try readBytes(s.ledgerPath)
        let error = #expect(throws: ReportError.self) { try s.writer.write(sampleReport(id: "report-4")) }
        #expect(error?.code == .ledgerShrank)
        #expect(error.map { $0.code.rawValue } == "ledger-shrank")
        #expect(try readBytes(s.ledgerPath) == before)
        #expect(!FileManager.default.fileExists(atPath: s.dir + "/report-4.json"))
        // A batch fails as a whole, and a checkpoint is refused too.
        let results = s.writer.write(batch: [sampleReport(id: "report-5"), sampleReport(id: "report-6")])
        #expect(results.allSatisfy { if case .failure(let e) = $0 { e.code == .ledgerShrank } else { false } })
        #expect((try? s.writer.checkpoint()) == nil)
        #expect(try readBytes(s.ledgerPath) == before)

        // Deleted outright: refused, not started again from genesis.
        try FileManager.default.removeItem(atPath: s.ledgerPath)
        let deleted = #expect(throws: ReportError.self) { try s.writer.write(sampleReport(id: "report-4")) }
        #expect(deleted?.code == .ledgerShrank)
        #expect(!FileManager.default.fileExists(atPath: s.ledgerPath))
    }

    @Test func writerRefusesALedgerRewrittenUnderIt() throws {
        let s = try Setup()
        defer { removeDirectory(s.dir) }
        let written = try LedgerTests.writeThree(s)
        let lines = try s.lines()
        // Same length, different head: the last line's hash changed.
        let last = written[2].sha256
        let altered = String(last.dropLast()) + (last.hasSuffix("0") ? "1" : "0")
        try s.writeLines([lines[0], lines[1], lines[2].replacingOccurrences(of: last, with: altered)])
        let before = try readBytes(s.ledgerPath)
        let error = #expect(throws: ReportError.self) { try s.writer.write(sampleReport(id: "report-4")) }
        #expect(error?.code == .ledgerRewritten)
        #expect(try readBytes(s.ledgerPath) == before)

        // Longer, but the new line does not chain onto the head the writer knew.
        try s.writeLines(lines + [#"{"previous":"\#(VerdictReport.genesisHash)","reportId":"x","sha256":"\#(altered)"}"#])
        let grown = try readBytes(s.ledgerPath)
        let second = #expect(throws: ReportError.self) { try s.writer.write(sampleReport(id: "report-4")) }
        #expect(second?.code == .ledgerRewritten)
        #expect(try readBytes(s.ledgerPath) == grown)

        // Restored: the writer carries on from its head.
        try s.writeLines(lines)
        let fourth = try s.writer.write(sampleReport(id: "report-4"))
        #expect(fourth.report.previousReportSha256 == written[2].sha256)
        #expect(s.ledgerFailure() == nil)
    }

    /// Another process appended a line and then crashed mid-append: its complete line is kept and
    /// chained onto, only the torn bytes are cut.
    @Test func linesAppendedByAnotherWriterAreKeptAndOnlyATornTailIsCut() throws {
        let s = try Setup()
        defer { removeDirectory(s.dir) }
        _ = try LedgerTests.writeThree(s)
        let other = try ReportWriter(directory: s.dir, signingKey: s.pair.signingKey)
        let foreign = try other.write(sampleReport(id: "from-other", fileName: "other.png"))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: s.ledgerPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"previous":"\#(foreign.sha256)","rep"#.utf8))
        try handle.close()
        let next = try s.writer.write(sampleReport(id: "after", fileName: "after.png"))
        #expect(next.report.previousReportSha256 == foreign.sha256)
        #expect(next.ledger.count == 5)
        #expect(try s.lines().count == 5)
        #expect(s.ledgerFailure() == nil)
    }

    /// A new writer (a restarted daemon) has no memory of the ledger: the newest checkpoint signed
    /// with its key is what stops it from extending a truncated ledger.
    @Test func aFreshWriterRefusesALedgerBehindTheNewestCheckpoint() throws {
        let s = try Setup()
        defer { removeDirectory(s.dir) }
        let written = try Self.writeThreeAndCheckpoint(s)
        let lines = try s.lines()
        try s.writeLines(Array(lines.prefix(2)))
        try FileManager.default.removeItem(atPath: written[2].reportPath)
        try FileManager.default.removeItem(atPath: written[2].signaturePath)
        let before = try readBytes(s.ledgerPath)
        let restarted = try ReportWriter(directory: s.dir, signingKey: s.pair.signingKey)
        let error = #expect(throws: ReportError.self) { try restarted.write(sampleReport(id: "report-4")) }
        #expect(error?.code == .ledgerShrank)
        #expect(try readBytes(s.ledgerPath) == before)

        // Same length as checkpointed, other line 3: rewritten.
        let foreign = #"{"previous":"\#(written[1].sha256)","reportId":"report-3","sha256":"\#(String(repeating: "a", count: 64))"}"#
        try s.writeLines(Array(lines.prefix(2)) + [foreign])
        let rewritten = #expect(throws: ReportError.self) {
            try ReportWriter(directory: s.dir, signingKey: s.pair.signingKey).write(sampleReport(id: "report-4"))
        }
        #expect(rewritten?.code == .ledgerRewritten)

        // Lines appended after our newest checkpoint (garbage, another key's) do not hide it.
        try s.writeLines(Array(lines.prefix(2)))
        let other = try KeyPair.generate()
        let foreign2 = try LedgerCheckpoint(count: 2, head: written[1].sha256, keyId: other.publicKey.keyId,
                                            time: "2026-01-31T12:00:00Z").line(signedBy: other.signingKey)
        let cps = try Self.checkpointLines(s) + ["garbage", String(decoding: foreign2.dropLast(), as: UTF8.self)]
        try Self.writeCheckpointLines(s, cps)
        let hidden = #expect(throws: ReportError.self) {
            try ReportWriter(directory: s.dir, signingKey: s.pair.signingKey).write(sampleReport(id: "report-4"))
        }
        #expect(hidden?.code == .ledgerShrank)
    }

    @Test func errorCodesAreKebabCase() {
        for code in ReportError.Code.allCases {
            #expect(code.rawValue.range(of: "^[a-z][a-z0-9-]*$", options: .regularExpression) != nil, "\(code)")
        }
    }
}
