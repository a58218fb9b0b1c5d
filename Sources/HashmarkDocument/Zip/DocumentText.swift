import HashmarkReport

/// Joins paragraphs with blank lines into `ExtractedDocument.text` and its sections,
/// refusing text past `maxTextBytes`.
struct DocumentText {
    private(set) var text = ""
    private(set) var sections: [ExtractedDocument.Section] = []
    private var bytes = 0
    let maxBytes: Int

    init(maxBytes: Int) { self.maxBytes = maxBytes }

    mutating func append(_ paragraph: String, at location: DocumentLocation) throws(DocumentError) {
        let separator = sections.isEmpty ? 0 : 2
        let length = paragraph.utf8.count
        guard bytes + separator + length <= maxBytes else {
            throw DocumentError(.tooLarge, "more than \(maxBytes) bytes of text")
        }
        if separator > 0 { text += "\n\n" }
        sections.append(.init(offset: bytes + separator, length: length, location: location))
        text += paragraph
        bytes += separator + length
    }
}

/// Keeps up to `maxImages` embedded images whose bytes carry a JPEG, PNG, GIF or WebP
/// signature; counts the others as skipped.
struct ImageCollector {
    private(set) var images: [ExtractedDocument.EmbeddedImage] = []
    private(set) var skipped = 0
    let maxImages: Int

    /// Reads `entry` (unless the cap is reached) and keeps it if it is a known image format.
    mutating func add(_ entry: String, location: DocumentLocation, from zip: inout ZipContainer) throws(DocumentError) {
        guard images.count < maxImages, let bytes = try zip.read(entry), Self.isKnownImage(bytes) else {
            skipped += 1
            return
        }
        images.append(.init(bytes: bytes, location: location))
    }

    /// Counts an image in a format no decoder here reads (SVG, EMF).
    mutating func skip() { skipped += 1 }

    static func isKnownImage(_ b: [UInt8]) -> Bool {
        b.starts(with: [0xFF, 0xD8, 0xFF]) || b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            || b.starts(with: Array("GIF8".utf8))
            || (b.count >= 12 && b.starts(with: Array("RIFF".utf8)) && Array(b[8..<12]) == Array("WEBP".utf8))
    }
}
