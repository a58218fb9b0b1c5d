import Foundation
import HashmarkDocument
import HashmarkReport
import Testing

/// How pdftotext's output becomes text and sections, with stand-in Poppler tools that print
/// exactly what the test needs (form feeds, blank lines, invalid UTF-8).
@Suite(.timeLimit(.minutes(15))) struct PDFTextTests {
    func extract(pdftotext body: String) throws -> ExtractedDocument {
        let directory = try PDFFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try PDFFixtures.script("pdfinfo", in: directory, "printf 'Pages:          3\\nEncrypted:      no\\n'")
        try PDFFixtures.script("pdfimages", in: directory, "exit 0")
        try PDFFixtures.script("pdftotext", in: directory,
                               "if [ \"$1\" = -v ]; then echo 'pdftotext version 9.8.7' >&2; exit 0; fi\n" + body)
        return try PDFExtractor(popplerDirectory: directory.path).extract(Array("%PDF-1.4\n".utf8))
    }

    @Test func pagesAndParagraphsBecomeSectionsAtUTF8Offsets() throws {
        let doc = try extract(pdftotext: "printf 'caf\\303\\251 one  \\nline two\\n\\n\\nthird\\n\\f\\f  \\nlast page\\n\\f'")
        #expect(doc.text == "café one\nline two\n\nthird\n\nlast page")
        #expect(doc.extractor == "pdftotext 9.8.7")
        #expect(doc.sections == [
            .init(offset: 0, length: 18, location: DocumentLocation(page: 1, paragraph: 1)),
            .init(offset: 20, length: 5, location: DocumentLocation(page: 1, paragraph: 2)),
            .init(offset: 27, length: 9, location: DocumentLocation(page: 3, paragraph: 1)),
        ])
    }

    @Test func invalidUTF8IsReplaced() throws {
        let doc = try extract(pdftotext: "printf 'bad \\377\\376 bytes\\n\\f'")
        #expect(doc.text == "bad \u{FFFD}\u{FFFD} bytes")
        #expect(doc.sections.first?.length == doc.text.utf8.count)
    }

    @Test func noTextAndNoImagesIsEmpty() {
        #expect(throws: DocumentError(.empty, "no text and no image in 3 page(s) (a scan needs OCR)")) {
            try extract(pdftotext: "printf '\\f\\f\\f'")
        }
    }

    @Test func aCrashingExtractorIsInvalid() {
        do {
            _ = try extract(pdftotext: "echo 'Syntax Error: damaged' >&2; kill -SEGV $$")
            Issue.record("no error")
        } catch {
            let failure = error as? DocumentError
            #expect(failure?.code == .invalid)
            #expect(failure?.message.contains("Syntax Error: damaged") == true)
        }
    }
}
