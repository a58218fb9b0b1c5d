import HashmarkMedia

/// The one entry point from a document's bytes to its text and images: EPUB, DOCX and ODT read
/// in this process (ZIP + XML under `limits`), PDF through Poppler in a limited child process.
public struct DocumentReader: Sendable {
    public var limits: DocumentLimits
    /// Whether PDFs may be read here. A process that cannot start programs (the daemon's
    /// sandboxed workers) sets false; the daemon extracts PDFs before handing them over.
    public var readsPDF: Bool
    /// Where `pdftotext`, `pdfinfo` and `pdfimages` are.
    public var popplerDirectory: String

    public init(limits: DocumentLimits = .init(), readsPDF: Bool = true, popplerDirectory: String = "/usr/bin") {
        self.limits = limits
        self.readsPDF = readsPDF
        self.popplerDirectory = popplerDirectory
    }

    /// The format of a sniffed media type, nil for anything that is not a document.
    public static func format(of type: MediaType) -> ExtractedDocument.Format? {
        switch type {
        case .pdf: .pdf
        case .epub: .epub
        case .docx: .docx
        case .odt: .odt
        default: nil
        }
    }

    /// Extracts a document; `document-empty` when it yields neither text nor images.
    public func extract(_ bytes: [UInt8], format: ExtractedDocument.Format) throws(DocumentError) -> ExtractedDocument {
        let document: ExtractedDocument
        switch format {
        case .pdf:
            guard readsPDF else {
                throw DocumentError(.extractorUnavailable, "PDFs are extracted before they reach this process")
            }
            document = try PDFExtractor(limits: limits, popplerDirectory: popplerDirectory).extract(bytes)
        case .epub, .docx, .odt:
            document = try ZipDocumentReader.extract(bytes, format: format, limits: limits)
        }
        guard document.hasWords || !document.images.isEmpty else {
            throw DocumentError(.empty, format == .pdf
                ? "The PDF has no extractable text and no images (a scanned PDF needs OCR, which Hashmark does not do)."
                : "The document has no text and no images.")
        }
        return document
    }
}
