import Foundation
import HashmarkReport
import Testing

/// A fresh temporary directory per test, removed by the caller's `defer`.
func makeTempDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "hashmark-report-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func removeDirectory(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

func readBytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

func writeBytes(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/report").path

/// A report exercising every field: an image match with a region, a keypoint match and a text
/// match with two spans. `schema1`: the `hashmark.verdict/1` shape (no members added in `/2`).
func sampleReport(id: String = "20260131T120000Z-00112233aabbccdd", createdAt: String = "2026-01-31T12:00:00Z",
                  fileName: String = "suspect café/upload #1.png", schema1: Bool = false) -> VerdictReport {
    let v2 = !schema1
    let image = VerdictReport.Match(
        work: .init(id: "img-0007", title: "Harbour at Dusk", owner: "Example Rights Ltd", license: "CC BY-SA 4.0",
                    mediaType: v2 ? "image/jpeg" : nil),
        score: 0.97, isMatch: v2 ? true : nil,
        evidence: .image(ImageEvidence(pdqDistance: 12, quality: 88, workQuality: v2 ? 91 : nil, threshold: 31,
                                       transform: .rot90, inverted: false,
                                       region: .init(submitted: .init(x: 0, y: 10, width: 640, height: 460),
                                                     source: .init(x: 5, y: 0, width: 1024, height: 736)))))
    let local = VerdictReport.Match(
        work: .init(id: "img-0008", title: "Quay", owner: "Example Rights Ltd", license: "CC BY-SA 4.0",
                    mediaType: v2 ? "image/png" : nil),
        score: 0.375, isMatch: v2 ? false : nil,
        evidence: .localFeatures(LocalFeatureEvidence(
            inliers: 12, tentativeMatches: 40, threshold: 20, scale: 0.5, rotationDegrees: -90, mirrored: true,
            region: .init(submitted: .init(x: 1, y: 2, width: 30, height: 40), source: .init(x: 3, y: 4, width: 60, height: 80)))))
    let text = VerdictReport.Match(
        work: .init(id: "txt-0003", title: "A \"Quoted\" Title\twith tab", owner: "Anne Author", license: "All rights reserved",
                    mediaType: v2 ? "text/plain" : nil),
        score: 0.8125, isMatch: v2 ? true : nil,
        evidence: .text(TextEvidence(
            spans: [
                .init(submitted: .init(offset: 120, length: 410), source: .init(offset: 9_812, length: 402), alignedWords: 61,
                      matchedWords: v2 ? 55 : nil, longestRun: v2 ? 40 : nil,
                      submittedExcerpt: "It was the best of times, it was the worst…",
                      sourceExcerpt: "It was the best of times, it was the worst of times"),
                .init(submitted: .init(offset: 900, length: 75), source: .init(offset: 20_001, length: 80), alignedWords: 12,
                      matchedWords: v2 ? 8 : nil, longestRun: v2 ? 3 : nil,
                      submittedExcerpt: "path/to ü \\ back\nslash", sourceExcerpt: "ПРИВЕТ 日本 😀"),
            ],
            alignedWords: 73, matchedWords: v2 ? 63 : nil, coverage: 0.0125, longestRun: 40, workWords: v2 ? 5_000 : nil)))
    var report = VerdictReport(
        reportId: id,
        subject: .init(fileName: fileName, size: 123_456,
                       sha256: "3f0a5e6c1b2d4e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012345678abcdef", mediaType: "image/png"),
        verdict: .infringing, score: 0.97, error: nil, matches: schema1 ? [image, text] : [image, local, text],
        decision: .init(rule: "infringing if any image match has pdqDistance <= pdqMaxDistance "
                            + "or any text match has alignedWords >= textMinAlignedWords",
                        thresholds: ["pdqMaxDistance": 31, "textMinAlignedWords": 50, "scoreCut": 0.5],
                        modelId: "thresholds-v1",
                        modelSha256: "aa0a5e6c1b2d4e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012345678abcdef"),
        engine: .init(name: "hashmark", version: "0.1.0"), corpus: .init(snapshot: "corpus-2026-01-30-0001"),
        createdAt: createdAt, signer: .init(keyId: String(repeating: "0", count: 64)))
    if schema1 { report.schema = "hashmark.verdict/1" }
    return report
}

/// Path of the system `openssl` binary, or nil when it is not installed.
let opensslPath: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

/// Runs `openssl` with `arguments`; returns its exit status and combined output.
@discardableResult
func runOpenSSL(_ arguments: [String]) throws -> (status: Int32, output: String) {
    guard let opensslPath else { throw OpenSSLMissing() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: opensslPath)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

struct OpenSSLMissing: Error {}

/// `openssl pkeyutl -verify -pubin -inkey PUB -rawin -in MSG -sigfile SIG`: true when openssl accepts.
func opensslVerifies(publicKeyPath: String, messagePath: String, signaturePath: String) throws -> Bool {
    let result = try runOpenSSL(["pkeyutl", "-verify", "-pubin", "-inkey", publicKeyPath, "-rawin",
                                 "-in", messagePath, "-sigfile", signaturePath])
    return result.status == 0 && result.output.contains("Signature Verified Successfully")
}

/// Signs `report` with the fixture key and checks its bytes and signature against the golden
/// `file` in the fixtures (re-recorded, and the test failed, under `HASHMARK_RECORD_GOLDENS=1`):
/// the golden verifies with `verify` and with `openssl`, and reads back as the same report.
/// Returns the canonical bytes.
@discardableResult
func checkGoldenReport(_ report: VerdictReport, file: String) throws -> [UInt8] {
    let (key, keyDir) = try ReportTests.fixtureKey()
    defer { removeDirectory(keyDir) }
    var report = report
    report.signer = .init(keyId: key.publicKey.keyId)
    let bytes = try report.canonicalBytes()
    let signature = try key.sign(bytes)
    let jsonPath = fixturesDirectory + "/" + file
    if ProcessInfo.processInfo.environment["HASHMARK_RECORD_GOLDENS"] == "1" {
        try writeBytes(bytes, jsonPath)
        try writeBytes(signature, jsonPath + ".sig")
        Issue.record("re-recorded \(jsonPath); unset HASHMARK_RECORD_GOLDENS and re-run")
        return bytes
    }
    #expect(try readBytes(jsonPath) == bytes)
    #expect(try readBytes(jsonPath + ".sig") == signature)
    let pub = fixturesDirectory + "/test-signing-key.pub.pem"
    #expect(ReportVerifier.verify(reportPath: jsonPath, publicKeyPath: pub).exitCode == 0)
    #expect(try opensslVerifies(publicKeyPath: pub, messagePath: jsonPath, signaturePath: jsonPath + ".sig"))
    #expect(try VerdictReport(bytes: bytes) == report)
    return bytes
}

/// `report` relabelled with each of `schemas` (ones before the members it carries) is refused.
func expectRefused(_ report: VerdictReport, under schemas: [String], _ what: String,
                   sourceLocation: SourceLocation = #_sourceLocation) {
    for schema in schemas {
        var relabelled = report
        relabelled.schema = schema
        #expect(throws: ReportError.self, "\(what) under \(schema)", sourceLocation: sourceLocation) {
            try relabelled.canonicalBytes()
        }
    }
}

/// Signs `reports` as one batch, each given `id` and labelled with `label` (not its own schema),
/// and expects the writer to sign each under `expected` (chosen from its content) with the ledger
/// still valid; `check` then sees what was written, before the folder is removed.
func expectWriterSigns(_ reports: [(report: VerdictReport, id: String, label: String, expected: String)],
                       sourceLocation: SourceLocation = #_sourceLocation,
                       then check: ([ReportWriter.Written]) throws -> Void = { _ in }) throws {
    let s = try LedgerTests.Setup()
    defer { removeDirectory(s.dir) }
    let batch = reports.map { r -> VerdictReport in
        var report = r.report
        report.reportId = r.id
        report.schema = r.label
        return report
    }
    let written = try s.writer.write(batch: batch).map { try $0.get() }
    #expect(written.map(\.report.schema) == reports.map(\.expected), sourceLocation: sourceLocation)
    try check(written)
    #expect(s.ledgerFailure() == nil, sourceLocation: sourceLocation)
}
