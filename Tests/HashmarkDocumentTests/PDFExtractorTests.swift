import Foundation
import HashmarkDocument
import HashmarkReport
import HashmarkTransforms
import Testing

/// PDFWriter → PDFExtractor through the real Poppler tools.
@Suite(.timeLimit(.minutes(15))) struct PDFExtractorTests {
    static let pages = [
        ["It is a truth universally acknowledged that a single man in possession of a good fortune must be in want of a wife.",
         "However little known the feelings or views of such a man may be on his first entering a neighbourhood."],
        ["My dear Mr Bennet, said his lady to him one day, have you heard that Netherfield Park is let at last?"],
        ["Mr Bennet replied that he had not.", "But it is, returned she; for Mrs Long has just been here."],
    ]

    @Test func paragraphsComeBackInOrderWithTheirPages() throws {
        let doc = try PDFExtractor().extract(PDFWriter.pdf(pages: Self.pages))
        #expect(doc.format == .pdf)
        #expect(doc.pageCount == 3)
        #expect(doc.extractor.hasPrefix("pdftotext "))
        #expect(doc.extractor.dropFirst("pdftotext ".count).first?.isNumber == true)
        #expect(PDFFixtures.words(doc.text) == PDFFixtures.words(Self.pages.flatMap { $0 }.joined(separator: " ")))
        let expectedPages = Self.pages.enumerated().flatMap { page in page.element.map { _ in page.offset + 1 } }
        #expect(doc.sections.map(\.location.page) == expectedPages)
        #expect(doc.sections.map(\.location.paragraph) == [1, 2, 1, 1, 2])
        for (section, paragraph) in zip(doc.sections, Self.pages.flatMap { $0 }) {
            let bytes = Array(doc.text.utf8)[section.offset..<(section.offset + section.length)]
            #expect(PDFFixtures.words(String(decoding: bytes, as: UTF8.self)) == PDFFixtures.words(paragraph))
        }
        let netherfield = try #require(doc.text.utf8.firstRange(of: "Netherfield".utf8))
        let offset = doc.text.utf8.distance(from: doc.text.utf8.startIndex, to: netherfield.lowerBound)
        #expect(doc.location(ofByte: offset)?.page == 2)
    }

    @Test func theJPEGComesBackWithItsPage() throws {
        let jpeg = try PDFFixtures.jpeg("progressive.jpg")
        let pdf = PDFWriter.pdf(pages: Self.pages, images: [(page: 2, jpeg: jpeg, width: 64, height: 43)])
        let doc = try PDFExtractor().extract(pdf)
        #expect(doc.images.count == 1)
        #expect(doc.images.first?.location == DocumentLocation(page: 2, image: 1))
        #expect(doc.images.first?.bytes == jpeg)
        #expect(doc.skippedImages == 0)
    }

    @Test func imagesOverTheCapAndTinyOnesAreCountedAsSkipped() throws {
        let jpeg = try PDFFixtures.jpeg("progressive.jpg")
        let tiny = try PDFFixtures.jpeg("exif-orientation-1.jpg") // 24 × 16
        let pdf = PDFWriter.pdf(pages: Self.pages, images: [
            (page: 1, jpeg: tiny, width: 24, height: 16), (page: 3, jpeg: jpeg, width: 64, height: 43),
            (page: 2, jpeg: jpeg, width: 64, height: 43),
        ])
        let doc = try PDFExtractor(limits: DocumentLimits(maxImages: 1)).extract(pdf)
        #expect(doc.images.map(\.location.page) == [2])
        #expect(doc.skippedImages == 2)
    }

    @Test func longTextFlowsOntoMorePagesAndKeepsEveryWord() throws {
        let paragraph = (1...1500).map { "w\($0)" }.joined(separator: " ")
        let doc = try PDFExtractor().extract(PDFWriter.pdf(pages: [[paragraph]]))
        #expect((doc.pageCount ?? 0) > 1)
        #expect(PDFFixtures.words(doc.text) == PDFFixtures.words(paragraph))
        #expect(Set(doc.sections.compactMap(\.location.page)).count == doc.pageCount)
    }
}
