import HashmarkReport

/// ODT (OpenDocument text): `content.xml` `office:text` paragraphs and headings, then images
/// under `Pictures/` in name order.
enum OdtReader {
    static let entry = "content.xml"

    static func extract(_ zip: inout ZipContainer, limits: DocumentLimits) throws(DocumentError) -> ExtractedDocument {
        try refuseEncrypted(&zip, limits: limits)
        let root = try zip.xml(entry)
        guard let body = root.child(NS.office, "body")?.child(NS.office, "text") else {
            throw DocumentError(.invalid, "\(entry): no office:body/office:text")
        }
        let flow = ParagraphFlow(body, textEverywhere: true, role: role, references: { e in
            e.is(NS.draw, "image") ? [e.attribute("href", NS.xlink)].compactMap { $0 } : []
        })
        var text = DocumentText(maxBytes: limits.maxTextBytes)
        for (n, p) in flow.paragraphs.enumerated() {
            try text.append(p, at: DocumentLocation(entry: entry, paragraph: n + 1))
        }
        var firstParagraph: [String: Int] = [:]
        for (href, paragraph) in flow.references {
            if let name = try? ArchivePath.resolve(href, from: ""), let paragraph, firstParagraph[name] == nil {
                firstParagraph[name] = paragraph
            }
        }
        var images = ImageCollector(maxImages: limits.maxImages)
        for name in zip.names.filter({ $0.hasPrefix("Pictures/") }).sorted() {
            try images.add(name, location: DocumentLocation(entry: name, paragraph: firstParagraph[name]), from: &zip)
        }
        return ExtractedDocument(format: .odt, text: text.text, sections: text.sections, images: images.images,
                                 extractor: "hashmark-odt/1", skippedImages: images.skipped)
    }

    private static func role(_ e: XMLElement) -> FlowRole {
        switch (e.namespace, e.name) {
        case (NS.text, "p"), (NS.text, "h"): .paragraph
        case (NS.text, "s"): .literal(String(repeating: " ", count: min(max(Int(e.attribute("c", NS.text) ?? "1") ?? 1, 1), 1_000)))
        case (NS.text, "tab"): .literal("\t")
        case (NS.text, "line-break"): .literal("\n")
        case (NS.text, "note-citation"), (NS.text, "tracked-changes"), (NS.office, "annotation"),
             (NS.text, "sequence-decls"), (NS.office, "forms"): .skip
        default: .inline
        }
    }

    /// An ODT whose manifest gives `manifest:encryption-data` for content.xml is password-protected.
    private static func refuseEncrypted(_ zip: inout ZipContainer, limits: DocumentLimits) throws(DocumentError) {
        let name = "META-INF/manifest.xml"
        guard zip.contains(name) else { return }
        for file in try zip.xml(name).elements where file.is(NS.manifest, "file-entry") {
            if file.attribute("full-path", NS.manifest) == entry, file.child(NS.manifest, "encryption-data") != nil {
                throw DocumentError(.encrypted, "content.xml is encrypted (password-protected ODT)")
            }
        }
    }
}
