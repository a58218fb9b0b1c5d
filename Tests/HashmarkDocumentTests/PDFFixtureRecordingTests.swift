import Foundation
import HashmarkTransforms
import Testing

/// Rewrites the PDFWriter-made fixtures (plain.pdf, many-pages.pdf) when
/// HASHMARK_RECORD_PDF_FIXTURES=1, and then fails, so that re-recording is an explicit act.
/// The other fixtures are derived from plain.pdf by the commands in the fixtures' README.
@Suite struct PDFFixtureRecordingTests {
    static var recording: Bool { ProcessInfo.processInfo.environment["HASHMARK_RECORD_PDF_FIXTURES"] == "1" }

    static func plain() throws -> [UInt8] {
        PDFWriter.pdf(pages: PDFExtractorTests.pages,
                      images: [(page: 2, jpeg: try PDFFixtures.jpeg("progressive.jpg"), width: 64, height: 43)])
    }

    static func manyPages() -> [UInt8] { PDFWriter.pdf(pages: (1...40).map { ["Page \($0) of a long document."] }) }

    @Test func committedFixturesAreWhatTheWriterMakes() throws {
        if Self.recording {
            try Data(Self.plain()).write(to: PDFFixtures.directory.appendingPathComponent("plain.pdf"))
            try Data(Self.manyPages()).write(to: PDFFixtures.directory.appendingPathComponent("many-pages.pdf"))
            Issue.record("PDF fixtures re-recorded; run again without HASHMARK_RECORD_PDF_FIXTURES")
        }
        #expect(try PDFFixtures.bytes("plain.pdf") == Self.plain())
        #expect(try PDFFixtures.bytes("many-pages.pdf") == Self.manyPages())
    }
}
