import Foundation
import HashmarkFingerprint
import HashmarkMedia
import Testing

@Suite("Text decoding")
struct TextDecoderTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/text")

    static func fixture(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: directory.appendingPathComponent(name)), as: UTF8.self)
    }

    @Test func encodingsAreDetected() throws {
        let text = try Self.fixture("sword-text-web__WEB_Ruth.txt") // has non-ASCII punctuation
        #expect(text.unicodeScalars.contains { $0.value > 0x7F })
        let utf8 = Array(text.utf8)
        #expect(try TextDecoder.decode(utf8) == DecodedText(text: text, encoding: .utf8, format: .plain))
        #expect(try TextDecoder.decode([0xEF, 0xBB, 0xBF] + utf8).encoding == .utf8BOM)
        #expect(try TextDecoder.decode([0xEF, 0xBB, 0xBF] + utf8).text == text)
        let le: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let be: [UInt8] = [0xFE, 0xFF] + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(try TextDecoder.decode(le) == DecodedText(text: text, encoding: .utf16LE, format: .plain))
        #expect(try TextDecoder.decode(be) == DecodedText(text: text, encoding: .utf16BE, format: .plain))
        // "Café naïve" in ISO-8859-1 is not UTF-8: it falls back to Latin-1.
        let latin1: [UInt8] = [0x43, 0x61, 0x66, 0xE9, 0x20, 0x6E, 0x61, 0xEF, 0x76, 0x65]
        #expect(try TextDecoder.decode(latin1) == DecodedText(text: "Café naïve", encoding: .latin1, format: .plain))
    }

    @Test func undecodableBytesAreTypedErrors() throws {
        func code(_ bytes: [UInt8]) -> TextDecodingError.Code? {
            do { _ = try TextDecoder.decode(bytes); return nil } catch { return error.code }
        }
        #expect(code([0x00, 0x01, 0x02, 0xFF]) == .invalidTextEncoding)        // binary
        #expect(code([0x41, 0x00, 0x42, 0x00]) == .invalidTextEncoding)        // UTF-16 without BOM
        #expect(code([0xFF, 0xFE, 0x41]) == .invalidTextEncoding)              // odd UTF-16
        #expect(code([0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00]) == .invalidTextEncoding) // lone surrogate
        #expect(code([0xEF, 0xBB, 0xBF, 0xC3]) == .invalidTextEncoding)        // BOM + bad UTF-8
        #expect(code([]) == nil)
        // Damaged UTF-8: "né" valid, then a lone continuation byte and a truncated sequence.
        #expect(code([0x6E, 0xC3, 0xA9, 0x20, 0x80, 0x20, 0xE2, 0x82]) == .invalidUTF8)
        #expect(throws: TextDecodingError.self) { try TextFormat.forExtension("PDF") }
        #expect(throws: TextDecodingError.self) { try TextFormat.forExtension("docx") }
        #expect(try TextFormat.forExtension("HTM") == .html)
    }

    /// The byte cap is checked before anything else: even bytes that are not text report the size.
    @Test func inputOverTheByteCapIsRefusedBeforeDecoding() throws {
        func code(_ bytes: [UInt8], maxBytes: Int) -> TextDecodingError.Code? {
            do { _ = try TextDecoder.decode(bytes, format: .markdown, maxBytes: maxBytes); return nil } catch { return error.code }
        }
        let text = Array(String(repeating: "[", count: 4096).utf8)
        #expect(code(text, maxBytes: 4095) == .fileTooLarge)
        #expect(code(text, maxBytes: 4096) == nil)
        #expect(code([0x00, 0x01, 0x02, 0xFF], maxBytes: 3) == .fileTooLarge)
        #expect(TextDecodingError.Code.fileTooLarge.rawValue == "file-too-large")
        #expect(TextDecoder.defaultMaxBytes == ImageLimits().maxFileBytes)
    }

    @Test func htmlKeepsTheProseOnly() throws {
        let html = """
        <!DOCTYPE html><html><head><title>T</title><style>p { color: red; } .x > y {}</style>
        <script type="text/javascript">if (a < b && c > d) { document.write("scripted words"); }</script></head>
        <body><!-- a comment <p>hidden</p> --><h1 class="a>b">Chapter&nbsp;One</h1>
        <p>It was a <b>tr</b>uth &amp; a fact &#8212; &#x201C;quoted&#x201D;, 3 &lt; 4.</p><p>Next<br/>line</p>
        <p>Bad &bogus; entity & lone < sign</p></body></html>
        """
        let text = try TextDecoder.decode(Array(html.utf8), format: .html).text
        #expect(TextNormalizer.foldedWords(text) == TextNormalizer.foldedWords(
            "T Chapter One It was a truth a fact quoted 3 4 Next line Bad bogus entity lone sign"))
        #expect(text.contains("&bogus;") && text.contains("\u{2014}") && text.contains("\u{201C}quoted\u{201D}"))
        #expect(!text.contains("scripted") && !text.contains("hidden") && !text.contains("color"))
    }

    @Test func markdownKeepsTheProseOnly() throws {
        let md = """
        # The *Title*

        > A **quoted** line with `code` and ~~struck~~ text.
        - item one with a [link text](https://example.org/x_y) and ![alt words](img.png)
        2. numbered snake_case _emphasis_ item
        ```swift
        let fenced = "code stays"
        ```
        ---
        [ref]: https://example.org
        """
        let text = try TextDecoder.decode(Array(md.utf8), format: .markdown).text
        #expect(TextNormalizer.foldedWords(text) == TextNormalizer.foldedWords("""
            The Title A quoted line with code and struck text item one with a link text and alt words \
            numbered snake case emphasis item let fenced code stays
            """))
        #expect(text.contains("snake_case") && !text.contains("https") && !text.contains("**"))
    }

    @Test func htmlCopyOfACorpusPassageAlignsWithSpansInTheExtractedText() throws {
        let work = try Self.fixture("r-cran-janeaustenr__austen_prideprejudice_02.txt")
        let workText = TextNormalizer.normalize(work)
        let source = workText.byteRange(words: 900..<970)
        let passage = String(decoding: Array(work.utf8)[source], as: UTF8.self)
        let words = passage.split(separator: " ")
        let html = "<html><body><p>Some unrelated opening words about sockets and servers.</p><p>"
            + words.prefix(35).joined(separator: " ") + "</p>\n<p><i>" + words.dropFirst(35).joined(separator: " ")
            + "</i></p><script>var x = 1;</script></body></html>"
        let decoded = try TextDecoder.decode(Array(html.utf8), format: .html)
        let query = TextNormalizer.normalize(decoded.text)
        let passages = TextAligner.align(query: query, work: workText,
                                         seeds: TextAligner.seeds(query: query, work: workText))
        let summary = TextAlignmentSummary(passages)
        #expect(summary.matchedWords == 70 && summary.alignedWords == 70)
        let p = try #require(passages.first)
        #expect(p.workOffset == source.lowerBound && p.workLength == source.count)
        // The query span points into the extracted plain text, at the copied words.
        let span = Array(decoded.text.utf8)[p.queryOffset..<p.queryOffset + p.queryLength]
        #expect(TextNormalizer.foldedWords(String(decoding: span, as: UTF8.self)) == TextNormalizer.foldedWords(passage))
    }
}
