import HashmarkDocument
import HashmarkReport
import HashmarkTransforms
import Testing

/// ZipDocumentWriter output read back by ZipDocumentReader.
@Suite struct ZipRoundTripTests {
    typealias S = ZipTestSupport
    static let paragraphs = ["Plain words.", "Markup <b> & \"quotes\" 'kept'.", "Unicode: café, Ελληνικά, 日本語 — ok",
                             "Line one\nline two"]
    /// Not a decodable JPEG, but its signature is; the reader keeps bytes as stored.
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 7, count: 60) + [0xFF, 0xD9]

    @Test func docx() throws {
        let png = try S.fixture("palette.png")
        let doc = try ZipDocumentReader.extract(ZipDocumentWriter.docx(paragraphs: Self.paragraphs + ["Tab\there"],
                                                                         images: [png, Self.jpeg]), format: .docx)
        #expect(S.paragraphs(doc) == Self.paragraphs + ["Tab\there"])
        #expect(doc.sections.map(\.location.paragraph) == [1, 2, 3, 4, 5])
        #expect(doc.images.map(\.bytes) == [png, Self.jpeg])
        #expect(doc.images.map(\.location) == [DocumentLocation(entry: "word/media/image1.png", paragraph: 1),
                                               DocumentLocation(entry: "word/media/image2.jpeg", paragraph: 1)])
    }

    @Test func odtKeepsCountedSpaces() throws {
        let png = try S.fixture("palette.png")
        let texts = Self.paragraphs + ["Tab\there", "Three   spaces"]
        let doc = try ZipDocumentReader.extract(ZipDocumentWriter.odt(paragraphs: texts, images: [png]), format: .odt)
        #expect(S.paragraphs(doc) == texts)
        #expect(doc.sections.map(\.location) == (1...6).map { DocumentLocation(entry: "content.xml", paragraph: $0) })
        #expect(doc.images == [.init(bytes: png, location: DocumentLocation(entry: "Pictures/image1.png", paragraph: 1))])
    }

    @Test func epub() throws {
        let png = try S.fixture("palette.png")
        let bytes = try ZipDocumentWriter.epub(chapters: [Self.paragraphs, ["Second chapter."]], images: [Self.jpeg, png],
                                               title: "A & B")
        let doc = try ZipDocumentReader.extract(bytes, format: .epub)
        #expect(S.paragraphs(doc) == Self.paragraphs + ["Second chapter."])
        #expect(doc.pageCount == 2)
        #expect(doc.sections.map(\.location) == [1, 2, 3, 4].map {
            DocumentLocation(chapter: 1, entry: "OEBPS/chapter1.xhtml", paragraph: $0)
        } + [DocumentLocation(chapter: 2, entry: "OEBPS/chapter2.xhtml", paragraph: 1)])
        #expect(doc.images.map(\.bytes) == [Self.jpeg, png])
        #expect(doc.images.map(\.location) == [DocumentLocation(chapter: 1, entry: "OEBPS/images/image1.jpeg"),
                                               DocumentLocation(chapter: 1, entry: "OEBPS/images/image2.png")])
    }

    @Test func imagesOverTheCapOrUnknownAreCountedAsSkipped() throws {
        let png = try S.fixture("palette.png")
        let notAnImage: [UInt8] = Array("GIF? no, plain text".utf8)
        let bytes = try ZipDocumentWriter.docx(paragraphs: ["x"], images: [notAnImage, png, Self.jpeg])
        let doc = try ZipDocumentReader.extract(bytes, format: .docx, limits: DocumentLimits(maxImages: 1))
        #expect(doc.images.map(\.bytes) == [png])
        #expect(doc.skippedImages == 2)
    }

    @Test func emptyDocumentsAreNotAnErrorHere() throws {
        let doc = try ZipDocumentReader.extract(ZipDocumentWriter.odt(paragraphs: []), format: .odt)
        #expect(doc.text.isEmpty && doc.sections.isEmpty && doc.images.isEmpty)
    }
}
