/// A minimal PDF 1.4 writer for tests and the evaluation suite: Helvetica text in paragraphs
/// and JPEG images, nothing else. Written from the PDF 1.4 reference (sections 3.4 file
/// structure, 5.2 text state, 4.8 images); every page is US Letter.
///
/// Text is set in 10 pt Helvetica with `/WinAnsiEncoding`, wrapped at 90 characters, two blank
/// lines between paragraphs (pdftotext reads a gap of one line as the same block); a page that fills continues on a new page. Characters WinAnsi lacks
/// become "?".
public enum PDFWriter {
    /// A PDF with `pages` (the paragraphs of each page) and `images`, each drawn at the top of
    /// the first PDF page of its 1-based entry in `pages` (scaled to fit 468 × 300 pt), the
    /// text below it. Images on a page number outside `pages` are left out.
    public static func pdf(pages: [[String]], images: [(page: Int, jpeg: [UInt8], width: Int, height: Int)] = []) -> [UInt8] {
        var layout = PDFLayout()
        for (index, paragraphs) in pages.enumerated() {
            let onPage = images.filter { $0.page == index + 1 }.map {
                PDFLayout.Image(jpeg: $0.jpeg, width: max(1, $0.width), height: max(1, $0.height))
            }
            layout.startPage(images: onPage)
            for paragraph in paragraphs { layout.add(paragraph: paragraph) }
        }
        if layout.pages.isEmpty { layout.startPage(images: []) }
        return PDFFile.bytes(of: layout.pages)
    }
}

/// Lays paragraphs out into lines and pages.
struct PDFLayout {
    struct Image { var jpeg: [UInt8]; var width: Int; var height: Int }
    struct Page {
        var images: [(image: Image, box: (x: Double, y: Double, w: Double, h: Double))] = []
        var lines: [String] = []
        var top: Double = PDFLayout.pageHeight - PDFLayout.margin
    }

    static let pageWidth = 612.0, pageHeight = 792.0, margin = 54.0
    static let fontSize = 10.0, leading = 12.0, lineCharacters = 90

    var pages: [Page] = []

    mutating func startPage(images: [Image]) {
        var page = Page()
        for image in images {
            let scale = min(468 / Double(image.width), 300 / Double(image.height), 1.0)
            let w = Double(image.width) * scale, h = Double(image.height) * scale
            if page.top - h < Self.margin + Self.leading * 4 { break }
            page.images.append((image, (Self.margin, page.top - h, w, h)))
            page.top -= h + Self.leading
        }
        pages.append(page)
    }

    mutating func add(paragraph: String) {
        let lines = Self.wrap(paragraph)
        guard !lines.isEmpty else { return }
        if pages.last.map({ !$0.lines.isEmpty }) == true { append(""); append("") }
        lines.forEach { append($0) }
    }

    private mutating func append(_ line: String) {
        if pages.isEmpty { startPage(images: []) }
        if let last = pages.last, Double(last.lines.count + 1) * Self.leading > last.top - Self.margin {
            if line.isEmpty { return }
            startPage(images: [])
        }
        pages[pages.count - 1].lines.append(line)
    }

    /// Words joined into lines of at most `lineCharacters`; a longer word is cut.
    static func wrap(_ paragraph: String) -> [String] {
        var lines: [String] = [], line = ""
        for word in paragraph.split(whereSeparator: \.isWhitespace) {
            var word = Substring(word)
            while word.count > lineCharacters {
                if !line.isEmpty { lines.append(line); line = "" }
                lines.append(String(word.prefix(lineCharacters)))
                word = word.dropFirst(lineCharacters)
            }
            if line.isEmpty { line = String(word) }
            else if line.count + 1 + word.count <= lineCharacters { line += " " + word }
            else { lines.append(line); line = String(word) }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
