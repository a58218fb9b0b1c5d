import HashmarkMedia
import Testing

@Suite("Media type sniffing")
struct MediaSniffTests {
    static let samples = MediaFixtures.names { $0.mediaType != nil }
    static let images = MediaFixtures.names { $0.format != nil }

    @Test(arguments: samples)
    func documentTypes(_ name: String) throws {
        let expected = try #require(MediaFixtures.expected[name]?.mediaType)
        #expect(MediaType.sniff(try MediaFixtures.bytes(name), fileName: name).rawValue == expected)
    }

    @Test(arguments: images)
    func imagesByMagicNotName(_ name: String) throws {
        let expected = try #require(MediaFixtures.expected[name]?.format)
        let bytes = try MediaFixtures.bytes(name)
        // The name lies on purpose: the bytes decide.
        #expect(MediaType.sniff(bytes, fileName: "picture.txt").rawValue == expected)
        #expect(MediaType.sniff(bytes[...], fileName: nil).rawValue == expected)
    }

    @Test func markdownOnlyFromTheExtensionOfText() throws {
        let md = try MediaFixtures.bytes("notes.md")
        #expect(MediaType.sniff(md, fileName: nil) == .text)
        #expect(MediaType.sniff(md, fileName: "README.MARKDOWN") == .markdown)
        #expect(MediaType.sniff(try MediaFixtures.bytes("page.html"), fileName: "x.md") == .html)
        #expect(MediaType.sniff(try MediaFixtures.bytes("rgb8.png"), fileName: "x.md") == .png)
    }

    @Test func wrongMagicAndGarbage() throws {
        #expect(MediaType.sniff(try MediaFixtures.bytes("text-renamed.jpg"), fileName: "text-renamed.jpg") == .text)
        #expect(MediaType.sniff(try MediaFixtures.bytes("random-garbage.jpg"), fileName: "random-garbage.jpg") == .unknown)
        #expect(MediaType.sniff(try MediaFixtures.bytes("png-magic-jpeg-body.png"), fileName: nil) == .png)
        #expect(MediaType.sniff([UInt8](), fileName: "empty.txt") == .unknown)
        #expect(MediaType.sniff(Array("plain\u{0}with a NUL".utf8), fileName: nil) == .unknown)
    }

    @Test func mimeTypes() {
        #expect(MediaType.jpeg.mimeType == "image/jpeg")
        #expect(MediaType.text.mimeType == "text/plain")
        #expect(MediaType.markdown.mimeType == "text/markdown")
        #expect(MediaType.docx.mimeType.hasSuffix("wordprocessingml.document"))
        #expect(MediaType.allCases.filter(\.isDecodableImage) == [.jpeg, .png, .webp, .gif])
    }
}
