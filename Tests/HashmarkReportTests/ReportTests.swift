import Foundation
import HashmarkReport
import Testing

@Suite("Verdict report")
struct ReportTests {
    /// The test-only key committed in Tests/Fixtures/report (never used outside tests).
    static func fixtureKey() throws -> (SigningKey, String) {
        let dir = try makeTempDirectory()
        let path = dir + "/key.pem"
        try writeBytes(try readBytes(fixturesDirectory + "/test-signing-key.pem"), path)
        #expect(chmod(path, 0o600) == 0)  // git does not keep 0600
        return (try SigningKey.load(pemPath: path), dir)
    }

    @Test(arguments: [false, true]) func reportRoundTripsThroughCanonicalBytes(schema1: Bool) throws {
        let report = sampleReport(schema1: schema1)
        let bytes = try report.canonicalBytes()
        #expect(try VerdictReport(bytes: bytes) == report)
        #expect(try VerdictReport(bytes: bytes).canonicalBytes() == bytes)
        #expect(try sampleReport(schema1: schema1).canonicalBytes() == bytes)
    }

    /// Golden bytes: the public contract must not drift silently — `/1` reports (written before
    /// `/2`) still read and verify byte for byte, `/2` is today's. Re-record with
    /// HASHMARK_RECORD_GOLDENS=1 (the run then fails, so re-recording is a deliberate act).
    @Test(arguments: [(true, "sample-report.json"), (false, "sample-report-2.json")])
    func goldenReportBytesAndSignature(schema1: Bool, file: String) throws {
        try checkGoldenReport(sampleReport(schema1: schema1), file: file)
    }

    @Test func errorVerdictShape() throws {
        var report = sampleReport()
        report.verdict = .error
        report.error = .init(code: "unsupported-media", message: "PDF is not supported")
        report.score = nil
        report.matches = []
        let bytes = try report.canonicalBytes()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""error":{"code":"unsupported-media","message":"PDF is not supported"}"#))
        #expect(!text.contains("\"score\""))
        #expect(!text.contains("null"))
        #expect(try VerdictReport(bytes: bytes) == report)
    }

    @Test func inconsistentReportsAreNotSerialised() {
        var scoreOnError = sampleReport()
        scoreOnError.verdict = .error
        scoreOnError.error = .init(code: "decode-failed", message: "x")
        #expect(throws: ReportError.self) { try scoreOnError.canonicalBytes() }
        var infringingWithoutMatches = sampleReport()
        infringingWithoutMatches.matches = []
        #expect(throws: ReportError.self) { try infringingWithoutMatches.canonicalBytes() }
        var badId = sampleReport(id: "../escape")
        #expect(throws: ReportError.self) { try badId.canonicalBytes() }
        badId = sampleReport(createdAt: "2026-01-31 12:00:00")
        #expect(throws: ReportError.self) { try badId.canonicalBytes() }
        var badScore = sampleReport()
        badScore.score = 1.5
        #expect(throws: ReportError.self) { try badScore.canonicalBytes() }
    }

    /// Schema violations in otherwise well-formed JSON: each edit must be rejected with a `schema` error.
    @Test(arguments: [
        ("schema", JSONValue.string("hashmark.verdict/10")),
        ("verdict", .string("maybe")),
        ("verdict", .int(1)),
        ("reportId", .string("")),
        ("previousReportSha256", .string(String(repeating: "A", count: 64))),
        ("createdAt", .string("2026-13-01T00:00:00Z")),
        ("unexpected", .bool(true)),
        ("subject", .object(["fileName": .string("a"), "size": .int(-1), "mediaType": .string("image/png"),
                             "sha256": .string(String(repeating: "0", count: 64))])),
        ("signer", .object(["algorithm": .string("rsa"), "keyId": .string(String(repeating: "0", count: 64))])),
        ("matches", .array([.object(["work": .object([:])])])),
    ])
    func schemaViolationsAreRejected(key: String, value: JSONValue) throws {
        guard case .object(var members) = sampleReport().jsonValue() else { Issue.record("not an object"); return }
        members[key] = value
        let error = #expect(throws: ReportError.self) { try VerdictReport(json: .object(members)) }
        #expect(error?.code == .schema)
    }

    /// Members that `/2` added are refused in a `/1` report (the `/1` schema does not allow them),
    /// and a match's matcher must name its evidence.
    @Test func schema2MembersAreRefusedInSchema1() throws {
        let v2 = sampleReport().jsonValue(), v1 = sampleReport(schema1: true).jsonValue()
        guard case .object(let members1) = v1, case .object(let members2) = v2,
              case .array(let matches2)? = members2["matches"] else { Issue.record("not an object"); return }
        var mixed = members1
        mixed["matches"] = .array(matches2)
        let error = #expect(throws: ReportError.self) { try VerdictReport(json: .object(mixed)) }
        #expect(error?.code == .schema && "\(error!)".contains("not allowed"))
        var relabelled = members2
        guard case .object(var first) = matches2[0] else { return }
        first["matcher"] = .string("text-align")
        relabelled["matches"] = .array([.object(first)] + matches2.dropFirst())
        #expect(throws: ReportError.self) { try VerdictReport(json: .object(relabelled)) }
        #expect(try VerdictReport(json: v1).schema == "hashmark.verdict/1")
    }

    @Test func missingRequiredFieldsAreRejected() throws {
        guard case .object(let members) = sampleReport().jsonValue() else { Issue.record("not an object"); return }
        for key in members.keys where key != "score" {
            var copy = members
            copy[key] = nil
            #expect(throws: ReportError.self, "without \(key)") { try VerdictReport(json: .object(copy)) }
        }
    }

    @Test func rfc3339Formatting() {
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: 1_769_860_799.9)) == "2026-01-31T11:59:59Z")
        #expect(RFC3339.isValid("2026-01-31T12:00:00.123Z"))
        #expect(!RFC3339.isValid("2026-01-31T12:00:00+01:00"))
        let id = ReportID.generate(at: Date(timeIntervalSince1970: 0))
        #expect(id.hasPrefix("19700101T000000Z-") && ReportID.isValid(id))
        #expect(!ReportID.isValid(".hidden") && !ReportID.isValid("a/b") && !ReportID.isValid(String(repeating: "a", count: 129)))
    }
}
