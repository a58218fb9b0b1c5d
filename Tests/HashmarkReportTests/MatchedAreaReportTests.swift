import Foundation
import HashmarkReport
import Testing

/// A report whose keypoint evidence states how much of each work the matched keypoints span
/// (`hashmark.verdict/8`): a copy that spans most of its work, and a near miss whose keypoints lie
/// on a small emblem that the submission shares with another work.
func sampleMatchedAreaReport() -> VerdictReport {
    var report = sampleReport()
    report.subject.fileName = "poster with a studio emblem.png"
    report.subject.mediaType = "image/png"
    report.matches = [
        VerdictReport.Match(
            work: .init(id: "art-0042", title: "Harbour at Dusk", owner: "Example Studio", license: "CC BY 4.0",
                        mediaType: "image/jpeg"),
            score: 0.7, isMatch: true,
            evidence: .localFeatures(LocalFeatureEvidence(
                inliers: 47, tentativeMatches: 90, threshold: 20, scale: 0.8, rotationDegrees: 0, mirrored: false,
                region: .init(submitted: .init(x: 10, y: 12, width: 400, height: 300), source: .init(x: 0, y: 0, width: 500, height: 375)),
                matchedWorkArea: 0.8125, minMatchedWorkArea: 0.05))),
        VerdictReport.Match(
            work: .init(id: "art-0077", title: "Studio Emblem Study", owner: "Example Studio", license: "CC BY 4.0",
                        mediaType: "image/png"),
            score: 0.49, isMatch: false,
            evidence: .localFeatures(LocalFeatureEvidence(
                inliers: 33, tentativeMatches: 51, threshold: 20, scale: 1, rotationDegrees: 0, mirrored: false, region: nil,
                matchedWorkArea: 0.0175, minMatchedWorkArea: 0.05))),
    ]
    report.score = 0.7
    report.schema = VerdictReport.matchedAreaSchemaId
    return report
}

@Suite("The work's matched area in keypoint evidence, in reports")
struct MatchedAreaReportTests {
    @Test func goldenReportBytesAndSignature() throws {
        let text = String(decoding: try checkGoldenReport(sampleMatchedAreaReport(), file: "sample-report-8.json"), as: UTF8.self)
        #expect(text.contains(#""matchedWorkArea":0.8125"#))
        #expect(text.contains(#""matchedWorkArea":0.0175"#))
        #expect(text.components(separatedBy: #""minMatchedWorkArea":0.05"#).count == 3)
        #expect(text.contains(#""schema":"hashmark.verdict/8""#))
    }

    @Test func matchedAreaIsRefusedBeforeSchema8() throws {
        expectRefused(sampleMatchedAreaReport(), under: ["hashmark.verdict/7", "hashmark.verdict/2"], "matchedWorkArea")
    }

    /// `/8` exactly when keypoint evidence states a matched area, whatever the label says; a
    /// report with only a work background stays `/7`.
    @Test func theWriterSignsSchema8ExactlyForAMatchedArea() throws {
        try expectWriterSigns([
            (sampleMatchedAreaReport(), "area", VerdictReport.schemaId, VerdictReport.matchedAreaSchemaId),
            (sampleWorkBackgroundReport(), "background", VerdictReport.matchedAreaSchemaId, VerdictReport.workBackgroundSchemaId),
        ])
    }

    @Test func anAreaOutside0To1IsRefused() throws {
        let text = String(decoding: try sampleMatchedAreaReport().canonicalBytes(), as: UTF8.self)
        for to in [#""matchedWorkArea":1.5"#, #""matchedWorkArea":-0.1"#, #""matchedWorkArea":"0.8""#] {
            let bad = text.replacingOccurrences(of: #""matchedWorkArea":0.8125"#, with: to)
            #expect(bad != text)
            #expect(throws: ReportError.self, "\(to)") { try VerdictReport(bytes: Array(bad.utf8)) }
        }
        #expect(try VerdictReport(bytes: Array(text.utf8)) == sampleMatchedAreaReport())
    }
}
