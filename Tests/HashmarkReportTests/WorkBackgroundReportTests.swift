import Foundation
import HashmarkReport
import Testing

/// A report whose matches rest on transparent works' fingerprints over black and grey (`hashmark.verdict/7`).
func sampleWorkBackgroundReport() -> VerdictReport {
    var report = sampleReport()
    report.subject.fileName = "sticker on a night photo.jpg"
    report.subject.mediaType = "image/jpeg"
    let sha = String(repeating: "cd", count: 32)
    let work = VerdictReport.Work(id: "logo-0003", title: "Lighthouse Emblem", owner: "Example Studio", license: "CC BY 4.0",
                                  mediaType: "image/png")
    report.matches = [
        VerdictReport.Match(work: work, score: 0.75, isMatch: true, evidence: .localFeatures(LocalFeatureEvidence(
            inliers: 41, tentativeMatches: 77, threshold: 20, scale: 0.5, rotationDegrees: 0, mirrored: false,
            region: .init(submitted: .init(x: 200, y: 120, width: 220, height: 219), source: .init(x: 0, y: 0, width: 438, height: 438)),
            workBackground: "black"))),
        VerdictReport.Match(
            work: .init(id: "logo-0009", title: "Anchor", owner: "Example Studio", license: "CC0-1.0", mediaType: "image/png"),
            score: 0.375, isMatch: false,
            evidence: .image(ImageEvidence(pdqDistance: 44, quality: 70, workQuality: 81, threshold: 31, transform: .identity,
                                           inverted: false, workBackground: "black"))),
        VerdictReport.Match(
            work: .init(id: "logo-0011", title: "Gull", owner: "Example Studio", license: "CC0-1.0", mediaType: "image/png"),
            score: 0.25, isMatch: false,
            evidence: .descriptor(DescriptorEvidence(cosine: 0.5, backgroundCosine: 0.25, threshold: 0.7,
                                                     model: "hashmark-descriptor-1", modelSha256: sha, workBackground: "grey"))),
    ]
    report.score = 0.75
    report.schema = VerdictReport.workBackgroundSchemaId
    return report
}

@Suite("Transparent works registered over black, in reports")
struct WorkBackgroundReportTests {
    @Test func goldenReportBytesAndSignature() throws {
        let text = String(decoding: try checkGoldenReport(sampleWorkBackgroundReport(), file: "sample-report-7.json"), as: UTF8.self)
        #expect(text.components(separatedBy: #""workBackground":"black""#).count == 3)
        #expect(text.contains(#""workBackground":"grey""#))
        #expect(text.contains(#""schema":"hashmark.verdict/7""#))
    }

    @Test func workBackgroundIsRefusedBeforeSchema7() throws {
        expectRefused(sampleWorkBackgroundReport(), under: ["hashmark.verdict/6", "hashmark.verdict/2"], "workBackground")
    }

    /// `/7` exactly when a match names a work background, whatever the label says.
    @Test func theWriterSignsSchema7ExactlyForAWorkBackground() throws {
        try expectWriterSigns([
            (sampleWorkBackgroundReport(), "black", VerdictReport.schemaId, VerdictReport.workBackgroundSchemaId),
            (sampleDescriptorReport(), "described", VerdictReport.workBackgroundSchemaId, VerdictReport.descriptorSchemaId),
        ])
    }

    @Test func anotherBackgroundIsRefused() throws {
        let text = String(decoding: try sampleWorkBackgroundReport().canonicalBytes(), as: UTF8.self)
        for to in [#""workBackground":"white""#, #""workBackground":1"#, #""workBackground":"""#, #""workBackground":"Grey""#] {
            let bad = text.replacingOccurrences(of: #""workBackground":"black""#, with: to)
            #expect(bad != text)
            #expect(throws: ReportError.self, "\(to)") { try VerdictReport(bytes: Array(bad.utf8)) }
        }
    }
}
