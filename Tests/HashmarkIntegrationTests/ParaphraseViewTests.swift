import Foundation
import HashmarkReport
import HashmarkView
import Testing

/// Paraphrase (`sentence-align`) evidence as people read it: the HTML page's sentence table, and
/// `hashmark show` / `verify` on the signed `/3` golden report.
@Suite struct ParaphraseViewTests {
    static let work = "txt-0004"
    /// Submitted and source sentences; pair 1 is carried (below the seed threshold), pair 2 holds
    /// markup and multi-byte characters, so cutting by byte range and escaping are both tested.
    static let submittedSentences = ["The road went on and on.", "Night fell early.", "Café <b>owners</b> & \"guests\" met."]
    static let sourceSentences = ["The road ran ever onward.", "Darkness came soon.", "The café's <i>keepers</i> met guests."]
    static let submittedText = "Preface here. " + submittedSentences.joined(separator: " ")
    static let sourceText = "Chapter 1. " + sourceSentences.joined(separator: " ") + " The end."

    /// The byte range of each sentence in `text`.
    static func ranges(_ sentences: [String], in text: String) -> [TextEvidence.Range] {
        sentences.map { s in
            let start = text.range(of: s).map { text.utf8.distance(from: text.startIndex, to: $0.lowerBound) } ?? -1
            return .init(offset: start, length: s.utf8.count)
        }
    }

    static func report() -> VerdictReport {
        let sub = ranges(submittedSentences, in: submittedText), src = ranges(sourceSentences, in: sourceText)
        let pairs = (0..<3).map { i in
            ParaphraseEvidence.SentencePair(submitted: sub[i], source: src[i], similarity: [0.82, 0.41, 0.65][i], isSeed: i != 1)
        }
        let span = { (r: [TextEvidence.Range]) in TextEvidence.Range(offset: r[0].offset, length: r[2].offset + r[2].length - r[0].offset) }
        let evidence = ParaphraseEvidence(
            passages: [.init(submitted: span(sub), source: span(src), pairs: pairs, swaps: 0, sourceWords: 14,
                             submittedExcerpt: "The road went <on>…", sourceExcerpt: "The road ran ever onward…")],
            seedPairs: 2, meanSimilarity: 0.735, minSimilarity: 0.65, sourceWords: 14, spannedSentences: 3,
            seedThreshold: 0.45, embeddingModel: "all-MiniLM-L6-v2",
            embeddingModelSha256: "baf6508356582a045974d320b6b2938d2ad9af550c27767879769ed3925983c5")
        let match = VerdictReport.Match(work: .init(id: work, title: "The Long Road", owner: "Anne Author", license: "x",
                                                    mediaType: "text/plain"),
                                        score: 0.7, isMatch: true, evidence: .paraphrase(evidence))
        let hash = String(repeating: "a", count: 64)
        return VerdictReport(
            reportId: "r1", subject: .init(fileName: "essay.txt", size: submittedText.utf8.count, sha256: hash, mediaType: "text/plain"),
            verdict: .infringing, score: 0.7, error: nil, matches: [match],
            decision: .init(rule: "r", thresholds: [:], modelId: "m", modelSha256: hash), engine: .init(name: "e", version: "v"),
            corpus: .init(snapshot: "c"), createdAt: "2026-01-31T12:00:00Z", signer: .init(keyId: hash))
    }

    @Test func sentencesAreCutFromTheFullTextsRowByRow() {
        let context = HTMLReport.Context(submittedText: Self.submittedText, workTexts: [Self.work: Self.sourceText])
        let html = HTMLReport.render(Self.report(), signature: .notChecked(reason: "test"), context: context)
        #expect(html.contains("<tr><td>The road went on and on.</td><td>0.820</td><td>The road ran ever onward.</td></tr>"))
        #expect(html.contains("<tr class=\"dim\"><td>Night fell early.</td><td>0.410 <span class=\"dim\">(carried)</span></td>"
            + "<td>Darkness came soon.</td></tr>"), "a carried pair is marked and dimmed")
        #expect(html.contains("<td>Café &lt;b&gt;owners&lt;/b&gt; &amp; &quot;guests&quot; met.</td><td>0.650</td>"
            + "<td>The café&#39;s &lt;i&gt;keepers&lt;/i&gt; met guests.</td>"))
        #expect(!html.contains("<b>owners") && !html.contains("<i>keepers"))
        #expect(html.contains("2 of 3 sentences spanned"))
        #expect(html.contains("mean 0.735, lowest 0.650 (seed threshold 0.45)"))
        #expect(html.contains("all-MiniLM-L6-v2 <span class=\"dim\">sha256 baf6508356582a04…</span>"))
        #expect(!html.contains("Full texts not available"))
    }

    @Test func withoutFullTextsThePassageExcerptsAreShown() {
        let html = HTMLReport.render(Self.report(), signature: .notChecked(reason: "test"))
        let first = Self.ranges(Self.submittedSentences, in: Self.submittedText)[0]
        #expect(html.contains("<td>bytes \(first.offset)+\(first.length)</td>"))
        #expect(html.contains("Full texts not available: excerpts of the passage — submitted: “The road went &lt;on&gt;…”; "
            + "work: “The road ran ever onward…”."))
    }

    /// `show` prints the golden `/3` report's paraphrase summary; `verify` reads `/3` (the key is
    /// the published test key of Tests/Fixtures/report).
    @Test func showAndVerifyReadTheSchema3Golden() throws {
        let dir = CLI.repoRoot.appendingPathComponent("Tests/Fixtures/report").path
        let report = dir + "/sample-report-3.json", pub = dir + "/test-signing-key.pub.pem"
        let show = try CLI.run(["show", report, "--pubkey", pub])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("sentence-align"))
        #expect(show.stdout.contains("4 seed sentence pairs of 5 sentences spanned"), "\(show.stdout)")
        #expect(show.stdout.contains("lowest 0.670 (seed ≥ 0.450)"))
        #expect(show.stdout.contains("submitted 40+300 ↔ work 1200+280, 3 pairs (2 seeds, 0 swapped)"))
        #expect(show.stdout.contains("model all-MiniLM-L6-v2 baf650835658…"))
        #expect(show.stdout.contains("VALID"))
        let verify = try CLI.run(["verify", report, dir + "/sample-report-2.json", dir + "/sample-report.json", "--pubkey", pub])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }
}
