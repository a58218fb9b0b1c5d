import Foundation
import HashmarkReport
import Testing

/// A report with a paraphrase (`sentence-align`) match: written as `hashmark.verdict/3` (and only
/// then), golden bytes and signature, strict parsing, refused in `/1` and `/2`, tampering caught.
func sampleParaphraseReport() -> VerdictReport {
    var report = sampleReport()
    let paraphrase = VerdictReport.Match(
        work: .init(id: "txt-0004", title: "The Long Road", owner: "Anne Author", license: "All rights reserved",
                    mediaType: "text/plain"),
        score: 0.7, isMatch: true,
        evidence: .paraphrase(ParaphraseEvidence(
            passages: [
                .init(submitted: .init(offset: 40, length: 300), source: .init(offset: 1_200, length: 280),
                      pairs: [.init(submitted: .init(offset: 40, length: 90), source: .init(offset: 1_200, length: 85),
                                    similarity: 0.82, isSeed: true),
                              .init(submitted: .init(offset: 131, length: 100), source: .init(offset: 1_286, length: 90),
                                    similarity: 0.41, isSeed: false),
                              .init(submitted: .init(offset: 232, length: 108), source: .init(offset: 1_377, length: 103),
                                    similarity: 0.67, isSeed: true)],
                      swaps: 0, sourceWords: 52, submittedExcerpt: "The road went on and on…",
                      sourceExcerpt: "The road ran ever onward…"),
                .init(submitted: .init(offset: 700, length: 150), source: .init(offset: 9_000, length: 160),
                      pairs: [.init(submitted: .init(offset: 700, length: 70), source: .init(offset: 9_080, length: 80),
                                    similarity: 0.74, isSeed: true),
                              .init(submitted: .init(offset: 771, length: 79), source: .init(offset: 9_000, length: 79),
                                    similarity: 0.7, isSeed: true)],
                      swaps: 1, sourceWords: 30, submittedExcerpt: "Ünïcode — 日本 😀", sourceExcerpt: "\"quoted\"\ttab"),
            ],
            seedPairs: 4, meanSimilarity: 0.7325, minSimilarity: 0.67, sourceWords: 82, spannedSentences: 5,
            seedThreshold: 0.45, embeddingModel: "all-MiniLM-L6-v2",
            embeddingModelSha256: "baf6508356582a045974d320b6b2938d2ad9af550c27767879769ed3925983c5")))
    report.matches.append(paraphrase)
    report.schema = VerdictReport.paraphraseSchemaId
    return report
}

@Suite("Paraphrase evidence in reports")
struct ParaphraseReportTests {
    @Test func goldenReportBytesAndSignature() throws {
        try checkGoldenReport(sampleParaphraseReport(), file: "sample-report-3.json")
    }

    @Test func sentenceAlignIsRefusedBeforeSchema3() throws {
        expectRefused(sampleParaphraseReport(), under: ["hashmark.verdict/2", "hashmark.verdict/1"], "sentence-align evidence")
        // Without a paraphrase match a /2 report is unchanged (scripts relying on /2 keep working).
        let plain = try sampleReport().canonicalBytes()
        #expect(String(decoding: plain, as: UTF8.self).contains(#""schema":"hashmark.verdict/2""#))
    }

    /// The writer picks the schema from the matches it signs, whatever the report says: `/3` for a
    /// paraphrase match, `/2` once no paraphrase match is left (e.g. dropped as a near miss).
    @Test func theWriterSignsSchema3OnlyForAParaphraseMatch() throws {
        try expectWriterSigns([
            (sampleParaphraseReport(), "paraphrase", VerdictReport.schemaId, VerdictReport.paraphraseSchemaId),
            (sampleReport(id: "plain"), "plain", VerdictReport.paraphraseSchemaId, VerdictReport.schemaId),
        ]) { written throws in
            #expect(try VerdictReport(bytes: readBytes(written[0].reportPath)).schema == "hashmark.verdict/3")
            #expect(String(decoding: try readBytes(written[1].reportPath), as: UTF8.self)
                .contains(#""schema":"hashmark.verdict/2""#))
        }
    }

    @Test func malformedParaphraseEvidenceIsRefused() throws {
        let good = try sampleParaphraseReport().canonicalBytes()
        let text = String(decoding: good, as: UTF8.self)
        for (from, to) in [(#""similarity":0.82"#, #""similarity":1.5"#),
                           (#""isSeed":false"#, #""isSeed":0"#),
                           (#""seedPairs":4"#, #""seedPairs":-1"#),
                           (#","spannedSentences":5"#, "")] {
            #expect(text.contains(from), "\(from)")
            let bad = Array(text.replacingOccurrences(of: from, with: to).utf8)
            #expect(throws: ReportError.self, "\(from) → \(to)") { try VerdictReport(bytes: bad) }
        }
    }

    @Test func aTamperedSimilarityFailsVerification() throws {
        let (key, keyDir) = try ReportTests.fixtureKey()
        defer { removeDirectory(keyDir) }
        var report = sampleParaphraseReport()
        report.signer = .init(keyId: key.publicKey.keyId)
        let bytes = try report.canonicalBytes()
        let signature = try key.sign(bytes)
        let dir = try makeTempDirectory()
        defer { removeDirectory(dir) }
        let tampered = Array(String(decoding: bytes, as: UTF8.self)
            .replacingOccurrences(of: #""similarity":0.41"#, with: #""similarity":0.91"#).utf8)
        #expect(tampered != bytes)
        try writeBytes(tampered, dir + "/r.json")
        try writeBytes(signature, dir + "/r.json.sig")
        #expect(ReportVerifier.verify(reportPath: dir + "/r.json", publicKeyPath: fixturesDirectory + "/test-signing-key.pub.pem")
            .exitCode != 0)
    }
}
