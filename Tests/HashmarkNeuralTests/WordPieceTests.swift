import Foundation
import HashmarkNeural
import Testing

/// The tokenizer gives the reference's ids (Scripts/minilm/token_goldens.py, HuggingFace
/// tokenizers with the model's tokenizer.json) for every sentence in the fixture.
@Suite("WordPiece tokenizer")
struct WordPieceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func tokenizer() throws -> WordPieceTokenizer {
        let url = root.appendingPathComponent("Models/\(MiniLMModelFiles.folder)/vocab.txt")
        return try WordPieceTokenizer(vocabularyUTF8: Array(try Data(contentsOf: url)))
    }

    struct Golden {
        let line: Int
        let source: String
        let text: String
        let ids: [Int32]
    }

    static func goldens(_ name: String) throws -> [Golden] {
        let url = root.appendingPathComponent("Tests/Fixtures/minilm/\(name)")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        var goldens: [Golden] = []
        for (index, line) in lines.enumerated() where !line.isEmpty && !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            try #require(fields.count == 4, "line \(index + 1)")
            let text = try #require(
                try JSONSerialization.jsonObject(with: Data(fields[2].utf8), options: .fragmentsAllowed) as? String,
                "line \(index + 1)")
            let ids = fields[3].split(separator: " ").compactMap { Int32($0) }
            goldens.append(Golden(line: index + 1, source: String(fields[0]), text: text, ids: ids))
        }
        return goldens
    }

    /// Sentences from Corpus/texts and hand-written cases (scripts, accents, emoji, controls…).
    @Test func everyGoldenSentenceGivesTheReferenceIds() throws {
        let goldens = try Self.goldens("tokens.tsv")
        #expect(goldens.count >= 1000)
        try Self.expectReferenceIds(goldens)
    }

    /// Every scalar of the BMP and plane 1 (plane 2 sampled), 64 to a line.
    @Test func everyScalarGivesTheReferenceIds() throws {
        let goldens = try Self.goldens("tokens-scalars.tsv")
        #expect(goldens.count > 1024)
        try Self.expectReferenceIds(goldens)
    }

    static func expectReferenceIds(_ goldens: [Golden]) throws {
        let tokenizer = try Self.tokenizer()
        var wrong: [String] = []
        for golden in goldens {
            let ids = tokenizer.encode(golden.text)
            if ids != golden.ids {
                wrong.append("line \(golden.line) (\(golden.source)): \(golden.text.debugDescription)\n"
                    + "  got      \(ids.map(String.init).joined(separator: " "))\n"
                    + "  expected \(golden.ids.map(String.init).joined(separator: " "))")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.count) of \(goldens.count) differ:\n\(wrong.prefix(10).joined(separator: "\n"))")
    }

    @Test func truncationKeepsSeparatorAtTheLimit() throws {
        let tokenizer = try Self.tokenizer()
        let text = String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 100)
        let all = tokenizer.encode(text, maxTokens: .max)
        #expect(all.count == 2 + 100 * 10)
        let cut = tokenizer.encode(text)
        #expect(cut.count == 256)
        #expect(cut.first == tokenizer.classifierID)
        #expect(cut.last == tokenizer.separatorID)
        #expect(Array(cut.dropLast()) == Array(all.prefix(255)))
        #expect(tokenizer.encode(text, maxTokens: 10).count == 10)
        #expect(tokenizer.encode(text, maxTokens: 0) == [tokenizer.classifierID, tokenizer.separatorID])
        #expect(tokenizer.encode("") == [tokenizer.classifierID, tokenizer.separatorID])
    }

    @Test func specialTokensAndUnknownWords() throws {
        let tokenizer = try Self.tokenizer()
        let ids = tokenizer.encode("a[MASK]b [mask]")
        #expect(ids.contains(tokenizer.maskID))
        #expect(ids.filter { $0 == tokenizer.maskID }.count == 1)
        #expect(tokenizer.encode(String(repeating: "a", count: 101)).dropFirst().first == tokenizer.unknownID)
        #expect(tokenizer.encode(String(repeating: "a", count: 100)).dropFirst().first != tokenizer.unknownID)
        #expect(tokenizer.vocabularySize == 30_522)
    }

    @Test func vocabularyErrorsAreReported() {
        #expect(throws: NeuralError.self) { try WordPieceTokenizer(vocabulary: "") }
        #expect(throws: NeuralError.self) { try WordPieceTokenizer(vocabulary: "[PAD]\n[UNK]\n[CLS]\n[SEP]\n") }
        #expect(throws: NeuralError.self) {
            try WordPieceTokenizer(vocabulary: "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\na\na\n")
        }
        #expect(throws: NeuralError.self) { try WordPieceTokenizer(vocabulary: "[PAD]\n\n[UNK]\n") }
        let small = try? WordPieceTokenizer(vocabulary: "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nun\n##aff\n##able\n")
        #expect(small?.encode("Unaffable unaffx") == [2, 5, 6, 7, 1, 3])
    }
}
