import HashmarkMedia
import HashmarkTransforms

/// The `document` family: cases of the image and text suites delivered inside a PDF, EPUB, DOCX
/// or ODT file made by `PDFWriter` / `ZipDocumentWriter` (issue 19), so a document is held to the
/// same bar as its modality. Each work gets one case per format, each wrapping a case of its
/// modality's suite drawn by seed from the edits a document can carry: image edits but the
/// regenerative ones (issue 16's open problem, measured in their own family), text edits but the
/// character-level obfuscations (a PDF with a standard font writes no homoglyph or zero-width
/// character; those are measured as plain text).
public enum DocumentCases {
    public static let formats = ["pdf", "epub", "docx", "odt"]

    /// The image suite's cases a document case may wrap.
    static func wrappable(_ suite: TransformSuite) -> [TransformCase] {
        suite.cases.filter { $0.family != .regenerative }
    }

    /// The text suite's cases a document case may wrap.
    static func wrappable(_ suite: TextTransformSuite) -> [TextTransformCase] {
        suite.cases.filter { ["excerpt", "substitute", "shuffle", "interleave", "paraphrase"].contains($0.kind) }
    }

    /// The blank-line-separated paragraphs of `text` (and `image`, if any) as a `format` document:
    /// one PDF page flowing onto more, two EPUB chapters, DOCX and ODT paragraphs.
    static func wrap(text: String, image: (jpeg: [UInt8], width: Int, height: Int)?, format: String) throws -> [UInt8] {
        let paragraphs = text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
        let images = image.map { [$0.jpeg] } ?? []
        switch format {
        case "pdf":
            return PDFWriter.pdf(pages: [paragraphs], images: image.map { [(page: 1, jpeg: $0.jpeg, width: $0.width, height: $0.height)] } ?? [])
        case "epub":
            let half = (paragraphs.count + 1) / 2
            let chapters = paragraphs.count > 1 ? [Array(paragraphs[..<half]), Array(paragraphs[half...])] : [paragraphs]
            return try ZipDocumentWriter.epub(chapters: chapters, images: images, title: "Submitted work")
        case "docx":
            return try ZipDocumentWriter.docx(paragraphs: paragraphs, images: images)
        case "odt":
            return try ZipDocumentWriter.odt(paragraphs: paragraphs, images: images)
        default:
            throw EvalError(code: "cases-invalid", message: "no document format \(format)")
        }
    }

    /// The words around an image in a document case: neutral prose no corpus work holds.
    static let imageCaption = """
        Figure 1. The illustration submitted with this document.

        This file was assembled by the Hashmark evaluation suite to carry one image inside a document.
        """

    /// An image case's JPEG bytes inside a document.
    static func wrap(imageJPEG: [UInt8], format: String) throws -> [UInt8] {
        let decoded = try ImageDecoder.decode(imageJPEG)
        return try wrap(text: imageCaption, image: (imageJPEG, decoded.originalWidth, decoded.originalHeight), format: format)
    }
}
