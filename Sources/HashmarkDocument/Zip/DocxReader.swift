import HashmarkReport

/// DOCX (WordprocessingML): `word/document.xml` paragraphs in body order, then footnotes
/// (`word/footnotes.xml`, numbered on their own), then images under `word/media/` in name order.
enum DocxReader {
    static let entry = "word/document.xml"

    static func extract(_ zip: inout ZipContainer, limits: DocumentLimits) throws(DocumentError) -> ExtractedDocument {
        let root = try zip.xml(entry)
        guard let body = root.child(NS.w, "body") else { throw DocumentError(.invalid, "\(entry): no w:body") }
        let flow = ParagraphFlow(body, textEverywhere: false, role: role, references: { e in
            [e.attribute("embed", NS.r), e.attribute("link", NS.r)].compactMap { $0 }
        })
        var text = DocumentText(maxBytes: limits.maxTextBytes)
        for (n, p) in flow.paragraphs.enumerated() {
            try text.append(p, at: DocumentLocation(entry: entry, paragraph: n + 1))
        }
        try appendFootnotes(&zip, to: &text)
        let targets = try relationshipTargets(&zip)
        var firstParagraph: [String: Int] = [:]
        for (id, paragraph) in flow.references {
            if let target = targets[id], let paragraph, firstParagraph[target] == nil { firstParagraph[target] = paragraph }
        }
        var images = ImageCollector(maxImages: limits.maxImages)
        for name in zip.names.filter({ $0.hasPrefix("word/media/") }).sorted() {
            try images.add(name, location: DocumentLocation(entry: name, paragraph: firstParagraph[name]), from: &zip)
        }
        return ExtractedDocument(format: .docx, text: text.text, sections: text.sections, images: images.images,
                                 extractor: "hashmark-docx/1", skippedImages: images.skipped)
    }

    private static func role(_ e: XMLElement) -> FlowRole {
        switch (e.namespace, e.name) {
        case (NS.w, "p"): .paragraph
        case (NS.w, "t"): .textRun
        case (NS.w, "tab"): .literal("\t")
        case (NS.w, "br"), (NS.w, "cr"): .literal("\n")
        case (NS.w, "noBreakHyphen"): .literal("\u{2011}")
        case (NS.w, "pPr"), (NS.w, "rPr"), (NS.w, "sectPr"), (NS.w, "del"), (NS.w, "delText"),
             (NS.w, "instrText"), (NS.w, "delInstrText"), (NS.mc, "Fallback"): .skip
        default: .inline
        }
    }

    /// Footnote paragraphs, skipping the separator pseudo-notes Word writes.
    private static func appendFootnotes(_ zip: inout ZipContainer, to text: inout DocumentText) throws(DocumentError) {
        let name = "word/footnotes.xml"
        guard zip.contains(name) else { return }
        var n = 0
        for note in try zip.xml(name).elements where note.is(NS.w, "footnote") && note.attribute("type", NS.w) == nil {
            for p in ParagraphFlow(note, textEverywhere: false, role: role).paragraphs {
                n += 1
                try text.append(p, at: DocumentLocation(entry: name, paragraph: n))
            }
        }
    }

    /// Relationship id → entry name, from `word/_rels/document.xml.rels` (absent is fine).
    private static func relationshipTargets(_ zip: inout ZipContainer) throws(DocumentError) -> [String: String] {
        let relsName = "word/_rels/document.xml.rels"
        guard zip.contains(relsName) else { return [:] }
        var targets: [String: String] = [:]
        for rel in try zip.xml(relsName).elements where rel.is(NS.rels, "Relationship") {
            guard rel.attribute("TargetMode") != "External", let id = rel.attribute("Id"),
                  let target = rel.attribute("Target") else { continue }
            // OPC part names may be absolute ("/word/media/a.png"): relative to the package root.
            let absolute = target.hasPrefix("/")
            targets[id] = try ArchivePath.resolve(absolute ? String(target.dropFirst()) : target,
                                                  from: absolute ? "" : "word/")
        }
        return targets
    }
}
