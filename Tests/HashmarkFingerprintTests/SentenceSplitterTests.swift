import Foundation
@_spi(Testing) import HashmarkFingerprint
import Testing

/// Sentence spans: byte-exact, in order, covering every non-space byte, and split where a reader
/// would split.
@Suite("Sentence splitting")
struct SentenceSplitterTests {
    static let texts = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Corpus/texts")

    static func sentences(_ text: String, maxWords: Int = SentenceSplitter.defaultMaxWords) -> [String] {
        let bytes = Array(text.utf8)
        return SentenceSplitter.split(text, maxWords: maxWords).map { String(decoding: bytes[$0.range], as: UTF8.self) }
    }

    /// Spans are in order, disjoint, trimmed, and every byte outside them is whitespace.
    static func checkInvariants(_ text: String, _ spans: [SentenceSpan], _ name: String) {
        let bytes = Array(text.utf8)
        var covered = [Bool](repeating: false, count: bytes.count), previousEnd = 0
        for s in spans {
            #expect(s.length > 0 && s.offset >= previousEnd && s.end <= bytes.count, "\(name): \(s)")
            guard s.length > 0, s.offset >= previousEnd, s.end <= bytes.count else { return }
            let piece = String(decoding: bytes[s.range], as: UTF8.self)
            #expect(piece == piece.trimmingCharacters(in: .whitespacesAndNewlines), "\(name): untrimmed \(piece)")
            for k in s.range { covered[k] = true }
            previousEnd = s.end
        }
        let outside = String(decoding: bytes.indices.filter { !covered[$0] }.map { bytes[$0] }, as: UTF8.self)
        #expect(outside.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(name): uncovered text")
    }

    /// The ASCII shortcut answers what the Unicode property does, for every scalar of the BMP
    /// and the first supplementary planes.
    @Test func whiteSpaceIsTheUnicodeProperty() {
        for v in UInt32(0)..<0x3_0000 {
            guard let s = Unicode.Scalar(v) else { continue }
            #expect(s.isWhiteSpace == s.properties.isWhitespace, "U+\(String(v, radix: 16))")
        }
    }

    @Test func realCorpusTextsKeepTheInvariants() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.texts.path).filter { $0.hasSuffix(".txt") }
        #expect(names.count >= 10)
        for name in names.sorted() {
            let text = try String(contentsOf: Self.texts.appendingPathComponent(name), encoding: .utf8)
            let spans = SentenceSplitter.split(text, maxWords: 40)
            #expect(spans.count > 20, "\(name)")
            Self.checkInvariants(text, spans, name)
            let bytes = Array(text.utf8)
            for s in spans {
                let words = String(decoding: bytes[s.range], as: UTF8.self).split(whereSeparator: \.isWhitespace)
                #expect(words.count <= 40, "\(name): \(s)")
            }
        }
    }

    @Test func emmaSplitsAsAReaderWould() throws {
        let text = try String(contentsOf: Self.texts.appendingPathComponent("r-cran-janeaustenr__austen_emma_02.txt"),
                              encoding: .utf8)
        let s = Self.sentences(text)
        #expect(s.first?.hasPrefix("He had only himself to please in his choice") == true)
        #expect(s.first?.hasSuffix("on coming of age.") == true)
        #expect(s.dropFirst().first == "It was most unlikely, therefore, that he should ever want his father's assistance.")
        #expect(s.contains("His father had no apprehension of it."))
        // "Mr." and "Mrs." do not end a sentence; a blank line does.
        #expect(s.contains { $0.hasPrefix("The aunt was a capricious woman") && $0.contains("Mr. Weston's nature") })
        #expect(s.contains { $0.hasPrefix("There was not a dissentient voice") && $0.hasSuffix("returned the visit.") })
        #expect(s.contains("He was looked on as sufficiently belonging to the place to make his merits and prospects a kind of common concern."))
        #expect(s.contains { $0.hasPrefix("\"I suppose you have heard") && $0.hasSuffix("Mrs. Weston?") })
        #expect(s.contains("I understand it was a very handsome letter, indeed."))
    }

    @Test func abbreviationsDecimalsAndQuotes() {
        #expect(Self.sentences("Dr. Smith paid $3.14 for it, e.g. a pie. Then he left!") ==
                ["Dr. Smith paid $3.14 for it, e.g. a pie.", "Then he left!"])
        #expect(Self.sentences("He said \"Go.\" She went. Was it J. R. Tolkien? Yes...  No.") ==
                ["He said \"Go.\"", "She went.", "Was it J. R. Tolkien?", "Yes...", "No."])
        #expect(Self.sentences("Wait… what?! The U.S. army arrived.") == ["Wait…", "what?!", "The U.S. army arrived."])
        #expect(Self.sentences("A title\n\nNext paragraph\nstill going. End") == ["A title", "Next paragraph\nstill going.", "End"])
        #expect(Self.sentences("Line one\r\n \r\nLine two costs approx. five pounds. Done") ==
                ["Line one", "Line two costs approx. five pounds.", "Done"])
    }

    @Test func emptyAndBlankInputGiveNothing() {
        #expect(SentenceSplitter.split("").isEmpty)
        #expect(SentenceSplitter.split(" \n\n\t ").isEmpty)
        #expect(SentenceSplitter.split("one") == [SentenceSpan(offset: 0, length: 3)])
    }

    @Test func multilingualByteSpans() {
        let text = "  Héllo wörld. Ça va ?  私は学生です。あなたは？ Привет! Как дела?\u{3000}"
        let s = Self.sentences(text)
        #expect(s == ["Héllo wörld.", "Ça va ?", "私は学生です。", "あなたは？", "Привет!", "Как дела?"])
        Self.checkInvariants(text, SentenceSplitter.split(text), "multilingual")
        let cjk = "今天天气很好。我们去公园吧！好的"
        #expect(Self.sentences(cjk) == ["今天天气很好。", "我们去公园吧！", "好的"])
    }

    @Test func longSentencesAreCutAtClausesThenWords() {
        let clause = (1...8).map { "w\($0)" }.joined(separator: " ")
        let text = Array(repeating: clause, count: 5).joined(separator: "; ") + "."
        let s = Self.sentences(text, maxWords: 20)
        #expect(s.count == 3)
        #expect(s.first?.hasSuffix("w8;") == true)
        #expect(s.allSatisfy { $0.split(separator: " ").count <= 20 })
        let plain = (1...50).map { "x\($0)" }.joined(separator: " ")
        let p = Self.sentences(plain, maxWords: 20)
        #expect(p.map { $0.split(separator: " ").count } == [20, 20, 10])
        let han = String(repeating: "字", count: 45)
        #expect(Self.sentences(han, maxWords: 20).map(\.count) == [20, 20, 5])
        Self.checkInvariants(text, SentenceSplitter.split(text, maxWords: 20), "clauses")
    }
}
