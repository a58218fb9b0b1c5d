import Foundation
import HashmarkDocument
import HashmarkTransforms
import Testing

/// Hostile archives, each built here: every one must end in a specific error code.
@Suite struct ZipHostileTests {
    typealias S = ZipTestSupport

    static let docxTypes = """
        <?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>
        """

    /// A DOCX whose word/document.xml is `xml`.
    static func docx(_ xml: String) throws -> [UInt8] {
        try S.zip([("[Content_Types].xml", S.utf8(docxTypes)), ("word/document.xml", S.utf8(xml))])
    }

    @Test func zipBombIsRefusedWhileInflating() throws {
        // ~300 MB of zeros in one deflated entry; the archive itself is small.
        let bomb = try S.zeros("word/document.xml", size: 300_000_000)
        #expect(bomb.count < 1_000_000)
        let declared = S.error { () throws(DocumentError) in try ZipDocumentReader.extract(bomb, format: .docx) }
        #expect(declared?.code == .tooLarge)
        // The same entry declaring 1,000 bytes: refused by the bytes counted while inflating.
        let lying = S.declaring(uncompressedSize: 1_000, in: bomb)
        let ratio = S.error { () throws(DocumentError) in try ZipDocumentReader.extract(lying, format: .docx) }
        #expect(ratio?.code == .tooLarge)
        #expect(ratio?.message.contains("compression ratio over 200") == true)
        #expect(ratio?.message.contains("declared") == false)
        let noRatio = DocumentLimits(maxCompressionRatio: .max)
        let size = S.error { () throws(DocumentError) in try ZipDocumentReader.extract(lying, format: .docx, limits: noRatio) }
        #expect(size?.code == .tooLarge)
        #expect(size?.message.contains("more than \(64 << 20) bytes uncompressed") == true)
    }

    @Test func totalUncompressedBytesAreCapped() throws {
        // Under 1 MiB, so the ratio is not checked; 10,000 paragraphs of about 50 bytes of XML.
        let big = (1...10_000).map { "<w:p><w:r><w:t>paragraph \($0)</w:t></w:r></w:p>" }.joined()
        let bytes = try Self.docx("<w:document xmlns:w=\"\(wNS)\"><w:body>\(big)</w:body></w:document>")
        let limits = DocumentLimits(maxTotalBytes: 300_000)
        #expect(try ZipDocumentReader.extract(bytes, format: .docx).sections.count == 10_000)
        let error = S.error { () throws(DocumentError) in try ZipDocumentReader.extract(bytes, format: .docx, limits: limits) }
        #expect(error?.code == .tooLarge)
        #expect(error?.message.contains("in all") == true)
    }

    @Test func tooManyEntries() throws {
        let bytes = try ZipDocumentWriter.docx(paragraphs: ["a"], images: [[0x89, 0x50, 0x4E, 0x47]])
        #expect(try ZipDocumentReader.extract(bytes, format: .docx, limits: DocumentLimits(maxEntries: 5)).text == "a")
        let error = S.error { () throws(DocumentError) in
            try ZipDocumentReader.extract(bytes, format: .docx, limits: DocumentLimits(maxEntries: 4))
        }
        #expect(error?.code == .tooLarge)
    }

    @Test func highRatioEntryOverOneMebibyte() throws {
        let odt = try S.zip([("content.xml", S.utf8(odtContent))])
        #expect(try ZipDocumentReader.extract(odt, format: .odt).text == "hello")
        // The same with a 4 MiB picture of zeros (deflates to a few KB).
        let archive = try S.zip([("content.xml", S.utf8(odtContent)),
                                 ("Pictures/zeros.png", [UInt8](repeating: 0, count: 4 << 20))])
        #expect(archive.count < 100_000)
        let error = S.error { () throws(DocumentError) in try ZipDocumentReader.extract(archive, format: .odt) }
        #expect(error?.code == .tooLarge)
        #expect(error?.message.contains("compression ratio") == true)
    }

    @Test func billionLaughsIsRefusedWithoutExpanding() throws {
        var entities = "<!ENTITY lol \"lol\">"
        for k in 1...9 { entities += "<!ENTITY lol\(k) \"" + String(repeating: "&lol\(k - 1 == 0 ? "" : String(k - 1));", count: 10) + "\">" }
        let xml = """
            <?xml version="1.0"?><!DOCTYPE lolz [\(entities)]>
            <w:document xmlns:w="\(wNS)"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>
            """
        let bytes = try Self.docx(xml)
        let error = S.error { () throws(DocumentError) in try ZipDocumentReader.extract(bytes, format: .docx) }
        #expect(error?.code == .tooLarge)
        #expect(error?.message == "XML entity declarations are refused")
    }

    @Test func deepNestingIsRefused() throws {
        // 100,000 levels in about 700 KB (under 1 MiB, so the ratio check does not end it first).
        let depth = 100_000
        let xml = "<w:document xmlns:w=\"\(wNS)\"><w:body>" + String(repeating: "<x>", count: depth)
            + String(repeating: "</x>", count: depth) + "</w:body></w:document>"
        let bytes = try Self.docx(xml)
        let error = S.error { () throws(DocumentError) in try ZipDocumentReader.extract(bytes, format: .docx) }
        #expect(error?.code == .tooLarge)
        #expect(error?.message.contains("nesting deeper than 256") == true, "\(String(describing: error))")
    }

    @Test func opfReferenceOutsideTheArchiveIsInvalid() throws {
        let chapter = S.xhtml("<p>escaped</p>")
        let evil = try S.epub(opf: S.opf(manifest: "<item id=\"c\" href=\"../../evil.xhtml\" media-type=\"application/xhtml+xml\"/>",
                                         spine: "<itemref idref=\"c\"/>"), files: [("../../evil.xhtml", chapter)])
        let error = S.error { () throws(DocumentError) in try ZipDocumentReader.extract(evil, format: .epub) }
        #expect(error?.code == .invalid)
        #expect(error?.message.contains("resolves outside the archive") == true)
        let fine = try S.epub(opf: S.opf(manifest: "<item id=\"c\" href=\"good.xhtml\" media-type=\"application/xhtml+xml\"/>",
                                         spine: "<itemref idref=\"c\"/>"), files: [("OEBPS/good.xhtml", chapter)])
        #expect(try ZipDocumentReader.extract(fine, format: .epub).text == "escaped")
    }

    @Test func entryNamesThatClimbAreNotLookedUp() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let xml = "<w:document xmlns:w=\"\(wNS)\"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>"
        let bytes = try S.zip([("word/document.xml", S.utf8(xml)), ("word/media/../../evil.png", png),
                               ("word/media/..\\..\\win.png", png), ("word/media/ok.png", png)])
        let doc = try ZipDocumentReader.extract(bytes, format: .docx)
        #expect(doc.images.map(\.location.entry) == ["word/media/ok.png"])
        #expect(doc.skippedImages == 0)
    }

    @Test func truncatedAndNonZipBytesAreInvalid() throws {
        let bytes = try ZipDocumentWriter.docx(paragraphs: ["some text"])
        #expect(try ZipDocumentReader.extract(bytes, format: .docx).text == "some text")
        for broken in [Array(bytes.prefix(bytes.count / 2)), Array(bytes.dropLast(30)), S.utf8("%PDF-1.7 not a zip"), []] {
            let error = S.error { () throws(DocumentError) in try ZipDocumentReader.extract(broken, format: .docx) }
            #expect(error?.code == .invalid)
        }
        let pdf = S.error { () throws(DocumentError) in try ZipDocumentReader.extract(bytes, format: .pdf) }
        #expect(pdf?.code == .invalid)
    }

    @Test func brokenXMLAndMissingPartsAreInvalid() throws {
        let broken = try Self.docx("<w:document xmlns:w=\"\(wNS)\"><w:body><w:p>")
        let unclosed = S.error { () throws(DocumentError) in try ZipDocumentReader.extract(broken, format: .docx) }
        #expect(unclosed?.code == .invalid)
        let odtAsDocx = try ZipDocumentWriter.odt(paragraphs: ["x"])
        #expect(S.error { () throws(DocumentError) in try ZipDocumentReader.extract(odtAsDocx, format: .docx) }?.code == .invalid)
        #expect(S.error { () throws(DocumentError) in try ZipDocumentReader.extract(odtAsDocx, format: .epub) }?.code == .invalid)
    }

    @Test func encryptedEpubContentIsRefusedButFontObfuscationIsNot() throws {
        let opf = S.opf(manifest: "<item id=\"c\" href=\"c.xhtml\" media-type=\"application/xhtml+xml\"/>"
                        + "<item id=\"f\" href=\"f.otf\" media-type=\"font/otf\"/>", spine: "<itemref idref=\"c\"/>")
        func encryption(_ algorithm: String, _ uri: String) -> String {
            """
            <encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">\
            <enc:EncryptedData><enc:EncryptionMethod Algorithm="\(algorithm)"/>\
            <enc:CipherData><enc:CipherReference URI="\(uri)"/></enc:CipherData></enc:EncryptedData></encryption>
            """
        }
        let chapter = ("OEBPS/c.xhtml", S.xhtml("<p>text</p>"))
        let drm = try S.epub(opf: opf, files: [chapter, ("META-INF/encryption.xml",
                                                         encryption("http://www.w3.org/2001/04/xmlenc#aes128-cbc", "OEBPS/c.xhtml"))])
        let error = S.error { () throws(DocumentError) in try ZipDocumentReader.extract(drm, format: .epub) }
        #expect(error?.code == .encrypted)
        let fonts = try S.epub(opf: opf, files: [chapter, ("OEBPS/f.otf", "font"), ("META-INF/encryption.xml",
                                                  encryption("http://www.idpf.org/2008/embedding", "OEBPS/f.otf"))])
        #expect(try ZipDocumentReader.extract(fonts, format: .epub).text == "text")
    }

    @Test func passwordProtectedOdtIsEncrypted() throws {
        let manifest = """
            <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">\
            <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">\
            <manifest:encryption-data manifest:checksum-type="SHA1" manifest:checksum="AAAA"/></manifest:file-entry>\
            </manifest:manifest>
            """
        let odt = try S.zip([("mimetype", S.utf8("application/vnd.oasis.opendocument.text")),
                             ("META-INF/manifest.xml", S.utf8(manifest)), ("content.xml", [0x13, 0x37, 0x00, 0xFF])])
        let error = S.error { () throws(DocumentError) in try ZipDocumentReader.extract(odt, format: .odt) }
        #expect(error?.code == .encrypted)
    }

    @Test func xhtmlEntitiesAndDoctypeAreRead() throws {
        let body = "<p>a&nbsp;b&mdash;c &#233;&#xE9; &amp;&lt;&gt; &unknown;</p><script>var x = 1;</script>"
            + "<div>direct <p>inner</p> tail</div><p>line<br/>break</p>"
        let epub = try S.epub(opf: S.opf(manifest: "<item id=\"c\" href=\"c.xhtml\" media-type=\"application/xhtml+xml\"/>",
                                         spine: "<itemref idref=\"c\"/>"), files: [("OEBPS/c.xhtml", S.xhtml(body))])
        let doc = try ZipDocumentReader.extract(epub, format: .epub)
        #expect(S.paragraphs(doc) == ["a\u{A0}b\u{2014}c éé &<> &unknown;", "direct", "inner", "tail", "line\nbreak"])
    }
}

private let wNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
private let odtContent = """
    <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
    xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>\
    <text:p>hello</text:p></office:text></office:body></office:document-content>
    """
