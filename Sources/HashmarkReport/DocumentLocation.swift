/// Where in an original document (PDF, EPUB, DOCX, ODT) a reader finds a passage or an image.
///
/// Every member is optional and present only where the format has it: `page` for PDF,
/// `chapter` (the reading-order position of an EPUB content file) and `entry` (the archive
/// member) for EPUB, DOCX and ODT, `paragraph` counted from 1 within the page (PDF), the chapter (EPUB) or
/// the whole body (DOCX, ODT). All counts start at 1.
public struct DocumentLocation: Sendable, Equatable, Hashable, Codable {
    public var page: Int?
    public var chapter: Int?
    public var entry: String?
    public var paragraph: Int?

    public init(page: Int? = nil, chapter: Int? = nil, entry: String? = nil, paragraph: Int? = nil) {
        self.page = page; self.chapter = chapter; self.entry = entry; self.paragraph = paragraph
    }

    /// "page 3", "chapter 2 (OEBPS/ch2.xhtml), paragraph 14", "paragraph 7": for people.
    public var description: String {
        var parts: [String] = []
        if let page { parts.append("page \(page)") }
        if let chapter { parts.append("chapter \(chapter)" + (entry.map { " (\($0))" } ?? "")) }
        else if let entry { parts.append(entry) }
        if let paragraph { parts.append("paragraph \(paragraph)") }
        return parts.joined(separator: ", ")
    }

    func jsonValue() -> JSONValue {
        var m: [String: JSONValue] = [:]
        if let page { m["page"] = .int(Int64(page)) }
        if let chapter { m["chapter"] = .int(Int64(chapter)) }
        if let entry { m["entry"] = .string(entry) }
        if let paragraph { m["paragraph"] = .int(Int64(paragraph)) }
        return .object(m)
    }
}
