import HashmarkReport

/// EPUB 2 and 3: `META-INF/container.xml` → OPF → spine; each spine item is a chapter
/// (linear items first, then `linear="no"` ones), its XHTML block elements paragraphs.
enum EpubReader {
    struct Item { var path: String; var mediaType: String; var properties: [Substring] }

    static func extract(_ zip: inout ZipContainer, limits: DocumentLimits) throws(DocumentError) -> ExtractedDocument {
        let container = try zip.xml("META-INF/container.xml")
        guard let fullPath = container.descendants(NS.container, "rootfile").lazy
                .compactMap({ $0.attribute("full-path") }).first,
              let opfPath = try ArchivePath.resolve(fullPath, from: "") else {
            throw DocumentError(.invalid, "META-INF/container.xml names no rootfile")
        }
        let package = try zip.xml(opfPath)
        let (items, order) = try manifest(package, base: ArchivePath.directory(of: opfPath))
        let chapters = try spine(package, items: items)
        try refuseEncrypted(&zip, chapters: Set(chapters))

        var text = DocumentText(maxBytes: limits.maxTextBytes)
        var imageChapter: [String: Int] = [:]
        for (k, path) in chapters.enumerated() {
            let root = try zip.xml(path)
            let body = root.elements.first { $0.name.lowercased() == "body" } ?? root
            let flow = ParagraphFlow(body, textEverywhere: true, role: role, references: imageLinks)
            for (n, p) in flow.paragraphs.enumerated() {
                try text.append(p, at: DocumentLocation(chapter: k + 1, entry: path, paragraph: n + 1))
            }
            let base = ArchivePath.directory(of: path)
            for (href, _) in flow.references {
                if let target = try? ArchivePath.resolve(href, from: base), imageChapter[target] == nil {
                    imageChapter[target] = k + 1
                }
            }
        }

        var images = ImageCollector(maxImages: limits.maxImages)
        let cover = coverID(package, items: items)
        for id in order.filter({ $0 == cover }) + order.filter({ $0 != cover }) {
            guard let item = items[id], item.mediaType.hasPrefix("image/") else { continue }
            let location = DocumentLocation(chapter: imageChapter[item.path], entry: item.path)
            if ["image/jpeg", "image/png", "image/gif", "image/webp"].contains(item.mediaType) {
                try images.add(item.path, location: location, from: &zip)
            } else {
                images.skip()
            }
        }
        return ExtractedDocument(format: .epub, text: text.text, sections: text.sections, images: images.images,
                                 extractor: "hashmark-epub/1", pageCount: chapters.count, skippedImages: images.skipped)
    }

    /// Manifest items by id (hrefs resolved against the OPF folder), and ids in manifest order.
    private static func manifest(_ package: XMLElement, base: String) throws(DocumentError) -> ([String: Item], [String]) {
        guard let manifest = package.child(NS.opf, "manifest") else { throw DocumentError(.invalid, "OPF has no manifest") }
        var items: [String: Item] = [:], order: [String] = []
        for item in manifest.elements where item.is(NS.opf, "item") {
            guard let id = item.attribute("id"), let href = item.attribute("href"),
                  let path = try ArchivePath.resolve(href, from: base), items[id] == nil else { continue }
            items[id] = Item(path: path, mediaType: (item.attribute("media-type") ?? "").lowercased(),
                             properties: (item.attribute("properties") ?? "").split(separator: " "))
            order.append(id)
        }
        return (items, order)
    }

    /// Content files in reading order: linear spine items, then `linear="no"` ones.
    private static func spine(_ package: XMLElement, items: [String: Item]) throws(DocumentError) -> [String] {
        guard let spine = package.child(NS.opf, "spine") else { throw DocumentError(.invalid, "OPF has no spine") }
        var linear: [String] = [], auxiliary: [String] = []
        for ref in spine.elements where ref.is(NS.opf, "itemref") {
            guard let id = ref.attribute("idref"), let item = items[id] else {
                throw DocumentError(.invalid, "spine names an item missing from the manifest")
            }
            if ref.attribute("linear") == "no" { auxiliary.append(item.path) } else { linear.append(item.path) }
        }
        guard !(linear + auxiliary).isEmpty else { throw DocumentError(.invalid, "OPF spine is empty") }
        return linear + auxiliary
    }

    /// The cover image's manifest id: EPUB 3 `properties="cover-image"`, else EPUB 2 `<meta name="cover">`.
    private static func coverID(_ package: XMLElement, items: [String: Item]) -> String? {
        if let id = items.first(where: { $0.value.properties.contains("cover-image") })?.key { return id }
        return package.child(NS.opf, "metadata")?.elements
            .first { $0.name == "meta" && $0.attribute("name") == "cover" }?.attribute("content")
    }

    /// Refuses an EPUB whose `encryption.xml` encrypts a content file (font obfuscation is fine).
    private static func refuseEncrypted(_ zip: inout ZipContainer, chapters: Set<String>) throws(DocumentError) {
        let name = "META-INF/encryption.xml"
        guard zip.contains(name) else { return }
        for data in try zip.xml(name).descendants(NS.xenc, "EncryptedData") {
            for ref in data.descendants(NS.xenc, "CipherReference") {
                guard let uri = ref.attribute("URI"), let path = try? ArchivePath.resolve(uri, from: "") else { continue }
                if chapters.contains(path) {
                    throw DocumentError(.encrypted, "\(path) is encrypted (DRM)")
                }
            }
        }
    }

    private static func imageLinks(_ e: XMLElement) -> [String] {
        switch e.name.lowercased() {
        case "img": [e.attribute("src")].compactMap { $0 }
        case "image": [e.attribute("href", NS.xlink), e.attribute("href")].compactMap { $0 }
        default: []
        }
    }

    private static let blocks: Set<String> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div", "td", "th", "dt", "dd", "body",
        "section", "article", "aside", "nav", "header", "footer", "main", "ul", "ol", "dl", "table", "tr",
        "figure", "figcaption", "caption", "address", "hr",
    ]

    private static func role(_ e: XMLElement) -> FlowRole {
        let name = e.name.lowercased()
        if name == "br" { return .literal("\n") }
        if name == "pre" { return .preformatted }
        if ["head", "script", "style", "title", "template", "noscript"].contains(name) { return .skip }
        return blocks.contains(name) ? .block : .inline
    }
}
