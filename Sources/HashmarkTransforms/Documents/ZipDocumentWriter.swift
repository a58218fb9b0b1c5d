import Foundation
import ZIPFoundation

/// Writes minimal, standard-conforming DOCX, ODT and EPUB 3 files in memory, for tests and
/// the evaluation suite. Images (PNG or JPEG bytes, told apart by signature) go into the
/// first paragraph (DOCX, ODT) or the first chapter (EPUB).
public enum ZipDocumentWriter {
    public static func docx(paragraphs: [String], images: [[UInt8]] = []) throws -> [UInt8] {
        let kinds = images.map(ImageKind.init)
        var zip = try ZipBuilder()
        try zip.add("[Content_Types].xml", DocxParts.contentTypes)
        try zip.add("_rels/.rels", DocxParts.packageRels)
        try zip.add("word/document.xml", DocxParts.document(paragraphs, imageCount: images.count))
        try zip.add("word/_rels/document.xml.rels", DocxParts.documentRels(kinds))
        for (n, image) in images.enumerated() {
            try zip.add("word/media/image\(n + 1).\(kinds[n].ext)", image, deflate: false)
        }
        return zip.bytes
    }

    public static func odt(paragraphs: [String], images: [[UInt8]] = []) throws -> [UInt8] {
        let names = images.map(ImageKind.init).enumerated().map { "Pictures/image\($0.offset + 1).\($0.element.ext)" }
        var zip = try ZipBuilder()
        try zip.add("mimetype", Array("application/vnd.oasis.opendocument.text".utf8), deflate: false)
        try zip.add("META-INF/manifest.xml", OdtParts.manifest(names))
        try zip.add("content.xml", OdtParts.content(paragraphs, images: names))
        try zip.add("styles.xml", OdtParts.styles)
        for (n, image) in images.enumerated() { try zip.add(names[n], image, deflate: false) }
        return zip.bytes
    }

    public static func epub(chapters: [[String]], images: [[UInt8]] = [], title: String = "Untitled") throws -> [UInt8] {
        let names = images.map(ImageKind.init).enumerated().map { "images/image\($0.offset + 1).\($0.element.ext)" }
        var zip = try ZipBuilder()
        try zip.add("mimetype", Array("application/epub+zip".utf8), deflate: false)
        try zip.add("META-INF/container.xml", EpubParts.container)
        try zip.add("OEBPS/content.opf", EpubParts.opf(title: title, chapters: chapters.count, images: names))
        try zip.add("OEBPS/nav.xhtml", EpubParts.nav(title: title, chapters: chapters.count))
        for (k, paragraphs) in chapters.enumerated() {
            try zip.add("OEBPS/chapter\(k + 1).xhtml",
                        EpubParts.chapter(title: title, paragraphs: paragraphs, images: k == 0 ? names : []))
        }
        for (n, image) in images.enumerated() { try zip.add("OEBPS/" + names[n], image, deflate: false) }
        return zip.bytes
    }
}

/// PNG or JPEG, by signature (anything else is written as PNG-named bytes).
struct ImageKind {
    let ext: String
    let mediaType: String
    init(_ bytes: [UInt8]) {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { ext = "jpeg"; mediaType = "image/jpeg" }
        else { ext = "png"; mediaType = "image/png" }
    }
}

/// An in-memory archive being written.
struct ZipBuilder {
    private let archive: Archive

    init() throws { archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil) }

    mutating func add(_ path: String, _ text: String) throws { try add(path, Array(text.utf8), deflate: true) }

    mutating func add(_ path: String, _ bytes: [UInt8], deflate: Bool) throws {
        let data = Data(bytes)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                             modificationDate: Date(timeIntervalSince1970: 1_700_000_000),
                             compressionMethod: deflate ? .deflate : .none) { position, size in
            data.subdata(in: Int(position)..<(Int(position) + size))
        }
    }

    var bytes: [UInt8] { archive.data.map { [UInt8]($0) } ?? [] }
}

/// Text escaped for XML character data and attribute values.
func xmlEscaped(_ s: String) -> String {
    var out = ""
    for c in s {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}
