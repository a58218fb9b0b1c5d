import Foundation
import HashmarkReport
import Testing

/// A report whose keypoint evidence sets aside inliers on a registered ignore-element
/// (`hashmark.verdict/9`): a copy with the distributor's logo on it, and a near miss whose inliers
/// lie mostly on that logo.
func sampleIgnoreElementReport() -> VerdictReport {
    var report = sampleMatchedAreaReport()
    report.subject.fileName = "poster with the distributor logo.png"
    report.matches = [
        VerdictReport.Match(
            work: .init(id: "art-0042", title: "Harbour at Dusk", owner: "Example Studio", license: "CC BY 4.0",
                        mediaType: "image/jpeg"),
            score: 0.7, isMatch: true,
            evidence: .localFeatures(LocalFeatureEvidence(
                inliers: 61, tentativeMatches: 104, threshold: 20, scale: 0.8, rotationDegrees: 0, mirrored: false,
                region: .init(submitted: .init(x: 10, y: 12, width: 400, height: 300), source: .init(x: 0, y: 0, width: 500, height: 375)),
                matchedWorkArea: 0.8125, minMatchedWorkArea: 0.05, elementInliers: 14, ignoredElements: ["distributor-logo"]))),
        VerdictReport.Match(
            work: .init(id: "art-0077", title: "Festival Poster", owner: "Example Studio", license: "CC BY 4.0",
                        mediaType: "image/png"),
            score: 0.3, isMatch: false,
            evidence: .localFeatures(LocalFeatureEvidence(
                inliers: 52, tentativeMatches: 70, threshold: 20, scale: 1, rotationDegrees: 0, mirrored: false, region: nil,
                matchedWorkArea: 0.0412, minMatchedWorkArea: 0.05, elementInliers: 45,
                ignoredElements: ["distributor-logo", "festival-wordmark"]))),
    ]
    report.schema = VerdictReport.ignoreElementSchemaId
    return report
}

@Suite("Inliers on ignore-elements in keypoint evidence, in reports")
struct IgnoreElementReportTests {
    @Test func goldenReportBytesAndSignature() throws {
        let text = String(decoding: try checkGoldenReport(sampleIgnoreElementReport(), file: "sample-report-9.json"), as: UTF8.self)
        #expect(text.contains(#""elementInliers":14,"#))
        #expect(text.contains(#""ignoredElements":["distributor-logo","festival-wordmark"]"#))
        #expect(text.contains(#""schema":"hashmark.verdict/9""#))
    }

    @Test func elementsAreRefusedBeforeSchema9() throws {
        expectRefused(sampleIgnoreElementReport(), under: ["hashmark.verdict/8", "hashmark.verdict/2"], "ignoredElements")
    }

    /// `/9` exactly when keypoint evidence names ignore-elements; a report with a matched area
    /// only stays `/8`.
    @Test func theWriterSignsSchema9ExactlyForIgnoredElements() throws {
        try expectWriterSigns([
            (sampleIgnoreElementReport(), "elements", VerdictReport.schemaId, VerdictReport.ignoreElementSchemaId),
            (sampleMatchedAreaReport(), "area", VerdictReport.ignoreElementSchemaId, VerdictReport.matchedAreaSchemaId),
        ])
    }

    /// The count and the ids come together, the count is 1…inliers, the ids sorted and distinct.
    @Test func inconsistentElementMembersAreRefused() throws {
        let text = String(decoding: try sampleIgnoreElementReport().canonicalBytes(), as: UTF8.self)
        for (from, to) in [
            (#""elementInliers":14,"#, ""),
            (#""elementInliers":14,"#, #""elementInliers":0,"#),
            (#""elementInliers":14,"#, #""elementInliers":62,"#),
            (#"["distributor-logo","festival-wordmark"]"#, #"["festival-wordmark","distributor-logo"]"#),
            (#"["distributor-logo","festival-wordmark"]"#, #"["distributor-logo","distributor-logo"]"#),
            (#"["distributor-logo","festival-wordmark"]"#, "[]"),
            (#"["distributor-logo","festival-wordmark"]"#, #"["distributor-logo",""]"#),
        ] {
            let bad = text.replacingOccurrences(of: from, with: to)
            #expect(bad != text)
            #expect(throws: ReportError.self, "\(to)") { try VerdictReport(bytes: Array(bad.utf8)) }
        }
        #expect(try VerdictReport(bytes: Array(text.utf8)) == sampleIgnoreElementReport())
    }
}
