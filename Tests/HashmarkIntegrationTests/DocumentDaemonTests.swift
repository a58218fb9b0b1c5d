import Foundation
import HashmarkTransforms
import Testing
import ZIPFoundation

/// Documents through `hashmark watch`: the daemon extracts a PDF itself (its sandboxed workers
/// cannot start `pdftotext`) and a worker matches the text; a DOCX is read inside the worker; a
/// PDF `pdftotext` cannot read gets an error report and the daemon goes on.
@Suite(.serialized, .timeLimit(.minutes(15))) struct DocumentDaemonTests {
    @Test func documentsInTheInboxGetLocatedReports() throws {
        let corpus = try RegisteredCorpus.get()
        let dir = try TempDir()
        let daemon = try RunningDaemon(corpus: corpus, keyDir: dir)
        defer { daemon.stop() }
        let passage = try DocumentCheckTests.passage()
        let filler = try DocumentCheckTests.filler(3)
        try daemon.drop("book.pdf", PDFWriter.pdf(pages: [filler, filler, [passage]]))
        let chelsea = Array(try Data(contentsOf: URL(fileURLWithPath: Corpus.image(DocumentCheckTests.image))))
        try daemon.drop("figure.docx", try ZipDocumentWriter.docx(paragraphs: filler, images: [chelsea]))
        try daemon.drop("broken.pdf", Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF".utf8))
        try waitFor("three reports") { daemon.count("done") + daemon.count("failed") == 3 }
        let reports = try daemon.reports()
        let book = try #require(reports["book.pdf"])
        #expect(book["schema"] as? String == "hashmark.verdict/4")
        #expect(book["verdict"] as? String == "infringing")
        #expect(((book["subject"] as? [String: Any])?["document"] as? [String: Any])?["format"] as? String == "pdf")
        let spans = ((book["matches"] as? [[String: Any]])?.first?["evidence"] as? [String: Any])?["spans"] as? [[String: Any]]
        let location = (spans?.first?["submitted"] as? [String: Any])?["location"] as? [String: Any]
        #expect(location?["page"] as? Int == 3)
        let figure = try #require(reports["figure.docx"])
        #expect(figure["verdict"] as? String == "infringing")
        #expect(((figure["matches"] as? [[String: Any]])?.first?["location"] as? [String: Any])?["entry"] != nil)
        let broken = try #require(reports["broken.pdf"])
        #expect(broken["verdict"] as? String == "error")
        #expect(((broken["error"] as? [String: Any])?["code"] as? String)?.hasPrefix("document-") == true)
        #expect(daemon.process.isRunning)
    }
}

/// Hostile documents, built here as real archives: each gets an error verdict from the daemon,
/// within its limits, and the daemon goes on matching.
enum HostileDocuments {
    /// A DOCX whose `word/document.xml` is `xml`, with the parts Word needs beside it.
    static func docx(documentXML xml: [UInt8]) throws -> [UInt8] {
        try archive([
            ("[Content_Types].xml", Array(#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#.utf8)),
            ("word/document.xml", xml),
        ])
    }

    /// A DOCX with one entry of `megabytes` MiB of zeros (it deflates about 1,000 to 1).
    static func zipBomb(megabytes: Int) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        try archive.addEntry(with: "[Content_Types].xml", type: .file, uncompressedSize: Int64(5), compressionMethod: .deflate) { (_: Int64, _: Int) in
            Data("<x/>\n".utf8)
        }
        let size = Int64(megabytes) << 20
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: size, compressionMethod: .deflate,
                             bufferSize: 1 << 20) { (_: Int64, chunk: Int) in Data(count: chunk) }
        return Array(archive.data ?? Data())
    }

    /// Billion laughs: ten levels of ten entity references.
    static var billionLaughs: [UInt8] {
        var dtd = #"<!ENTITY lol0 "lol">"#
        for i in 1...9 { dtd += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">" }
        return Array(("<?xml version=\"1.0\"?><!DOCTYPE d [\(dtd)]><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>").utf8)
    }

    /// 100,000 nested elements.
    static var deepNesting: [UInt8] {
        Array(("<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
               + String(repeating: "<w:p>", count: 100_000) + String(repeating: "</w:p>", count: 100_000)
               + "</w:body></w:document>").utf8)
    }

    static func archive(_ entries: [(String, [UInt8])]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (name, bytes) in entries {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { (position: Int64, size: Int) in
                Data(bytes[Int(position)..<min(bytes.count, Int(position) + size)])
            }
        }
        return Array(archive.data ?? Data())
    }
}

extension DocumentDaemonTests {
    @Test func hostileDocumentsGetErrorReportsAndTheDaemonGoesOn() throws {
        let corpus = try RegisteredCorpus.get()
        let dir = try TempDir()
        let daemon = try RunningDaemon(corpus: corpus, keyDir: dir)
        defer { daemon.stop() }
        var expected: [String: String] = [:]
        try daemon.drop("bomb.docx", try HostileDocuments.zipBomb(megabytes: 1_024)); expected["bomb.docx"] = "document-too-large"
        try daemon.drop("laughs.docx", try HostileDocuments.docx(documentXML: HostileDocuments.billionLaughs))
        expected["laughs.docx"] = "document-too-large"
        try daemon.drop("deep.docx", try HostileDocuments.docx(documentXML: HostileDocuments.deepNesting))
        expected["deep.docx"] = "document-too-large"
        // Cut inside its central directory: still a DOCX by its local headers, unreadable as a ZIP.
        let whole = try HostileDocuments.docx(documentXML: Array("<w:document/>".utf8))
        try daemon.drop("cut.docx", Array(whole.prefix(whole.count - 30)))
        expected["cut.docx"] = "document-invalid"
        let encrypted = DocumentCheckTests.fixtures.appendingPathComponent("pdf/encrypted-user.pdf")
        try daemon.drop("locked.pdf", Array(try Data(contentsOf: encrypted))); expected["locked.pdf"] = "document-encrypted"
        try waitFor("every hostile document in failed/") { daemon.count("failed") == expected.count }
        var codes: [String: String] = [:]
        for (name, report) in try daemon.reports() {
            codes[name] = (report["error"] as? [String: Any])?["code"] as? String
        }
        #expect(codes == expected)
        let chelsea = Array(try Data(contentsOf: URL(fileURLWithPath: Corpus.image(DocumentCheckTests.image))))
        try daemon.drop("after.epub", try ZipDocumentWriter.epub(chapters: [["A figure follows."]], images: [chelsea]))
        try waitFor("a normal document after the hostile ones") { daemon.count("done") == 1 }
        #expect(try daemon.reports()["after.epub"]?["verdict"] as? String == "infringing")
        #expect(daemon.process.isRunning)
    }
}
