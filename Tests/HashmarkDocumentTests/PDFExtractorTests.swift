import Foundation
import HashmarkDocument
import HashmarkReport
import HashmarkTransforms
import Testing

/// PDFs through Poppler in limited child processes: text by page, images by page, and every way
/// a PDF or the extractor can fail ending in a clear `DocumentError`, never a hang.
@Suite struct PDFExtractorTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/documents/pdf")
    static let corpusJPEG = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Corpus/images/scikit-image__chelsea.jpg")

    static func words(_ s: some StringProtocol) -> [Substring] { s.split(whereSeparator: \.isWhitespace).map { Substring($0) } }

    @Test func textComesBackPageByPageWithItsLocations() throws {
        let pages = [["The first page opens here.", "A second paragraph on page one."],
                     ["Page two has a single paragraph about whales and ships."],
                     ["The third page ends the document."]]
        let document = try PDFExtractor().extract(PDFWriter.pdf(pages: pages))
        #expect(document.format == .pdf)
        #expect(document.pageCount == 3)
        #expect(document.extractor.hasPrefix("pdftotext "), "\(document.extractor)")
        #expect(Self.words(document.text) == Self.words(pages.flatMap { $0 }.joined(separator: " ")))
        for (p, page) in pages.enumerated() {
            for paragraph in page {
                let offset = try #require(document.text.utf8.firstRange(of: paragraph.utf8)).lowerBound
                let byte = document.text.utf8.distance(from: document.text.utf8.startIndex, to: offset)
                #expect(document.location(ofByte: byte)?.page == p + 1, "\(paragraph)")
            }
        }
        #expect(document.sections.map(\.location) == (1...3).map { DocumentLocation(page: $0) })
    }

    @Test func anEmbeddedJPEGComesBackAsStoredWithItsPage() throws {
        let jpeg = Array(try Data(contentsOf: Self.corpusJPEG))
        let pdf = PDFWriter.pdf(pages: [["No image here."], ["The figure."]],
                                images: [(page: 2, jpeg: jpeg, width: 451, height: 300)])
        let document = try PDFExtractor().extract(pdf)
        #expect(document.images.count == 1)
        #expect(document.images.first?.bytes == jpeg)
        #expect(document.images.first?.location == DocumentLocation(page: 2, image: 1))
        #expect(document.skippedImages == 0)
    }

    @Test func imagesOverTheLimitAreCountedNotKept() throws {
        let jpeg = Array(try Data(contentsOf: Self.corpusJPEG))
        let pdf = PDFWriter.pdf(pages: [["a"], ["b"], ["c"]], images: (1...3).map { (page: $0, jpeg: jpeg, width: 451, height: 300) })
        let document = try PDFExtractor(limits: DocumentLimits(maxImages: 2)).extract(pdf)
        #expect(document.images.map(\.location.page) == [1, 2])
        #expect(document.skippedImages == 1)
    }

    @Test func aPasswordProtectedPDFIsEncrypted() throws {
        let bytes = Array(try Data(contentsOf: Self.fixtures.appendingPathComponent("encrypted.pdf")))
        #expect(throws: DocumentError(.encrypted, "")) { try Self.code(PDFExtractor().extract(bytes)) }
    }

    @Test func damagedAndFakePDFsAreInvalid() throws {
        let whole = PDFWriter.pdf(pages: [["Some text that will be cut off."]])
        for bytes in [Array("%PDF-1.4 nothing else".utf8), Array("plain text, not a PDF at all\n".utf8),
                      Array(whole.prefix(40))] {
            #expect(throws: DocumentError(.invalid, "")) { try Self.code(PDFExtractor().extract(bytes)) }
        }
    }

    @Test func tooManyPagesOrTooMuchTextIsTooLarge() throws {
        let pdf = PDFWriter.pdf(pages: (1...6).map { ["Page \($0) of a long document with many words in it."] })
        #expect(throws: DocumentError(.tooLarge, "")) { try Self.code(PDFExtractor(limits: DocumentLimits(maxPages: 5)).extract(pdf)) }
        #expect(throws: DocumentError(.tooLarge, "")) { try Self.code(PDFExtractor(limits: DocumentLimits(maxTextBytes: 100)).extract(pdf)) }
        #expect(try PDFExtractor(limits: DocumentLimits(maxPages: 6)).extract(pdf).pageCount == 6)
    }

    /// A "Poppler" that never answers is killed at the deadline: the call returns in about the
    /// limit, not the script's minute.
    @Test func aHangingExtractorIsKilledAtTheDeadline() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hashmark-fake-poppler-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for tool in ["pdfinfo", "pdftotext", "pdfimages"] {
            let path = dir.appendingPathComponent(tool).path
            try "#!/bin/sh\nexec sleep 60\n".write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o755)
        }
        let start = Date()
        #expect(throws: DocumentError(.timeout, "")) {
            try Self.code(PDFExtractor(limits: DocumentLimits(processSeconds: 1), popplerDirectory: dir.path)
                .extract(PDFWriter.pdf(pages: [["x"]])))
        }
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func aMissingPopplerIsExtractorUnavailable() throws {
        #expect(throws: DocumentError(.extractorUnavailable, "")) {
            try Self.code(PDFExtractor(popplerDirectory: "/nonexistent/poppler").extract(PDFWriter.pdf(pages: [["x"]])))
        }
    }

    /// Runs `body`, keeping only the code of a thrown `DocumentError` (messages vary by Poppler
    /// version), so `#expect(throws:)` compares codes.
    static func code(_ body: @autoclosure () throws(DocumentError) -> ExtractedDocument) throws(DocumentError) {
        do { _ = try body() } catch { throw DocumentError(error.code, "") }
    }
}
