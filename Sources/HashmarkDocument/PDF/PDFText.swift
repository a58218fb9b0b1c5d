import HashmarkReport

/// `pdftotext` output turned into the document's text and sections.
struct PDFText {
    var text = ""
    var sections: [ExtractedDocument.Section] = []

    /// Pages are separated by form feeds; within a page, paragraphs by blank lines. Each
    /// paragraph becomes a section at `DocumentLocation(page:paragraph:)`, lines trimmed of
    /// trailing spaces, paragraphs and pages joined by a blank line. Invalid UTF-8 is replaced.
    init(pdftotext output: [UInt8]) {
        let pages = output.split(separator: 0x0C, omittingEmptySubsequences: false)
        var bytes = 0
        for (index, page) in pages.enumerated() {
            let paragraphs = Self.paragraphs(String(decoding: page, as: UTF8.self))
            for (number, paragraph) in paragraphs.enumerated() {
                if !text.isEmpty { text += "\n\n"; bytes += 2 }
                let length = paragraph.utf8.count
                sections.append(.init(offset: bytes, length: length,
                                      location: DocumentLocation(page: index + 1, paragraph: number + 1)))
                text += paragraph
                bytes += length
            }
        }
    }

    /// Blocks of non-blank lines, each line without trailing whitespace.
    static func paragraphs(_ page: String) -> [String] {
        var blocks: [String] = [], lines: [Substring] = []
        for line in page.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.reversed().drop { $0.isWhitespace }.reversed()
            if trimmed.allSatisfy(\.isWhitespace) {
                if !lines.isEmpty { blocks.append(lines.joined(separator: "\n")); lines = [] }
            } else {
                lines.append(Substring(String(trimmed)))
            }
        }
        if !lines.isEmpty { blocks.append(lines.joined(separator: "\n")) }
        return blocks
    }
}
