import Foundation
import HashmarkReport
import HashmarkTransforms
import HashmarkView
import Testing

/// Documents through the real binary: a registered text or image inside a PDF, EPUB, DOCX or ODT
/// is found, the signed `/4` report names the page, chapter or paragraph (and the embedded
/// image), `verify` accepts it against the original file, and an unrelated document is clear.
@Suite(.timeLimit(.minutes(15))) struct DocumentCheckTests {
    static let text = "sword-text-web__WEB_Ruth"
    static let image = "scikit-image__chelsea"
    static let fixtures = CLI.repoRoot.appendingPathComponent("Tests/Fixtures/documents")

    /// Prose no registered work holds, in paragraphs.
    static func filler(_ count: Int, from start: Int = 0) throws -> [String] {
        let words = try String(contentsOfFile: Corpus.text(RegisteredCorpus.unrelatedText), encoding: .utf8)
            .split(whereSeparator: \.isWhitespace)
        return (0..<count).map { i in words.dropFirst(start + i * 60).prefix(60).joined(separator: " ") }
    }

    /// 250 words of Ruth from its 300th word.
    static func passage() throws -> String {
        try String(contentsOfFile: Corpus.text(text), encoding: .utf8).split(whereSeparator: \.isWhitespace)
            .dropFirst(300).prefix(250).joined(separator: " ")
    }

    /// Checks `bytes` as `name` with a report; returns the exit status and the signed report.
    /// `show --html` of a report with the corpus and the submitted file: the page's text.
    static func html(_ reportPath: String, file: String, dir: TempDir) throws -> String {
        let out = dir.path("page-\(UUID().uuidString).html")
        let r = try CLI.run(["show", reportPath, "--html", out, "--db", try RegisteredCorpus.get().db, "--file", file,
                             "--pubkey", dir.path("keys/hashmark.pub.pem")])
        #expect(r.status == 0, "\(r.stderr)")
        return try String(contentsOfFile: out, encoding: .utf8)
    }

    static func check(_ name: String, _ bytes: [UInt8], dir: TempDir) throws -> (Int32, VerdictReport, String) {
        let corpus = try RegisteredCorpus.get()
        if !FileManager.default.fileExists(atPath: dir.path("keys/hashmark.key.pem")) {
            #expect(try CLI.run(["keygen", "--out", dir.path("keys")]).status == 0)
        }
        let file = dir.path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let reports = dir.path("reports-" + name)
        let r = try CLI.run(["check", "--json", "--db", corpus.db, "--report-dir", reports,
                             "--key", dir.path("keys/hashmark.key.pem"), file])
        let reportFile = try #require(try FileManager.default.contentsOfDirectory(atPath: reports).first { $0.hasSuffix(".json") },
                                      "\(r.stdout)\(r.stderr)")
        let path = reports + "/" + reportFile
        // `check --json` carries the report's `subject.document` as `document`.
        let line = try JSONValue.parse(Array((r.stdout.split(separator: "\n").first ?? "").utf8))
        if line["verdict"] != .string("error") { #expect(line["document"]?["format"] != nil, "\(r.stdout)") }
        let verify = try CLI.run(["verify", path, "--pubkey", dir.path("keys/hashmark.pub.pem"), "--file", file])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        return (r.status, try VerdictReport(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path)))), path)
    }

    static func textSpans(_ report: VerdictReport) -> [TextEvidence.Span] {
        report.matches.filter { $0.work.id == text }.flatMap { m -> [TextEvidence.Span] in
            if case .text(let e) = m.evidence { return e.spans }
            return []
        }
    }

    @Test(arguments: ["pdf", "epub", "docx", "odt"])
    func aPassageInADocumentIsFoundWithItsPlace(_ format: String) throws {
        let dir = try TempDir()
        let before = try Self.filler(3), after = try Self.filler(3, from: 400)
        let passage = try Self.passage()
        let bytes: [UInt8] = switch format {
        case "pdf": PDFWriter.pdf(pages: [before, [passage], after])
        case "epub": try ZipDocumentWriter.epub(chapters: [before, [passage] + after])
        case "docx": try ZipDocumentWriter.docx(paragraphs: before + [passage] + after)
        default: try ZipDocumentWriter.odt(paragraphs: before + [passage] + after)
        }
        let (status, report, path) = try Self.check("submission." + format, bytes, dir: dir)
        #expect(status == 1, "\(report.verdict) \(report.error?.message ?? "")")
        #expect(report.schema == VerdictReport.documentSchemaId)
        let document = try #require(report.subject.document)
        #expect(document.format == format)
        #expect(document.textBytes > passage.utf8.count)
        let span = try #require(Self.textSpans(report).first)
        let location = try #require(span.submitted.location)
        switch format {
        case "pdf": #expect(location.page == 2)
        case "epub": #expect(location.chapter == 2 && location.paragraph == 1 && location.entry != nil)
        case "docx": #expect(location.entry == "word/document.xml" && location.paragraph == 4)
        default: #expect(location.entry == "content.xml" && location.paragraph == 4)
        }
        // The evidence page cuts the passage from the extracted text and says where it is.
        let page = try Self.html(path, file: dir.path("submission." + format), dir: dir)
        #expect(page.contains("Submitted · " + location.description))
        #expect(page.contains("<mark>"), "aligned words highlighted in the extracted text")
    }

    @Test(arguments: ["pdf", "epub", "docx", "odt"])
    func anImageInADocumentIsFoundWithTheImageItIsIn(_ format: String) throws {
        let dir = try TempDir()
        let jpeg = Array(try Data(contentsOf: URL(fileURLWithPath: Corpus.image(Self.image))))
        let (width, height) = (451, 300)   // chelsea.jpg
        let words = try Self.filler(2)
        let bytes: [UInt8] = switch format {
        case "pdf": PDFWriter.pdf(pages: [words, ["Figure on the second page."]],
                                  images: [(page: 2, jpeg: jpeg, width: width, height: height)])
        case "epub": try ZipDocumentWriter.epub(chapters: [words], images: [jpeg])
        case "docx": try ZipDocumentWriter.docx(paragraphs: words, images: [jpeg])
        default: try ZipDocumentWriter.odt(paragraphs: words, images: [jpeg])
        }
        let (status, report, path) = try Self.check("figure." + format, bytes, dir: dir)
        #expect(status == 1, "\(report.verdict) \(report.error?.message ?? "")")
        let match = try #require(report.matches.first { $0.work.id == Self.image && $0.isMatch == true })
        let location = try #require(match.location)
        if format == "pdf" { #expect(location.page == 2) } else { #expect(location.entry != nil) }
        #expect(report.subject.document?.images == 1)
        // The evidence page shows the embedded image (a thumbnail) beside the work's, and where it is.
        let page = try Self.html(path, file: dir.path("figure." + format), dir: dir)
        #expect(page.contains(HTMLText.escape(location.description)))
        #expect(!page.contains("Submitted file not shown"))
        #expect(page.contains("Submitted document, " + HTMLText.escape(location.description)))
    }

    @Test func anUnrelatedDocumentIsClear() throws {
        let dir = try TempDir()
        let coffee = Array(try Data(contentsOf: URL(fileURLWithPath: Corpus.image(RegisteredCorpus.unrelatedImage))))
        let bytes = try ZipDocumentWriter.docx(paragraphs: try Self.filler(8), images: [coffee])
        let (status, report, _) = try Self.check("unrelated.docx", bytes, dir: dir)
        #expect(status == 0)
        #expect(report.verdict == .clear)
        #expect(report.subject.document?.format == "docx")
        #expect(report.subject.document?.images == 1)
    }

    @Test func aDocumentWithNothingInItIsAnErrorVerdict() throws {
        let dir = try TempDir()
        let (status, report, _) = try Self.check("blank.docx", try ZipDocumentWriter.docx(paragraphs: []), dir: dir)
        #expect(status == 2)
        #expect(report.error?.code == "document-empty")
    }
}

/// A rights holder's book registered as a document: its text becomes a text work, and a plain
/// text copying a passage of it is found, with the source span in the work's extracted text.
@Suite(.timeLimit(.minutes(15))) struct DocumentRegistrationTests {
    @Test(arguments: ["pdf", "epub"])
    func aBookRegisteredAsADocumentIsMatchedByItsText(_ format: String) throws {
        let dir = try TempDir()
        let words = try String(contentsOfFile: Corpus.text(RegisteredCorpus.unrelatedText), encoding: .utf8)
            .split(whereSeparator: \.isWhitespace)
        let paragraphs = stride(from: 0, to: min(words.count, 1_200), by: 80).map { words[$0..<min(words.count, $0 + 80)].joined(separator: " ") }
        let book = format == "pdf" ? PDFWriter.pdf(pages: [Array(paragraphs.prefix(8)), Array(paragraphs.dropFirst(8))])
            : try ZipDocumentWriter.epub(chapters: [Array(paragraphs.prefix(8)), Array(paragraphs.dropFirst(8))])
        let works = dir.path("works")
        try FileManager.default.createDirectory(atPath: works, withIntermediateDirectories: true)
        try Data(book).write(to: URL(fileURLWithPath: works + "/whale-book." + format))
        let db = dir.path("corpus.sqlite")
        let add = try CLI.run(["corpus", "add", "--db", db, "--owner", "Test Rights Ltd", "--license", "CC0-1.0", works])
        #expect(add.status == 0, "\(add.stdout)\(add.stderr)")
        let copy = dir.path("copy.txt")
        try (["A new story begins here, in words of its own."] + paragraphs[10...12] + ["And it ends in other words."])
            .joined(separator: "\n\n").write(toFile: copy, atomically: true, encoding: .utf8)
        let check = try CLI.run(["check", "--json", "--db", db, copy])
        #expect(check.status == 1, "\(check.stdout)\(check.stderr)")
        let line = try JSONValue.parse(Array((check.stdout.split(separator: "\n").first ?? "").utf8))
        guard case .array(let matches)? = line["matches"], let first = matches.first else {
            Issue.record("no match: \(check.stdout)")
            return
        }
        #expect(first["work"]?["id"] == .string("whale-book"))
        #expect(first["work"]?["mediaType"] == .string(format == "pdf" ? "application/pdf" : "application/epub+zip"))
        #expect(first["matcher"] == .string("text-align"))
    }
}
