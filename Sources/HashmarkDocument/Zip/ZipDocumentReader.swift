/// Reads EPUB, DOCX and ODT documents (ZIP archives of XML parts) in memory, under
/// `DocumentLimits`: nothing is written to disk and no entry name is used as a path.
///
/// Errors: `.invalid` (broken ZIP or XML, a missing part, a link out of the archive),
/// `.tooLarge` (any limit, and XML entity declarations), `.encrypted` (EPUB DRM over content
/// files, password-protected ODT). A document with no text is returned as is: whether that is
/// `.empty` is the caller's decision.
public enum ZipDocumentReader {
    public static func extract(_ bytes: [UInt8], format: ExtractedDocument.Format,
                               limits: DocumentLimits = .init()) throws(DocumentError) -> ExtractedDocument {
        guard format != .pdf else { throw DocumentError(.invalid, "a PDF is not a ZIP document") }
        var zip = try ZipContainer(bytes, limits: limits)
        switch format {
        case .docx: return try DocxReader.extract(&zip, limits: limits)
        case .odt: return try OdtReader.extract(&zip, limits: limits)
        case .epub: return try EpubReader.extract(&zip, limits: limits)
        case .pdf: throw DocumentError(.invalid, "a PDF is not a ZIP document")
        }
    }
}
