#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HashmarkNeural
import HashmarkTestSupport
import Testing

/// Seeded random inputs: truncation is a prefix of the whole, and bytes that are not UTF-8 never
/// trap. Seeded by `HASHMARK_TEST_SEED` when set (the repository's convention), else fixed.
@Suite("WordPiece tokenizer, random inputs")
struct WordPieceRandomTests {
    /// Scalars from every kind the normaliser has: ASCII, accents, CJK, Hangul, emoji, controls…
    static let pool: [Unicode.Scalar] = "aZ9 .,[]#é\u{301}ß中한😀\u{200D}\u{0}\u{FFFD}\t\nİΣ﨩ﬁ".unicodeScalars.map { $0 }
        + "[MASK][CLS]".unicodeScalars.map { $0 }

    @Test func truncationIsAPrefixOfTheWholeEncoding() throws {
        let tokenizer = try WordPieceTests.tokenizer()
        var rng = TestRandom(seed: 17)
        for _ in 0..<300 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...400, using: &rng) {
                text.append(Self.pool.randomElement(using: &rng) ?? "a")
            }
            let string = String(text)
            let whole = tokenizer.encode(string, maxTokens: .max)
            let limit = Int.random(in: 2...300, using: &rng)
            let cut = tokenizer.encode(string, maxTokens: limit)
            #expect(cut == Array(whole.prefix(min(limit, whole.count) - 1)) + [tokenizer.separatorID], Comment(rawValue: rng.replay))
        }
    }

    @Test func bytesThatAreNotUTF8DoNotTrap() throws {
        let tokenizer = try WordPieceTests.tokenizer()
        var rng = TestRandom(seed: 18)
        for _ in 0..<300 {
            let bytes = (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let ids = bytes.withUnsafeBufferPointer { tokenizer.encode(utf8: $0) }
            #expect(ids.first == tokenizer.classifierID && ids.last == tokenizer.separatorID, Comment(rawValue: rng.replay))
            #expect(ids.count <= 256 && ids.allSatisfy { $0 >= 0 && Int($0) < tokenizer.vocabularySize }, Comment(rawValue: rng.replay))
        }
    }
}
