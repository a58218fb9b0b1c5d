import HashmarkDocument
import HashmarkReport
import Testing

/// Markup each format uses inside paragraphs: tracked changes, tabs, breaks, counted spaces,
/// tables, lists and notes.
@Suite struct ZipStructureTests {
    typealias S = ZipTestSupport

    @Test func docxMarkup() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" \
            xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>
              <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>
                <w:r><w:t>Kept</w:t></w:r><w:ins><w:r><w:t xml:space="preserve"> inserted</w:t></w:r></w:ins>\
            <w:del><w:r><w:delText> deleted</w:delText></w:r></w:del><w:r><w:tab/><w:t>tab</w:t><w:br/><w:t>break</w:t></w:r>
              </w:p>
              <w:p/>
              <w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell one</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>cell two</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
              <w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>choice</w:t></mc:Choice>\
            <mc:Fallback><w:t>fallback</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>
            </w:body></w:document>
            """
        let bytes = try S.zip([("word/document.xml", S.utf8(xml))])
        let doc = try ZipDocumentReader.extract(bytes, format: .docx)
        #expect(S.paragraphs(doc) == ["Kept inserted\ttab\nbreak", "cell one", "cell two", "choice"])
        #expect(doc.sections.map(\.location.paragraph) == [1, 2, 3, 4])
    }

    @Test func docxFootnotesFollowTheBody() throws {
        let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
        let body = "<w:document \(w)><w:body><w:p><w:r><w:t>Body</w:t></w:r></w:p></w:body></w:document>"
        let notes = """
            <w:footnotes \(w)><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>sep</w:t></w:r></w:p></w:footnote>\
            <w:footnote w:id="1"><w:p><w:r><w:t>Note one.</w:t></w:r></w:p></w:footnote></w:footnotes>
            """
        let doc = try ZipDocumentReader.extract(S.zip([("word/document.xml", S.utf8(body)),
                                                       ("word/footnotes.xml", S.utf8(notes))]), format: .docx)
        #expect(S.paragraphs(doc) == ["Body", "Note one."])
        #expect(doc.sections.map(\.location) == [DocumentLocation(entry: "word/document.xml", paragraph: 1),
                                                  DocumentLocation(entry: "word/footnotes.xml", paragraph: 1)])
    }

    @Test func odtMarkup() throws {
        let xml = """
            <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
            xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>
              <text:sequence-decls><text:sequence-decl text:name="Figure"/></text:sequence-decls>
              <text:h text:outline-level="1">Heading</text:h>
              <text:p>A <text:span>span</text:span>,<text:s text:c="3"/>three <text:a>link</text:a><text:tab/>x<text:line-break/>y\
            <text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>The note.</text:p></text:note-body></text:note> after</text:p>
              <text:list><text:list-item><text:p>item one</text:p><text:list><text:list-item><text:p>nested</text:p></text:list-item></text:list></text:list-item></text:list>
              <text:p>  spaced
                  out  </text:p>
            </office:text></office:body></office:document-content>
            """
        let doc = try ZipDocumentReader.extract(S.zip([("content.xml", S.utf8(xml))]), format: .odt)
        #expect(S.paragraphs(doc) == ["Heading", "A span,   three link\tx\ny after", "The note.", "item one", "nested",
                                      "spaced out"])
    }

    @Test func epubNonLinearItemsComeLast() throws {
        let opf = S.opf(manifest: """
            <item id="a" href="a.xhtml" media-type="application/xhtml+xml"/><item id="b" href="b.xhtml" media-type="application/xhtml+xml"/>\
            <item id="c" href="c.xhtml" media-type="application/xhtml+xml"/>\
            <item id="cover" href="img/cover.png" media-type="image/png" properties="cover-image"/>\
            <item id="pic" href="img/pic.png" media-type="image/png"/><item id="svg" href="img/v.svg" media-type="image/svg+xml"/>
            """, spine: "<itemref idref=\"a\" linear=\"no\"/><itemref idref=\"b\"/><itemref idref=\"c\"/>")
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]
        let bytes = try S.epub(opf: opf, files: [("OEBPS/a.xhtml", S.xhtml("<p>aside</p>")),
                                                 ("OEBPS/b.xhtml", S.xhtml("<h1>B</h1>")),
                                                 ("OEBPS/c.xhtml", S.xhtml("<p><img src=\"img/pic.png\"/>C</p>")),
                                                 ("OEBPS/img/v.svg", "<svg/>")],
                               binary: [("OEBPS/img/pic.png", png), ("OEBPS/img/cover.png", png + [4])])
        let doc = try ZipDocumentReader.extract(bytes, format: .epub)
        #expect(S.paragraphs(doc) == ["B", "C", "aside"])
        #expect(doc.sections.map(\.location.chapter) == [1, 2, 3])
        #expect(doc.sections.last?.location.entry == "OEBPS/a.xhtml")
        #expect(doc.images.map(\.location) == [DocumentLocation(entry: "OEBPS/img/cover.png"),
                                               DocumentLocation(chapter: 2, entry: "OEBPS/img/pic.png")])
        #expect(doc.skippedImages == 1)
    }
}
