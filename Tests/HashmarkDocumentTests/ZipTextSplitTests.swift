import HashmarkDocument
import Testing

/// Text split by many comments or CDATA sections is joined in linear time: a paragraph of
/// 200,000 one-letter runs between comments (a crafted DOCX) comes back whole.
@Suite struct ZipTextSplitTests {
    @Test func textBrokenByManyCommentsIsJoinedWhole() throws {
        let runs = 200_000
        // Varied comments, so the part does not compress past the ratio limit.
        var body = "", expected = ""
        var x: UInt32 = 12_345
        for _ in 0..<runs {
            x = x &* 1_103_515_245 &+ 12_345
            let letter = Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(x >> 16 % 26)))
            body += "\(letter)<!--\(x)-->"
            expected.append(letter)
        }
        let xml = """
            <?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\
            <w:body><w:p><w:r><w:t>\(body)</w:t></w:r></w:p></w:body></w:document>
            """
        let document = try ZipDocumentReader.extract(try ZipHostileTests.docx(xml), format: .docx)
        #expect(document.text == expected)
        #expect(document.sections.count == 1)
    }
}
