import Foundation
import HashmarkPrimitives
import HashmarkReport
import Testing

/// A signed report written by the real writer, plus a second key and a second report.
struct SignedFixture {
    let dir: String
    let publicKeyPath: String
    let publicKey: PublicKey
    let reportPath: String
    let reportBytes: [UInt8]
    let signature: [UInt8]
    let otherReportPath: String

    init() throws {
        dir = try makeTempDirectory()
        let pair = try KeyPair.generate()
        publicKeyPath = try pair.write(toDirectory: dir).publicKey
        publicKey = pair.publicKey
        let writer = try ReportWriter(directory: dir + "/reports", signingKey: pair.signingKey)
        let written = try writer.write(sampleReport())
        reportPath = written.reportPath
        reportBytes = try readBytes(reportPath)
        signature = try readBytes(written.signaturePath)
        otherReportPath = try writer.write(sampleReport(id: "second-report", fileName: "other.png")).reportPath
    }

    /// Verifies (bytes, signature) with our verifier and with the openssl CLI.
    func verdicts(_ bytes: [UInt8], _ signature: [UInt8], name: String) throws -> (ours: Int32, openssl: Bool) {
        let path = dir + "/" + name + ".json"
        try writeBytes(bytes, path)
        try writeBytes(signature, path + ".sig")
        let ours = ReportVerifier.verify(reportPath: path, publicKey: publicKey).exitCode
        return (ours, try opensslVerifies(publicKeyPath: publicKeyPath, messagePath: path, signaturePath: path + ".sig"))
    }
}

@Suite("Tampering", .timeLimit(.minutes(15)))
struct TamperTests {
    @Test func untouchedReportIsValidForBoth() throws {
        let f = try SignedFixture()
        defer { removeDirectory(f.dir) }
        guard case .valid(let report) = ReportVerifier.verify(reportPath: f.reportPath, publicKey: f.publicKey) else {
            Issue.record("a freshly written report did not verify"); return
        }
        #expect(report.signer.keyId == f.publicKey.keyId)
        #expect(try opensslVerifies(publicKeyPath: f.publicKeyPath, messagePath: f.reportPath, signaturePath: f.reportPath + ".sig"))
        let copy = try f.verdicts(f.reportBytes, f.signature, name: "copy")
        #expect(copy.ours == 0 && copy.openssl)
    }

    /// Every position, three different flips (lowest bit, highest bit, all bits): all rejected.
    @Test func everySingleByteFlipOfReportOrSignatureIsRejectedByUs() throws {
        let f = try SignedFixture()
        defer { removeDirectory(f.dir) }
        var accepted: [String] = []
        for mask: UInt8 in [0x01, 0x80, 0xff] {
            for position in f.reportBytes.indices {
                var bytes = f.reportBytes
                bytes[position] ^= mask
                if case .valid = ReportVerifier.verify(reportBytes: bytes, signature: f.signature, publicKey: f.publicKey) {
                    accepted.append("report byte \(position) ^ \(mask)")
                }
            }
            for position in f.signature.indices {
                var signature = f.signature
                signature[position] ^= mask
                if case .valid = ReportVerifier.verify(reportBytes: f.reportBytes, signature: signature, publicKey: f.publicKey) {
                    accepted.append("signature byte \(position) ^ \(mask)")
                }
            }
        }
        #expect(f.reportBytes.count > 1000)
        #expect(accepted == [])
    }

    /// The same loop through the real `openssl pkeyutl -verify` (one bit per position, to keep
    /// the number of processes reasonable), and through the file-based verifier.
    @Test func everySingleByteFlipIsRejectedByOpenSSL() throws {
        let f = try SignedFixture()
        defer { removeDirectory(f.dir) }
        var accepted: [String] = []
        for position in f.reportBytes.indices {
            var bytes = f.reportBytes
            bytes[position] ^= 0x01
            let result = try f.verdicts(bytes, f.signature, name: "flip")
            if result.ours != 1 || result.openssl { accepted.append("report byte \(position): \(result)") }
        }
        for position in f.signature.indices {
            var signature = f.signature
            signature[position] ^= 0x01
            let result = try f.verdicts(f.reportBytes, signature, name: "flip")
            if result.ours != 1 || result.openssl { accepted.append("signature byte \(position): \(result)") }
        }
        #expect(accepted == [])
    }

    @Test func truncationGarbageOtherKeyAndSwapAreRejected() throws {
        let f = try SignedFixture()
        defer { removeDirectory(f.dir) }
        let other = try KeyPair.generate().signingKey
        let otherReport = try readBytes(f.otherReportPath)
        let otherSignature = try readBytes(f.otherReportPath + ".sig")
        var cases: [(String, [UInt8], [UInt8])] = [
            ("report truncated by one byte", Array(f.reportBytes.dropLast()), f.signature),
            ("report truncated to half", Array(f.reportBytes.prefix(f.reportBytes.count / 2)), f.signature),
            ("empty report", [], f.signature),
            ("garbage appended", f.reportBytes + Array("garbage".utf8), f.signature),
            ("newline appended", f.reportBytes + [0x0a], f.signature),
            ("signature by another key", f.reportBytes, try other.sign(f.reportBytes)),
            ("report with the other report's signature", f.reportBytes, otherSignature),
            ("other report with this report's signature", otherReport, f.signature),
            ("signature truncated", f.reportBytes, Array(f.signature.dropLast())),
            ("signature with a byte appended", f.reportBytes, f.signature + [0]),
            ("empty signature", f.reportBytes, []),
        ]
        for cut in stride(from: 1, to: f.reportBytes.count, by: 97) {
            cases.append(("report truncated to \(cut)", Array(f.reportBytes.prefix(cut)), f.signature))
        }
        for (name, bytes, signature) in cases {
            let result = try f.verdicts(bytes, signature, name: "case")
            #expect(result.ours == 1, "our verifier accepted: \(name)")
            #expect(!result.openssl, "openssl accepted: \(name)")
        }
        // Sanity: the other report itself is fine with its own signature.
        let own = try f.verdicts(otherReport, otherSignature, name: "own")
        #expect(own.ours == 0 && own.openssl)
    }

    @Test func wrongKeyIdOrOriginalAndUnusableInputs() throws {
        let f = try SignedFixture()
        defer { removeDirectory(f.dir) }
        // Validly signed by a different key whose id is not the one the report names.
        let other = try KeyPair.generate()
        let result = ReportVerifier.verify(reportBytes: f.reportBytes, signature: try other.signingKey.sign(f.reportBytes),
                                           publicKey: other.publicKey)
        guard case .invalid(let failure) = result else { Issue.record("accepted a foreign key id"); return }
        #expect(failure.code == "key-id-mismatch")

        // The original file check: a file that is not the subject is invalid.
        let original = f.dir + "/original.png"
        try writeBytes(Array(repeating: 7, count: 123_456), original)
        guard case .invalid(let mismatch) = ReportVerifier.verify(reportPath: f.reportPath, publicKey: f.publicKey,
                                                                  originalFile: original) else {
            Issue.record("accepted a wrong original"); return
        }
        #expect(mismatch.code == "subject-mismatch")

        #expect(ReportVerifier.verify(reportPath: f.dir + "/nope.json", publicKey: f.publicKey).exitCode == 2)
        #expect(ReportVerifier.verify(reportPath: f.reportPath, publicKeyPath: f.dir + "/nope.pem").exitCode == 2)
        #expect(ReportVerifier.verify(reportPath: f.reportPath, publicKey: f.publicKey,
                                      originalFile: f.dir + "/missing").exitCode == 2)
        try FileManager.default.removeItem(atPath: f.reportPath + ".sig")
        #expect(ReportVerifier.verify(reportPath: f.reportPath, publicKey: f.publicKey).exitCode == 1)
    }

    @Test func originalFileThatMatchesTheSubjectIsAccepted() throws {
        let dir = try makeTempDirectory()
        defer { removeDirectory(dir) }
        let pair = try KeyPair.generate()
        let original = dir + "/upload.bin"
        let content = Array("a real upload".utf8)
        try writeBytes(content, original)
        var report = sampleReport()
        report.subject = .init(fileName: "upload.bin", size: content.count, sha256: SHA256.hex(content),
                               mediaType: "application/octet-stream")
        let written = try ReportWriter(directory: dir, signingKey: pair.signingKey).write(report)
        #expect(ReportVerifier.verify(reportPath: written.reportPath, publicKey: pair.publicKey, originalFile: original).exitCode == 0)
        try writeBytes(content + [0], original)
        #expect(ReportVerifier.verify(reportPath: written.reportPath, publicKey: pair.publicKey, originalFile: original).exitCode == 1)
    }
}
