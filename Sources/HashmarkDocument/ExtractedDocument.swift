import HashmarkReport

/// A document's content as the matchers see it: its text in reading order and its embedded
/// images, each part tied to where a reader finds it in the original (`DocumentLocation`).
///
/// Report spans are UTF-8 byte offsets into `text`; `location(ofByte:)` names the page,
/// chapter or paragraph that holds a span.
public struct ExtractedDocument: Sendable, Equatable, Codable {
    public enum Format: String, Sendable, Codable, CaseIterable { case pdf, epub, docx, odt }

    /// A run of `text` (UTF-8 byte range) and where it is in the original.
    public struct Section: Sendable, Equatable, Codable {
        public var offset: Int
        public var length: Int
        public var location: DocumentLocation
        public init(offset: Int, length: Int, location: DocumentLocation) {
            self.offset = offset; self.length = length; self.location = location
        }
    }

    /// An image stored in the document (a cover, a figure), as its own encoded bytes.
    public struct EmbeddedImage: Sendable, Equatable, Codable {
        public var bytes: [UInt8]
        public var location: DocumentLocation
        public init(bytes: [UInt8], location: DocumentLocation) { self.bytes = bytes; self.location = location }
    }

    public var format: Format
    /// The plain text in reading order, paragraphs separated by blank lines.
    public var text: String
    /// Byte ranges of `text` in increasing, non-overlapping order, each with its location.
    public var sections: [Section]
    public var images: [EmbeddedImage]
    /// What extracted it, with its version: "pdftotext 22.02.0", "hashmark-docx/1".
    public var extractor: String
    /// Pages (PDF) or content files in reading order (EPUB); nil where the format has neither.
    public var pageCount: Int?
    /// Embedded images found but not checked (over `DocumentLimits.maxImages`, or a format no
    /// image decoder reads); reports state the number.
    public var skippedImages: Int

    public init(format: Format, text: String, sections: [Section], images: [EmbeddedImage] = [], extractor: String,
                pageCount: Int? = nil, skippedImages: Int = 0) {
        self.format = format; self.text = text; self.sections = sections; self.images = images
        self.extractor = extractor; self.pageCount = pageCount; self.skippedImages = skippedImages
    }

    /// Whether the text holds a letter or digit (a document of blank pages or only images has none).
    public var hasWords: Bool {
        text.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }

    /// The location of the section holding UTF-8 byte `offset` of `text` (the last section
    /// starting at or before it), nil before the first section.
    public func location(ofByte offset: Int) -> DocumentLocation? {
        var lo = 0, hi = sections.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sections[mid].offset <= offset { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : sections[lo - 1].location
    }
}
