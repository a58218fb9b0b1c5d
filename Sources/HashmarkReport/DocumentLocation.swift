/// Where in an original document (PDF, EPUB, DOCX, ODT) a reader finds a passage or an image.
///
/// Every member is optional and present only where the format has it: `page` for PDF,
/// `chapter` (the reading-order position of an EPUB content file) and `entry` (the archive
/// member) for EPUB, DOCX and ODT, `paragraph` counted within the page (PDF: blocks as
/// `pdftotext` separates them by blank lines, so two paragraphs with no gap between them count as
/// one), the chapter (EPUB) or the whole body (DOCX, ODT), `image` the embedded image's number on
/// its page (PDF). All counts start at 1.
public struct DocumentLocation: Sendable, Equatable, Hashable, Codable {
    public var page: Int?
    public var chapter: Int?
    public var entry: String?
    public var paragraph: Int?
    public var image: Int?

    public init(page: Int? = nil, chapter: Int? = nil, entry: String? = nil, paragraph: Int? = nil, image: Int? = nil) {
        self.page = page; self.chapter = chapter; self.entry = entry; self.paragraph = paragraph; self.image = image
    }

    /// "page 3", "chapter 2 (OEBPS/ch2.xhtml), paragraph 14", "paragraph 7": for people.
    public var description: String {
        var parts: [String] = []
        if let page { parts.append("page \(page)") }
        if let chapter { parts.append("chapter \(chapter)" + (entry.map { " (\($0))" } ?? "")) }
        else if let entry { parts.append(entry) }
        if let paragraph { parts.append("paragraph \(paragraph)") }
        if let image { parts.append("image \(image)") }
        return parts.joined(separator: ", ")
    }

    init(_ o: Obj) throws {
        try o.keys(required: [], optional: ["page", "chapter", "entry", "paragraph", "image"])
        guard !o.members.isEmpty else { throw ReportError(.schema, "\(o.path): a location names at least one of page, chapter, entry, paragraph") }
        self.init(page: o.has("page") ? try o.int("page", 1...Int.max) : nil,
                  chapter: o.has("chapter") ? try o.int("chapter", 1...Int.max) : nil,
                  entry: o.has("entry") ? try o.string("entry", nonEmpty: true) : nil,
                  paragraph: o.has("paragraph") ? try o.int("paragraph", 1...Int.max) : nil,
                  image: o.has("image") ? try o.int("image", 1...Int.max) : nil)
    }

    func jsonValue() -> JSONValue {
        var m: [String: JSONValue] = [:]
        if let page { m["page"] = .int(Int64(page)) }
        if let chapter { m["chapter"] = .int(Int64(chapter)) }
        if let entry { m["entry"] = .string(entry) }
        if let paragraph { m["paragraph"] = .int(Int64(paragraph)) }
        if let image { m["image"] = .int(Int64(image)) }
        return .object(m)
    }
}

extension TextEvidence.Range {
    /// Where the range is in a submitted document, for people ("page 3", "page 3 – page 4"),
    /// nil outside documents.
    public var place: String? {
        location.map { start in endLocation.map { "\(start.description) – \($0.description)" } ?? start.description }
    }
}

extension VerdictReport.DocumentInfo {
    /// "pdf, 12 pages, 48,213 bytes of text by pdftotext 22.12.0, 3 images checked (1 skipped)".
    public var summary: String {
        var s = format + (pages.map { ", \($0) \(format == "pdf" ? "pages" : "chapters")" } ?? "")
        s += ", \(textBytes) bytes of text by \(extractor), \(images) image(s) checked"
        if skippedImages > 0 { s += " (\(skippedImages) skipped)" }
        return s
    }
}
