import Foundation
import HashmarkTransforms
import Testing

@Suite struct PDFWriterTests {
    @Test func crossReferenceOffsetsPointAtTheirObjects() throws {
        let pdf = PDFWriter.pdf(pages: [["One (two) back\\slash"], ["Second page"]])
        let text = String(decoding: pdf, as: UTF8.self)
        let startxref = try #require(text.range(of: "startxref\n"))
        let xrefOffset = try #require(Int(text[startxref.upperBound...].prefix { $0.isNumber }))
        let table = String(decoding: pdf[xrefOffset...], as: UTF8.self).split(separator: "\n")
        #expect(table.first == "xref")
        let entries = table.dropFirst(3).prefix { $0.hasSuffix(" n ") || $0.hasSuffix(" n") }
        #expect(entries.count >= 6)
        for (index, entry) in entries.enumerated() {
            let offset = try #require(Int(entry.prefix(10)))
            let header = String(decoding: pdf[offset...].prefix(12), as: UTF8.self)
            #expect(header.hasPrefix("\(index + 1) 0 obj"))
        }
        #expect(text.contains("(One \\(two\\) back\\\\slash) Tj"))
    }

    @Test func charactersOutsideWinAnsiBecomeQuestionMarks() {
        let pdf = String(decoding: PDFWriter.pdf(pages: [["caf\u{E9} \u{201C}q\u{201D} \u{4E2D}"]]), as: UTF8.self)
        #expect(pdf.contains("(caf\\351 \\223q\\224 ?) Tj"))
    }

    @Test func aLongParagraphWrapsAndFlowsOntoNewPages() {
        let words = (1...2000).map { "word\($0)" }.joined(separator: " ")
        let pdf = String(decoding: PDFWriter.pdf(pages: [[words]]), as: UTF8.self)
        let count = pdf.components(separatedBy: "/Type /Page ").count - 1
        #expect(count > 1)
        let lines = pdf.split(separator: "\n").filter { $0.hasSuffix(" Tj") }
        #expect(lines.allSatisfy { $0.count <= 90 + 5 })
    }
}
