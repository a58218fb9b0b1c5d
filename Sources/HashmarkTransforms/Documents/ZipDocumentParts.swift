import Foundation

/// The XML parts of a minimal DOCX (WordprocessingML, transitional namespaces).
enum DocxParts {
    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Default Extension="png" ContentType="image/png"/><Default Extension="jpeg" ContentType="image/jpeg"/>\
        <Override PartName="/word/document.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
        """

    static let packageRels = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
        Target="word/document.xml"/></Relationships>
        """

    static func documentRels(_ images: [ImageKind]) -> String {
        let rels = images.enumerated().map { n, kind in
            "<Relationship Id=\"rIdImage\(n + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/image\(n + 1).\(kind.ext)\"/>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(rels.joined())</Relationships>
            """
    }

    static func document(_ paragraphs: [String], imageCount: Int) -> String {
        var body = ""
        for (n, p) in (paragraphs.isEmpty && imageCount > 0 ? [""] : paragraphs).enumerated() {
            body += "<w:p>" + run(p) + (n == 0 ? (0..<imageCount).map(drawing).joined() : "") + "</w:p>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" \
            xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" \
            xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" \
            xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>\(body)<w:sectPr/></w:body></w:document>
            """
    }

    /// One run: tabs and line breaks as `w:tab` / `w:br`.
    private static func run(_ text: String) -> String {
        guard !text.isEmpty else { return "" }
        var out = "<w:r>", segment = ""
        func flush() { if !segment.isEmpty { out += "<w:t xml:space=\"preserve\">\(xmlEscaped(segment))</w:t>"; segment = "" } }
        for c in text {
            switch c {
            case "\t": flush(); out += "<w:tab/>"
            case "\n": flush(); out += "<w:br/>"
            default: segment.append(c)
            }
        }
        flush()
        return out + "</w:r>"
    }

    private static func drawing(_ n: Int) -> String {
        let id = n + 1, emu = 914_400
        return """
            <w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="\(emu)" cy="\(emu)"/>\
            <wp:docPr id="\(id)" name="Picture \(id)"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">\
            <pic:pic><pic:nvPicPr><pic:cNvPr id="\(id)" name="image\(id)"/><pic:cNvPicPr/></pic:nvPicPr>\
            <pic:blipFill><a:blip r:embed="rIdImage\(id)"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
            <pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="\(emu)" cy="\(emu)"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>\
            </pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>
            """
    }
}

/// The XML parts of a minimal ODT (OpenDocument 1.2).
enum OdtParts {
    static func manifest(_ images: [String]) -> String {
        let entries = images.map { name in
            "<manifest:file-entry manifest:full-path=\"\(name)\" manifest:media-type=\"\(name.hasSuffix("png") ? "image/png" : "image/jpeg")\"/>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">\
            <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="application/vnd.oasis.opendocument.text"/>\
            <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>\
            <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>\(entries.joined())</manifest:manifest>
            """
    }

    /// An empty style sheet: optional in ODF 1.2, but some readers (pandoc) require the part.
    static let styles = """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
        office:version="1.2"><office:styles/></office:document-styles>
        """

    static func content(_ paragraphs: [String], images: [String]) -> String {
        let frames = images.enumerated().map { n, name in
            "<draw:frame draw:name=\"image\(n + 1)\" text:anchor-type=\"as-char\" svg:width=\"2.54cm\" svg:height=\"2.54cm\">"
                + "<draw:image xlink:href=\"\(name)\" xlink:type=\"simple\" xlink:show=\"embed\" xlink:actuate=\"onLoad\"/></draw:frame>"
        }.joined()
        var body = ""
        for (n, p) in (paragraphs.isEmpty && !images.isEmpty ? [""] : paragraphs).enumerated() {
            body += "<text:p>" + inline(p) + (n == 0 ? frames : "") + "</text:p>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
            xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" \
            xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" \
            xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" \
            xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2"><office:body><office:text>\(body)</office:text></office:body></office:document-content>
            """
    }

    /// ODF collapses white space: repeated or leading spaces become `text:s`.
    private static func inline(_ text: String) -> String {
        var out = "", spaces = 0, afterSpace = true
        func flushSpaces() {
            if spaces > 0 { out += spaces == 1 ? "<text:s/>" : "<text:s text:c=\"\(spaces)\"/>"; spaces = 0 }
        }
        for c in text {
            if c == " " {
                if afterSpace { spaces += 1 } else { out += " "; afterSpace = true }
                continue
            }
            flushSpaces()
            afterSpace = false
            switch c {
            case "\t": out += "<text:tab/>"
            case "\n": out += "<text:line-break/>"; afterSpace = true
            default: out += xmlEscaped(String(c))
            }
        }
        flushSpaces()
        return out
    }
}

/// The parts of a minimal EPUB 3 (OPF, navigation document, XHTML chapters).
enum EpubParts {
    static let container = """
        <?xml version="1.0" encoding="UTF-8"?>
        <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\
        <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>
        """

    static func opf(title: String, chapters: Int, images: [String]) -> String {
        let chapterItems = (1..<chapters + 1).map {
            "<item id=\"chapter\($0)\" href=\"chapter\($0).xhtml\" media-type=\"application/xhtml+xml\"/>"
        }
        let imageItems = images.enumerated().map { n, name in
            "<item id=\"image\(n + 1)\" href=\"\(name)\" media-type=\"\(name.hasSuffix("png") ? "image/png" : "image/jpeg")\"/>"
        }
        let spine = (1..<chapters + 1).map { "<itemref idref=\"chapter\($0)\"/>" }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">\
            <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\
            <dc:identifier id="uid">urn:uuid:00000000-0000-4000-8000-000000000000</dc:identifier>\
            <dc:title>\(xmlEscaped(title))</dc:title><dc:language>en</dc:language>\
            <meta property="dcterms:modified">2024-01-01T00:00:00Z</meta></metadata>\
            <manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>\
            \(chapterItems.joined())\(imageItems.joined())</manifest><spine>\(spine.joined())</spine></package>
            """
    }

    static func nav(title: String, chapters: Int) -> String {
        let links = (1..<chapters + 1).map { "<li><a href=\"chapter\($0).xhtml\">Chapter \($0)</a></li>" }
        return page(title: title, body: "<nav epub:type=\"toc\" id=\"toc\"><ol>\(links.joined())</ol></nav>",
                    extraNamespace: " xmlns:epub=\"http://www.idpf.org/2007/ops\"")
    }

    static func chapter(title: String, paragraphs: [String], images: [String]) -> String {
        let body = paragraphs.map { "<p>" + xmlEscaped($0).replacingOccurrences(of: "\n", with: "<br/>") + "</p>" }.joined()
            + images.map { "<div><img src=\"\($0)\" alt=\"\"/></div>" }.joined()
        return page(title: title, body: body)
    }

    private static func page(title: String, body: String, extraNamespace: String = "") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml"\(extraNamespace) xml:lang="en" lang="en">\
        <head><title>\(xmlEscaped(title))</title></head><body>\(body)</body></html>
        """
    }
}
