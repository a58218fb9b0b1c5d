#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HashmarkReport

/// A PDF's text and images through Poppler's command-line tools (`pdfinfo`, `pdftotext`,
/// `pdfimages`, Debian's poppler-utils), each run as a limited child process (`LimitedProcess`):
/// Poppler is never linked into Hashmark, so a PDF that crashes or exhausts it costs one child.
///
/// Text: `pdftotext -enc UTF-8`, pages split at its form feeds, each page one section located
/// `{page}` (not by paragraph: `pdftotext` joins paragraphs whose gap is a single line, so its
/// blank lines do not count a page's paragraphs reliably). Images: `pdfimages -all -p` (JPEGs as
/// stored, other images as PNG), located `{page, image}`.
public struct PDFExtractor: Sendable {
    public var limits: DocumentLimits
    /// Where `pdfinfo`, `pdftotext` and `pdfimages` are.
    public var popplerDirectory: String

    public init(limits: DocumentLimits = .init(), popplerDirectory: String = "/usr/bin") {
        self.limits = limits
        self.popplerDirectory = popplerDirectory
    }

    public func extract(_ bytes: [UInt8]) throws(DocumentError) -> ExtractedDocument {
        let folder = try PrivateFolder()
        defer { folder.remove() }
        let file = folder.path + "/submission.pdf"
        try folder.write(bytes, to: file)
        let pages = try pageCount(file)
        guard pages <= limits.maxPages else {
            throw DocumentError(.tooLarge, "The PDF has \(pages) pages; the limit is \(limits.maxPages).")
        }
        let text = try run("pdftotext", ["-enc", "UTF-8", "-eol", "unix", file, "-"], output: limits.maxTextBytes)
        var document = Self.document(pdftotextOutput: text.stdout, extractor: try version())
        document.pageCount = pages
        (document.images, document.skippedImages) = try images(file, folder: folder.path)
        return document
    }

    /// The text of `pdftotext`'s output, pages joined by blank lines, with its sections.
    static func document(pdftotextOutput: [UInt8], extractor: String) -> ExtractedDocument {
        var text: [UInt8] = [], sections: [ExtractedDocument.Section] = []
        let pages = pdftotextOutput.split(separator: 0x0C, omittingEmptySubsequences: false)
        for (p, page) in pages.enumerated() {
            let blocks = Self.blocks(page)
            guard !blocks.isEmpty else { continue }
            if !text.isEmpty { text += [0x0A, 0x0A] }
            let start = text.count
            for (i, block) in blocks.enumerated() { text += (i == 0 ? [] : [0x0A, 0x0A]) + block }
            sections.append(.init(offset: start, length: text.count - start, location: DocumentLocation(page: p + 1)))
        }
        // Invalid UTF-8 (a broken font map) is repaired, not refused: offsets stay those of `text`.
        var decoded = String(decoding: text, as: UTF8.self)
        if decoded.utf8.count != text.count {
            decoded = String(decoding: text.map { $0 < 0x80 ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
        }
        return ExtractedDocument(format: .pdf, text: decoded, sections: sections, extractor: extractor)
    }

    /// A page's blocks: runs of non-blank lines, trailing spaces trimmed.
    static func blocks(_ page: ArraySlice<UInt8>) -> [[UInt8]] {
        var out: [[UInt8]] = [], current: [UInt8] = []
        for line in page.split(separator: 0x0A, omittingEmptySubsequences: false) {
            var l = Array(line)
            while let last = l.last, last == 0x20 || last == 0x09 || last == 0x0D { l.removeLast() }
            if l.isEmpty {
                if !current.isEmpty { out.append(current); current = [] }
            } else {
                if !current.isEmpty { current.append(0x0A) }
                current += l
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// `pdfinfo`'s page count; a password-protected file is `.encrypted`.
    func pageCount(_ file: String) throws(DocumentError) -> Int {
        let info = try run("pdfinfo", [file], output: 1 << 20)
        let text = String(decoding: info.stdout, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("Pages:") {
            if let n = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) { return n }
        }
        throw DocumentError(.invalid, "pdfinfo reports no page count")
    }

    /// Embedded images in page order, at most `maxImages` (and `maxTotalBytes` together); the rest,
    /// and those no image decoder reads (JPEG 2000, JBIG2, CCITT) or too small to match, skipped.
    func images(_ file: String, folder: String) throws(DocumentError) -> ([ExtractedDocument.EmbeddedImage], Int) {
        let prefix = folder + "/img"
        _ = try run("pdfimages", ["-all", "-p", "-l", "\(limits.maxPages)", file, prefix], output: 1 << 20)
        guard let dir = opendir(folder) else { return ([], 0) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name.hasPrefix("img-") { names.append(name) }
        }
        closedir(dir)
        names.sort()
        var kept: [ExtractedDocument.EmbeddedImage] = [], skipped = 0, total = 0
        var perPage: [Int: Int] = [:]
        for name in names {
            // img-PPP-NNN.ext
            let parts = name.split(separator: "-")
            guard parts.count == 3, let page = Int(parts[1]) else { skipped += 1; continue }
            let number = (perPage[page] ?? 0) + 1
            perPage[page] = number
            let ext = parts[2].split(separator: ".").last ?? ""
            guard ext == "jpg" || ext == "png", kept.count < limits.maxImages,
                  let bytes = try? PrivateFolder.read(folder + "/" + name, max: limits.maxEntryBytes),
                  bytes.count >= 512, total + bytes.count <= limits.maxTotalBytes else {
                skipped += 1
                continue
            }
            total += bytes.count
            kept.append(.init(bytes: bytes, location: DocumentLocation(page: page, image: number)))
        }
        return (kept, skipped)
    }

    /// "pdftotext 22.12.0", from `pdftotext -v`.
    func version() throws(DocumentError) -> String {
        let out = try run("pdftotext", ["-v"], output: 1 << 16)
        let text = String(decoding: out.stderr + out.stdout, as: UTF8.self)
        let first = text.split(separator: "\n").first.map(String.init) ?? ""
        return first.replacingOccurrences(of: " version ", with: " ").trimmingCharacters(in: .whitespaces).isEmpty
            ? "pdftotext" : first.replacingOccurrences(of: " version ", with: " ")
    }

    /// One Poppler tool under the limits; its failures as `DocumentError`s.
    func run(_ tool: String, _ arguments: [String], output: Int) throws(DocumentError) -> LimitedProcess.Output {
        let limits = LimitedProcess.Limits(seconds: self.limits.processSeconds, memoryBytes: self.limits.processMemoryBytes,
                                           maxOutputBytes: output, maxFileBytes: self.limits.maxTotalBytes)
        let result: LimitedProcess.Output
        do {
            result = try LimitedProcess.run(popplerDirectory + "/" + tool, arguments, limits: limits)
        } catch {
            switch error {
            case .unavailable(let why): throw DocumentError(.extractorUnavailable, why + " (Debian: poppler-utils)")
            case .timedOut: throw DocumentError(.timeout, "\(tool) ran past \(self.limits.processSeconds) s and was killed")
            case .outputTooLarge: throw DocumentError(.tooLarge, "\(tool) wrote more than \(output) bytes")
            }
        }
        guard result.status == 0 || arguments == ["-v"] else {
            let message = String(decoding: result.stderr, as: UTF8.self)
            let line = message.split(separator: "\n").last.map(String.init) ?? "exit status \(result.status)"
            if message.contains("Incorrect password") || message.contains("encrypted") {
                throw DocumentError(.encrypted, "The PDF is password-protected (\(tool): \(line)).")
            }
            if result.status > 128 {
                throw DocumentError(.tooLarge, "\(tool) was stopped by signal \(result.status - 128) (a limit: memory or CPU time)")
            }
            throw DocumentError(.invalid, "\(tool) cannot read the PDF: \(line)")
        }
        return result
    }
}
