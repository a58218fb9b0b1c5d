import Foundation
import HashmarkDocument
import HashmarkReport
import Testing

/// Documents written by pandoc (Tests/Fixtures/documents/README.md): text, locations, images.
@Suite struct ZipFixtureTests {
    typealias S = ZipTestSupport

    /// The three prose paragraphs of sample.md, as written.
    static func prose() throws -> [String] {
        let md = try String(contentsOf: S.fixtures.appendingPathComponent("sample.md"), encoding: .utf8)
        return md.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.hasPrefix("#") && !$0.hasPrefix("!") && !$0.isEmpty }
    }

    @Test(arguments: [("sample.docx", ExtractedDocument.Format.docx, "word/document.xml"),
                      ("sample.odt", .odt, "content.xml")])
    func officeDocumentsKeepParagraphsInOrder(file: String, format: ExtractedDocument.Format, entry: String) throws {
        let doc = try ZipDocumentReader.extract(S.fixture(file), format: format)
        let prose = try Self.prose()
        #expect(prose.count == 3)
        #expect(S.paragraphs(doc) == ["Chapter One", prose[0], prose[1], "A cat", "Chapter Two", prose[2]])
        #expect(doc.sections.map(\.location) == (1...6).map { DocumentLocation(entry: entry, paragraph: $0) })
        #expect(doc.text == S.paragraphs(doc).joined(separator: "\n\n"))
        #expect(doc.extractor == (format == .docx ? "hashmark-docx/1" : "hashmark-odt/1"))
        let png = try S.fixture("palette.png")
        #expect(doc.images.map(\.bytes) == [png])
        #expect(doc.images.first?.location.entry == (format == .docx ? "word/media/rId20.png" : "Pictures/0.png"))
        // The image's own paragraph is empty; it is placed at the next one, its caption.
        #expect(doc.images.first?.location.paragraph == 4)
        #expect(doc.skippedImages == 0)
    }

    @Test func epubChaptersFollowTheSpine() throws {
        let doc = try ZipDocumentReader.extract(S.fixture("sample.epub"), format: .epub)
        let prose = try Self.prose()
        #expect(doc.pageCount == 3)
        #expect(doc.extractor == "hashmark-epub/1")
        #expect(S.paragraphs(doc) == ["Pride and Prejudice (excerpt)", "Chapter One", prose[0], prose[1], "A cat",
                                      "Chapter Two", prose[2]])
        let title = "EPUB/text/title_page.xhtml", one = "EPUB/text/ch001.xhtml", two = "EPUB/text/ch002.xhtml"
        #expect(doc.sections.map(\.location) == [
            DocumentLocation(chapter: 1, entry: title, paragraph: 1),
            DocumentLocation(chapter: 2, entry: one, paragraph: 1), DocumentLocation(chapter: 2, entry: one, paragraph: 2),
            DocumentLocation(chapter: 2, entry: one, paragraph: 3), DocumentLocation(chapter: 2, entry: one, paragraph: 4),
            DocumentLocation(chapter: 3, entry: two, paragraph: 1), DocumentLocation(chapter: 3, entry: two, paragraph: 2),
        ])
        #expect(doc.images.map(\.bytes) == [try S.fixture("palette.png")])
        #expect(doc.images.first?.location == DocumentLocation(chapter: 2, entry: "EPUB/media/file0.png"))
        let offset = try #require(doc.text.utf8.firstRange(of: prose[2].utf8)).lowerBound
        #expect(doc.location(ofByte: doc.text.utf8.distance(from: doc.text.utf8.startIndex, to: offset))
                == DocumentLocation(chapter: 3, entry: two, paragraph: 2))
    }
}
