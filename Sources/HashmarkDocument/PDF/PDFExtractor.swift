/// Text and images of a PDF, read by Poppler's command-line tools (`pdfinfo`, `pdftotext`,
/// `pdfimages`, Debian package poppler-utils) in separate, limited processes: a PDF that
/// crashes, hangs or floods the parser costs one killed child, never this process.
///
/// The bytes go to a private temporary directory that is removed afterwards, error or not.
public struct PDFExtractor: Sendable {
    public var limits: DocumentLimits
    /// Where `pdfinfo`, `pdftotext` and `pdfimages` are (absolute; no `PATH` search).
    public var popplerDirectory: String

    public init(limits: DocumentLimits = .init(), popplerDirectory: String = "/usr/bin") {
        self.limits = limits
        self.popplerDirectory = popplerDirectory
    }

    /// Blocks while up to five programs run one after another (`pdftotext -v` once per
    /// directory, `pdfinfo`, `pdftotext`, `pdfimages -list`, `pdfimages`), each for at most
    /// `limits.processSeconds`: call it from a thread of its own, not Swift's cooperative pool.
    public func extract(_ bytes: [UInt8]) throws(DocumentError) -> ExtractedDocument {
        let tools = PopplerTools(directory: popplerDirectory, limits: limits)
        let extractor = try tools.version()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write(bytes, name: "document.pdf")

        let info = try tools.process("pdfinfo").run([file], limits: tools.caps(outputBytes: 1 << 20))
        guard info.exitStatus == 0 else { throw info.failure("pdfinfo") }
        guard let facts = PDFInfo(String(decoding: info.stdout, as: UTF8.self)) else {
            throw DocumentError(.invalid, "pdfinfo gave no page count: \(info.errorExcerpt)")
        }
        guard facts.pages <= limits.maxPages else {
            throw DocumentError(.tooLarge, "\(facts.pages) pages, over the limit of \(limits.maxPages)")
        }

        let run = try tools.process("pdftotext").run(["-enc", "UTF-8", "-eol", "unix", file, "-"],
                                                      limits: tools.caps(outputBytes: limits.maxTextBytes))
        guard run.exitStatus == 0 else { throw run.failure("pdftotext") }
        let text = PDFText(pdftotext: run.stdout)
        guard text.text.utf8.count <= limits.maxTextBytes else {
            throw DocumentError(.tooLarge, "text over \(limits.maxTextBytes) bytes")
        }

        let images = try PDFImages(file: file, pages: facts.pages, in: directory, tools: tools)
        guard !text.sections.isEmpty || !images.images.isEmpty else {
            throw DocumentError(.empty, "no text and no image in \(facts.pages) page(s) (a scan needs OCR)")
        }
        return ExtractedDocument(format: .pdf, text: text.text, sections: text.sections, images: images.images,
                                 extractor: extractor, pageCount: facts.pages, skippedImages: images.skipped)
    }
}
