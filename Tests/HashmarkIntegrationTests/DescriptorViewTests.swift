import Foundation
import HashmarkReport
import HashmarkView
import Testing

/// Descriptor evidence as people read it: `hashmark show` and `verify` on the signed `/6` golden
/// report, and the HTML page's similarity rows.
@Suite struct DescriptorViewTests {
    static let dir = CLI.repoRoot.appendingPathComponent("Tests/Fixtures/report").path

    @Test func showAndVerifyReadTheSchema6Golden() throws {
        let report = Self.dir + "/sample-report-6.json", pub = Self.dir + "/test-signing-key.pub.pem"
        let show = try CLI.run(["show", report, "--pubkey", pub])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("descriptor similarity 0.5500 (threshold 0.4000), cosine 0.8625 less background 0.3125"),
                "\(show.stdout)")
        #expect(show.stdout.contains("next closest work 0.4125; model hashmark-descriptor-1 abababababab…"))
        #expect(show.stdout.contains("VALID"))
        let verify = try CLI.run(["verify", report, Self.dir + "/sample-report-5.json", "--pubkey", pub])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    @Test func theHTMLPageStatesTheSimilarityAndTheModel() throws {
        let report = try VerdictReport(bytes: [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.dir + "/sample-report-6.json"))))
        let html = HTMLReport.render(report, signature: .notChecked(reason: "test"))
        #expect(html.contains("Descriptor similarity"))
        #expect(html.contains("0.5500 (match if ≥ 0.4000)"))
        #expect(html.contains("cosine 0.3125, subtracted"))
        #expect(html.contains("hashmark-descriptor-1"))
        #expect(html.contains("Corpus work not shown"), "no thumbnails without --db: said so")
    }
}
