import Foundation
import HashmarkReport
import Testing

/// A report on a document (`hashmark.verdict/4`): the subject says what was extracted, submitted
/// ranges name their page or chapter and paragraph, image matches the embedded image.
func sampleDocumentReport() -> VerdictReport {
    var report = sampleParaphraseReport()
    report.subject.mediaType = "application/pdf"
    report.subject.document = .init(format: "pdf", extractor: "pdftotext 22.12.0", textBytes: 12_345, pages: 4,
                                    images: 2, skippedImages: 1)
    for i in report.matches.indices {
        switch report.matches[i].evidence {
        case .text(var e):
            e.spans[0].submitted.location = DocumentLocation(page: 2, paragraph: 3)
            e.spans[0].submitted.endLocation = DocumentLocation(page: 3, paragraph: 1)
            report.matches[i].evidence = .text(e)
        case .paraphrase(var e):
            e.passages[0].submitted.location = DocumentLocation(page: 1)
            e.passages[0].pairs[0].submitted.location = DocumentLocation(page: 1, paragraph: 2)
            report.matches[i].evidence = .paraphrase(e)
        case .image, .localFeatures, .descriptor:
            report.matches[i].location = DocumentLocation(page: 4, image: 1)
        case .audio:
            break
        }
    }
    report.schema = VerdictReport.documentSchemaId
    return report
}

@Suite("Document locations in reports")
struct DocumentReportTests {
    @Test func goldenReportBytesAndSignature() throws {
        let text = String(decoding: try checkGoldenReport(sampleDocumentReport(), file: "sample-report-4.json"), as: UTF8.self)
        #expect(text.contains(#""document":{"extractor":"pdftotext 22.12.0","format":"pdf","images":2,"pages":4"#))
        #expect(text.contains(#""location":{"image":1,"page":4}"#))
        #expect(text.contains(#""endLocation":{"page":3,"paragraph":1}"#))
    }

    @Test func documentMembersAreRefusedBeforeSchema4() throws {
        expectRefused(sampleDocumentReport(), under: ["hashmark.verdict/3", "hashmark.verdict/2"], "document members")
        var onlyASpan = sampleReport()
        guard case .text(var e)? = onlyASpan.matches.first(where: { $0.modality == .text })?.evidence,
              let i = onlyASpan.matches.firstIndex(where: { $0.modality == .text }) else {
            Issue.record("the sample report has no text match")
            return
        }
        e.spans[0].submitted.location = DocumentLocation(page: 1)
        onlyASpan.matches[i].evidence = .text(e)
        #expect(throws: ReportError.self) { try onlyASpan.canonicalBytes() }
    }

    /// `/4` exactly for a document: the writer follows `subject.document`, not the label.
    @Test func theWriterSignsSchema4ExactlyForDocuments() throws {
        try expectWriterSigns([
            (sampleDocumentReport(), "document", VerdictReport.schemaId, VerdictReport.documentSchemaId),
            (sampleParaphraseReport(), "paraphrase", VerdictReport.documentSchemaId, VerdictReport.paraphraseSchemaId),
        ]) { written throws in
            #expect(try VerdictReport(bytes: readBytes(written[0].reportPath)).subject.document?.pages == 4)
        }
    }

    @Test func malformedDocumentMembersAreRefused() throws {
        let text = String(decoding: try sampleDocumentReport().canonicalBytes(), as: UTF8.self)
        for (from, to) in [(#""format":"pdf""#, #""format":"rtf""#),
                           (#""location":{"image":1,"page":4}"#, #""location":{}"#),
                           (#""location":{"image":1,"page":4}"#, #""location":{"image":1,"page":0}"#),
                           (#""endLocation":{"page":3,"paragraph":1}"#, #""endLocation":{"page":3,"line":1}"#),
                           (#","skippedImages":1"#, "")] {
            #expect(text.contains(from), "\(from)")
            let bad = Array(text.replacingOccurrences(of: from, with: to).utf8)
            #expect(throws: ReportError.self, "\(from) → \(to)") { try VerdictReport(bytes: bad) }
        }
    }
}
