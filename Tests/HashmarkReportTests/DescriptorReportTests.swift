import Foundation
import HashmarkReport
import Testing

/// A report whose match rests on the learned image descriptor (`hashmark.verdict/6`).
func sampleDescriptorReport() -> VerdictReport {
    var report = sampleReport()
    report.subject.fileName = "oil painting of the harbour.png"
    report.subject.mediaType = "image/png"
    let sha = String(repeating: "ab", count: 32)
    report.matches = [
        VerdictReport.Match(
            work: .init(id: "img-0042", title: "Harbour at Dawn", owner: "Example Photo Agency", license: "CC BY 4.0",
                        mediaType: "image/jpeg"),
            score: 0.8125, isMatch: true,
            evidence: .descriptor(DescriptorEvidence(cosine: 0.8625, backgroundCosine: 0.3125, threshold: 0.4,
                                                     nextBestCosine: 0.4125, model: "hashmark-descriptor-1", modelSha256: sha))),
        VerdictReport.Match(
            work: .init(id: "img-0007", title: "Pier", owner: "Example Photo Agency", license: "CC0-1.0", mediaType: "image/png"),
            score: 0.2578125, isMatch: false,
            evidence: .descriptor(DescriptorEvidence(cosine: 0.4125, backgroundCosine: 0.3125, threshold: 0.4,
                                                     model: "hashmark-descriptor-1", modelSha256: sha))),
    ]
    report.score = 0.8125
    report.schema = VerdictReport.descriptorSchemaId
    return report
}

@Suite("Image descriptor evidence in reports")
struct DescriptorReportTests {
    @Test func goldenReportBytesAndSignature() throws {
        let text = String(decoding: try checkGoldenReport(sampleDescriptorReport(), file: "sample-report-6.json"), as: UTF8.self)
        #expect(text.contains(#""matcher":"descriptor""#))
        #expect(text.contains(#""cosine":0.8625"#))
        #expect(text.contains(#""backgroundCosine":0.3125"#) && text.contains(#""similarity":0.55"#))
        #expect(text.contains(#""nextBestCosine":0.4125"#))
        #expect(text.contains(#""schema":"hashmark.verdict/6""#))
    }

    @Test func descriptorEvidenceIsRefusedBeforeSchema6() throws {
        expectRefused(sampleDescriptorReport(), under: ["hashmark.verdict/5", "hashmark.verdict/2"], "descriptor evidence")
    }

    /// `/6` exactly when a match has descriptor evidence, whatever the label says.
    @Test func theWriterSignsSchema6ExactlyForDescriptorEvidence() throws {
        try expectWriterSigns([
            (sampleDescriptorReport(), "described", VerdictReport.schemaId, VerdictReport.descriptorSchemaId),
            (sampleReport(), "image", VerdictReport.descriptorSchemaId, VerdictReport.schemaId),
        ])
    }

    @Test func malformedDescriptorMembersAreRefused() throws {
        let text = String(decoding: try sampleDescriptorReport().canonicalBytes(), as: UTF8.self)
        for (from, to) in [(#""cosine":0.8625"#, #""cosine":1.5"#),
                           (#""threshold":0.4}"#, #""threshold":"high"}"#),
                           (#""similarity":0.55"#, #""similarity":0.75"#),
                           (#""model":"hashmark-descriptor-1","#, #""model":"","#),
                           (#""modelSha256":"abab"#, #""modelSha256":"ABAB"#),
                           (#""matcher":"descriptor""#, #""matcher":"descriptors""#)] {
            let bad = text.replacingOccurrences(of: from, with: to)
            #expect(bad != text, "\(from) not in the report")
            #expect(throws: ReportError.self, "\(to)") { try VerdictReport(bytes: Array(bad.utf8)) }
        }
    }
}
