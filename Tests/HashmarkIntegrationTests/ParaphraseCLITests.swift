import Foundation
import HashmarkReport
import HashmarkView
import Testing

/// A paraphrase through the real binary: `check --json --report-dir` finds it with the sentence
/// model, prints the report's match JSON unchanged (no aliases for `sentence-align`), signs a
/// `/3` report that `verify` accepts, and `show --html` cuts each aligned sentence from the texts.
@Suite(.timeLimit(.minutes(15))) struct ParaphraseCLITests {
    static let work = "sword-text-web__WEB_Ruth"

    @Test func aRewriteOfRuthIsCheckedSignedAndShownSentenceBySentence() throws {
        let corpus = try RegisteredCorpus.get()
        let dir = try TempDir()
        let passage = try String(contentsOf: ParaphraseMatcherTests.fixtures.appendingPathComponent("texts/webruth-lm-paraphrase-1.txt"),
                                 encoding: .utf8)
        let submission = Array([ParaphraseMatcherTests.before, passage, ParaphraseMatcherTests.after].joined(separator: "\n\n").utf8)
        let file = dir.path("retold.txt")
        try Data(submission).write(to: URL(fileURLWithPath: file))
        #expect(try CLI.run(["keygen", "--out", dir.path("keys")]).status == 0)
        let env = ["HASHMARK_SEMANTIC_MODEL": ParaphraseMatcherTests.modelFolder]
        let check = try CLI.run(["check", "--json", "--db", corpus.db, "--report-dir", dir.path("reports"),
                                 "--key", dir.path("keys/hashmark.key.pem"), file], env: env)
        #expect(check.status == 1, "\(check.stdout)\(check.stderr)")
        /// The `sentence-align` match of a JSON document (a `check --json` line or a report).
        func paraphraseMatch(_ bytes: some Sequence<UInt8>) throws -> JSONValue? {
            guard case .array(let matches)? = try JSONValue.parse(Array(bytes))["matches"] else { return nil }
            return matches.first { $0["matcher"] == .string("sentence-align") }
        }
        let firstLine = check.stdout.split(separator: "\n").first ?? ""
        let printed = try #require(try paraphraseMatch(Array(firstLine.utf8)))
        #expect(printed["work"]?["id"] == JSONValue.string(Self.work))

        let reportFile = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path("reports"))
            .first { $0.hasSuffix(".json") })
        let reportPath = dir.path("reports/" + reportFile)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: reportPath))
        #expect(try JSONValue.parse(Array(bytes))["schema"] == .string("hashmark.verdict/3"))
        #expect(try paraphraseMatch(bytes) == printed, "check --json prints the report's match JSON as it is")

        let pub = dir.path("keys/hashmark.pub.pem")
        let verify = try CLI.run(["verify", reportPath, "--pubkey", pub, "--file", file])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

        let html = dir.path("page.html")
        let show = try CLI.run(["show", reportPath, "--html", html, "--db", corpus.db, "--file", file, "--pubkey", pub])
        #expect(show.status == 0, "\(show.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        let report = try VerdictReport(bytes: Array(bytes))
        let match = try #require(report.matches.first { $0.matcher == "sentence-align" })
        guard case .paraphrase(let e) = match.evidence else { Issue.record("\(match.evidence)"); return }
        let source = Array(try Data(contentsOf: URL(fileURLWithPath: Corpus.text(Self.work))))
        func cut(_ text: [UInt8], _ r: TextEvidence.Range) -> String {
            HTMLText.escape(String(decoding: text[r.offset..<(r.offset + r.length)], as: UTF8.self))
        }
        for pair in e.passages.flatMap(\.pairs) {
            #expect(page.contains("<td>\(cut(submission, pair.submitted))</td><td>\(String(format: "%.3f", pair.similarity))"),
                    "submitted sentence at \(pair.submitted.offset)")
            #expect(page.contains("</td><td>\(cut(source, pair.source))</td></tr>"), "source sentence at \(pair.source.offset)")
        }
        #expect(!page.contains("Full texts not available"))
    }
}
