import Foundation
import HashmarkEngine
import HashmarkMedia
import HashmarkReport
import HashmarkStore
import HashmarkTransforms
import HashmarkView
import Testing

/// Signed reports for a cropped image copy and an edited text excerpt, rendered by
/// `hashmark show --html` against the suite's registered corpus.
struct RenderedReports: Sendable {
    struct Page: Sendable {
        let report: VerdictReport
        let reportPath: String
        let htmlPath: String
        let html: String
    }

    let dir: String
    let image: Page
    let text: Page
    let pubkey: String
    /// The submitted text file: its name carries markup, to prove the page escapes it.
    let textFile: String

    static let hostileName = "essay <i>&\"quoted\".txt"

    static let shared: Result<RenderedReports, any Error> = Result {
        let corpus = try RegisteredCorpus.get()
        let dir = URL(fileURLWithPath: corpus.dir).appendingPathComponent("html-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let keygen = try CLI.run(["keygen", "--out", dir + "/keys"])
        guard keygen.status == 0 else { throw CLIFailure(result: keygen) }

        // Image: the bottom-right 70 % of ascent (a crop: local features find it with a region).
        let ascent = try decodeCorpusImage("scipy__ascent")
        let rect = try GeometricOps.cropRect(width: ascent.width, height: ascent.height, fraction: 0.3, anchor: .bottomRight)
        let imageFile = dir + "/ascent-crop.jpg"
        try Data(JPEGEncoder.encode(try GeometricOps.crop(ascent, to: rect).image, quality: 85))
            .write(to: URL(fileURLWithPath: imageFile))
        // Text: 120 words of Emma, a few words changed, between unrelated paragraphs.
        let emma = try String(contentsOfFile: Corpus.text("r-cran-janeaustenr__austen_emma_02"), encoding: .utf8)
            .split(whereSeparator: \.isWhitespace)
        let filler = try String(contentsOfFile: Corpus.text(RegisteredCorpus.unrelatedText), encoding: .utf8)
            .split(whereSeparator: \.isWhitespace)
        var excerpt = Array(emma[2000..<2120].map(String.init))
        for i in stride(from: 5, to: excerpt.count, by: 17) { excerpt[i] = "zzyzx" }
        let essay = filler[0..<150].joined(separator: " ") + "\n\n" + excerpt.joined(separator: " ") + "\n\n"
            + filler[150..<300].joined(separator: " ")
        let textFile = dir + "/" + hostileName
        try Data(essay.utf8).write(to: URL(fileURLWithPath: textFile))

        let reports = dir + "/reports"
        let check = try CLI.run(["check", "--db", corpus.db, "--report-dir", reports, "--key", dir + "/keys/hashmark.key.pem",
                                 imageFile, textFile])
        guard check.status == 1 else { throw CLIFailure(result: check) }
        let paths = check.stdout.split(separator: "\n").compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            return t.hasPrefix("report: ") ? String(t.dropFirst("report: ".count)) : nil
        }
        guard paths.count == 2 else { throw CLIFailure(result: check) }

        let pubkey = dir + "/keys/hashmark.pub.pem"
        func page(_ reportPath: String, file: String, name: String) throws -> Page {
            let html = dir + "/\(name).html"
            let r = try CLI.run(["show", reportPath, "--html", html, "--db", corpus.db, "--file", file, "--pubkey", pubkey])
            guard r.status == 0 else { throw CLIFailure(result: r) }
            let report = try VerdictReport(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: reportPath))))
            return Page(report: report, reportPath: reportPath, htmlPath: html,
                        html: try String(contentsOfFile: html, encoding: .utf8))
        }
        return RenderedReports(dir: dir, image: try page(paths[0], file: imageFile, name: "image"),
                               text: try page(paths[1], file: textFile, name: "text"), pubkey: pubkey,
                               textFile: textFile)
    }

    static func get() throws -> RenderedReports { try shared.get() }
}

/// `chromium` on PATH (the Debian package); the Makefile does not install it.
let chromiumOnPath: Bool = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
    FileManager.default.isExecutableFile(atPath: "\($0)/chromium")
}

@Suite(.serialized, .timeLimit(.minutes(15))) struct ShowHTMLTests {
    @Test func imagePageEmbedsBothImagesWithTheRegionOutlined() throws {
        let page = try RenderedReports.get().image
        #expect(page.report.verdict == .infringing)
        let match = try #require(page.report.matches.first)
        #expect(match.work.id == "scipy__ascent")
        guard case .localFeatures(let e) = match.evidence, let region = e.region else {
            Issue.record("expected local-feature evidence with a region, got \(match.evidence)")
            return
        }
        let html = page.html
        #expect(html.contains("verdict-infringing"))
        #expect(html.contains(">INFRINGING<"))
        #expect(html.contains("scipy__ascent"))
        // Two embedded JPEGs: the submitted file and the work's stored thumbnail.
        #expect(html.components(separatedBy: "src=\"data:image/jpeg;base64,").count - 1 == 2)
        // The outlines are the report's regions, in each image's original pixels.
        for r in [region.submitted, region.source] {
            #expect(html.contains("<rect class=\"region\" x=\"\(r.x)\" y=\"\(r.y)\" width=\"\(r.width)\" height=\"\(r.height)\""),
                    "outline for \(r)")
        }
        #expect(html.contains("viewBox=\"0 0 512 512\""), "the work's outline is scaled from ascent's 512×512 pixels")
        // What schema /8 adds: the share of the work's keypoint extent the match covers, and its threshold.
        let area = try #require(e.matchedWorkArea)
        #expect(page.report.schema == "hashmark.verdict/8")
        #expect(html.contains(String(format: "%.1f %%", area * 100)) && html.contains("counts on its own if ≥ 5.0 %"))
        // What schema /2 adds is shown too: the decision per match and the work's media type.
        #expect(match.isMatch == true && html.contains("meets the rule on its own"))
        #expect(html.contains("<span class=\"dim\">image/jpeg</span>"))
        #expect(html.contains("VALID — the detached signature verifies under key \(page.report.signer.keyId)"))
        expectSelfContained(html)
    }

    @Test func textPageShowsBothPassagesWithSharedWordsMarked() throws {
        let rendered = try RenderedReports.get()
        let page = rendered.text
        #expect(page.report.verdict == .infringing)
        let match = try #require(page.report.matches.first)
        #expect(match.work.id == "r-cran-janeaustenr__austen_emma_02")
        let html = page.html
        #expect(html.contains("r-cran-janeaustenr__austen_emma_02"))
        #expect(html.contains("<span class=\"span\">"))
        guard case .text(let e) = match.evidence, let span = e.spans.first, let identical = span.matchedWords,
              let workWords = e.workWords else {
            Issue.record("expected /2 text evidence with per-span counts and workWords, got \(match.evidence)")
            return
        }
        #expect(html.contains("\(span.alignedWords) aligned words, \(identical) identical, longest run"))
        #expect(html.contains("<td>\(workWords)</td>"))
        let marks = html.components(separatedBy: "<mark>").count - 1
        #expect(marks >= 200, "most of the ~120 aligned words are marked, on both sides (\(marks) marks)")
        // The substituted word is on the submitted side only, so it is never marked.
        #expect(html.contains("zzyzx"))
        #expect(!html.contains("<mark>zzyzx</mark>"))
        // Context from the full texts (--db, --file) surrounds the spans.
        #expect(html.contains("<span class=\"context\">"))
        #expect(!html.contains("Excerpt from the report"))
        // The subject's file name is untrusted: its markup is escaped, never live.
        #expect(html.contains("essay &lt;i&gt;&amp;&quot;quoted&quot;.txt"))
        #expect(!html.contains("<i>&"))
        expectSelfContained(html)
    }

    @Test func aFileThatIsNotTheSubjectIsNotShown() throws {
        let rendered = try RenderedReports.get()
        let out = rendered.dir + "/mismatch.html"
        let r = try CLI.run(["show", rendered.image.reportPath, "--html", out, "--file", Corpus.image("scipy__ascent"),
                             "--pubkey", rendered.pubkey])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("is not the report&#39;s subject"))
        #expect(!html.contains("data:image/jpeg"), "neither the wrong file nor (without --db) the work is embedded")
        #expect(html.contains("Submitted file not shown"))
    }

    @Test func storedThumbnailIsASmallJPEGOfTheWork() throws {
        let store = try CorpusStore(path: try RegisteredCorpus.get().db)
        let t = try #require(try store.thumbnail(of: "scikit-image__chelsea"))
        #expect((t.originalWidth, t.originalHeight) == (451, 300))
        #expect(max(t.width, t.height) == 320)
        let decoded = try ImageDecoder.decode(t.jpeg)
        #expect((decoded.image.width, decoded.image.height) == (t.width, t.height))
        #expect(try store.thumbnail(of: "sword-text-web__WEB_Ruth") == nil, "text works have no thumbnail")
    }

    @Test(.enabled(if: chromiumOnPath, "chromium is not on PATH: headless rendering not tested (apt-get install chromium)"))
    func pagesRenderInHeadlessChromium() throws {
        let rendered = try RenderedReports.get()
        let script = CLI.repoRoot.appendingPathComponent("Scripts/render-report.sh").path
        for page in [rendered.image, rendered.text] {
            let png = page.htmlPath + ".png"
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = [script, page.htmlPath, png]
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "render-report.sh failed: \(stderr)")
            let png8 = try Data(contentsOf: URL(fileURLWithPath: png))
            #expect(png8.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
            #expect(png8.count > 50_000, "a 1200×1600 screenshot of a page with images is not blank (\(png8.count) bytes)")
        }
    }

    @Test func errorReportRendersTheErrorCode() throws {
        let rendered = try RenderedReports.get()
        let corpus = try RegisteredCorpus.get()
        let empty = rendered.dir + "/empty.jpg"
        try Data().write(to: URL(fileURLWithPath: empty))
        let reports = rendered.dir + "/error-reports"
        let check = try CLI.run(["check", "--db", corpus.db, "--report-dir", reports,
                                 "--key", rendered.dir + "/keys/hashmark.key.pem", empty])
        #expect(check.status == 2)
        let report = try #require(try FileManager.default.contentsOfDirectory(atPath: reports).first { $0.hasSuffix(".json") })
        let out = rendered.dir + "/error.html"
        let r = try CLI.run(["show", reports + "/" + report, "--html", out, "--pubkey", rendered.pubkey])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("verdict-error"))
        #expect(html.contains("<code>empty-file</code>"))
        #expect(html.contains("No corpus work matched."))
        #expect(html.contains("sig-valid"))
    }

    /// Every string of a report is attacker-controlled (a forged or altered report is still shown,
    /// with an INVALID signature): none of them may become markup.
    @Test func hostileReportStringsAreEscapedEverywhere() {
        let x = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"
        let work = VerdictReport.Work(id: x, title: x, owner: x, license: x)
        let region = ImageEvidence.RegionPair(submitted: .init(x: -5, y: 0, width: 10, height: 10),
                                              source: .init(x: 0, y: 0, width: 10, height: 10))
        let report = VerdictReport(
            reportId: "r1", subject: .init(fileName: x, size: 1, sha256: x, mediaType: x), verdict: .infringing,
            score: 0.9, error: .init(code: x, message: x),
            matches: [
                .init(work: work, score: 1, evidence: .image(ImageEvidence(
                    pdqDistance: 0, quality: 100, threshold: 31, transform: .rot90, inverted: true, region: region))),
                .init(work: work, score: 1, evidence: .text(TextEvidence(
                    spans: [.init(submitted: .init(offset: 0, length: 99), source: .init(offset: -3, length: 1 << 40),
                                  alignedWords: 3, submittedExcerpt: x + " shared words", sourceExcerpt: x + " shared")],
                    alignedWords: 3, coverage: 1, longestRun: 3))),
            ],
            decision: .init(rule: x, thresholds: [x: 1], modelId: x, modelSha256: x), engine: .init(name: x, version: x),
            corpus: .init(snapshot: x), createdAt: x, previousReportSha256: x, signer: .init(keyId: x, algorithm: x))
        let context = HTMLReport.Context(submittedText: x, workTexts: [x: x], notes: [x])
        let html = HTMLReport.render(report, signature: .invalid(reason: x), context: context)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img src=x"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;"))
        #expect(html.contains("<mark>shared</mark>"), "words on both sides are marked, even in excerpts")
        #expect(html.contains("sig-invalid"))
        expectSelfContained(html)
    }

    @Test func bidiOverridesAndInvisibleCharactersInNamesAreShownNotObeyed() {
        let name = "invoice\u{202E}fdp.exe\u{200B}\u{1B}[31m"
        let report = VerdictReport(
            reportId: "r1", subject: .init(fileName: name, size: 1, sha256: String(repeating: "a", count: 64),
                                           mediaType: "text/plain"),
            verdict: .error, score: nil, error: .init(code: "x", message: "passage \u{2067}reversed\u{2069}"), matches: [],
            decision: .init(rule: "r", thresholds: [:], modelId: "m", modelSha256: "s"), engine: .init(name: "e", version: "v"),
            corpus: .init(snapshot: "c"), createdAt: "t", signer: .init(keyId: "k"))
        let html = HTMLReport.render(report, signature: .notChecked(reason: "test"))
        for invisible in ["\u{202E}", "\u{200B}", "\u{1B}", "\u{2067}", "\u{2069}"] {
            #expect(!html.contains(invisible), "\(invisible.unicodeScalars.first!.value) reached the page")
        }
        #expect(html.contains("invoice\\u{202e}fdp.exe\\u{200b}\\u{1b}[31m"))
        #expect(html.contains("passage \\u{2067}reversed\\u{2069}"))
    }

    /// What schema /9 adds: the inliers on ignore-elements, which do not count, with the elements'
    /// ids (named by rights holders, so escaped like any other name).
    @Test func inliersOnIgnoreElementsAreShownApart() {
        let id = "logo<b>&"
        let report = VerdictReport(
            reportId: "r1", subject: .init(fileName: "poster.png", size: 1, sha256: String(repeating: "a", count: 64),
                                           mediaType: "image/png"),
            verdict: .clear, score: 0.3, error: nil,
            matches: [.init(work: .init(id: "w", title: "", owner: "", license: ""), score: 0.3, isMatch: false,
                            evidence: .localFeatures(LocalFeatureEvidence(
                                inliers: 40, tentativeMatches: 60, threshold: 20, scale: 1, rotationDegrees: 0, mirrored: false,
                                region: nil, matchedWorkArea: 0.03, minMatchedWorkArea: 0.05, elementInliers: 31, ignoredElements: [id])))],
            decision: .init(rule: "r", thresholds: [:], modelId: "m", modelSha256: "s"), engine: .init(name: "e", version: "v"),
            corpus: .init(snapshot: "c"), createdAt: "t", signer: .init(keyId: "k"))
        let html = HTMLReport.render(report, signature: .notChecked(reason: "test"))
        #expect(html.contains("Inliers on ignore-elements (not counted)"))
        #expect(html.contains("31 on logo&lt;b&gt;&amp;: 9 inliers count towards the threshold"))
        #expect(!html.contains("<b>&"))
        expectSelfContained(html)
    }

    private func expectSelfContained(_ html: String) {
        for external in ["src=\"http", "href=\"http", "src='http", "href='http", "url(http", "@import", "<script"] {
            #expect(!html.lowercased().contains(external.lowercased()), "no \(external) in a self-contained page")
        }
        #expect(html.contains("Content-Security-Policy"))
    }
}
