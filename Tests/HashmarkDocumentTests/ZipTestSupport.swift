import Foundation
import HashmarkDocument
import Testing
import ZIPFoundation

/// Fixture files and hand-built archives for the ZIP document tests.
enum ZipTestSupport {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/documents")

    static func fixture(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    /// An in-memory archive of `entries` (deflated unless `stored`).
    static func zip(_ entries: [(String, [UInt8])], stored: Bool = false) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
        for (name, bytes) in entries {
            let data = Data(bytes)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: stored ? .none : .deflate) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        return archive.data.map { [UInt8]($0) } ?? []
    }

    /// An archive with one deflated entry of `size` zero bytes, streamed (never held whole).
    static func zeros(_ name: String, size: Int) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
        try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate,
                             bufferSize: 1 << 20) { _, chunk in Data(count: chunk) }
        return archive.data.map { [UInt8]($0) } ?? []
    }

    /// Rewrites the uncompressed size every local and central header declares (a lying archive).
    static func declaring(uncompressedSize: UInt32, in bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        func put(_ at: Int) {
            for k in 0..<4 { out[at + k] = UInt8(truncatingIfNeeded: uncompressedSize >> (8 * UInt32(k))) }
        }
        var i = 0
        while i + 4 <= out.count - 30 {
            let sig = UInt32(out[i]) | UInt32(out[i + 1]) << 8 | UInt32(out[i + 2]) << 16 | UInt32(out[i + 3]) << 24
            if sig == 0x0403_4B50 { put(i + 22) } else if sig == 0x0201_4B50 { put(i + 24) }
            i += 1
        }
        return out
    }

    static func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// A minimal EPUB around `opf` (at OEBPS/content.opf) and `files`.
    static func epub(opf: String, files: [(String, String)], binary: [(String, [UInt8])] = []) throws -> [UInt8] {
        let container = """
            <?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\
            <rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>
            """
        return try zip([("mimetype", utf8("application/epub+zip")), ("META-INF/container.xml", utf8(container)),
                        ("OEBPS/content.opf", utf8(opf))] + files.map { ($0.0, utf8($0.1)) } + binary)
    }

    static func opf(manifest: String, spine: String) -> String {
        """
        <?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">\
        <metadata/><manifest>\(manifest)</manifest><spine>\(spine)</spine></package>
        """
    }

    static func xhtml(_ body: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title><style>p { x: y }</style></head><body>\(body)</body></html>
        """
    }

    /// The error `body` throws (nil if it returns).
    static func error(_ body: () throws(DocumentError) -> ExtractedDocument) -> DocumentError? {
        do { _ = try body(); return nil } catch { return error }
    }

    /// The text of each section, in order.
    static func paragraphs(_ doc: ExtractedDocument) -> [String] {
        let utf8 = Array(doc.text.utf8)
        return doc.sections.map { String(decoding: utf8[$0.offset..<($0.offset + $0.length)], as: UTF8.self) }
    }
}
