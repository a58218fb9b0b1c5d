#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HashmarkNeural
import Testing

/// Seeded random inputs: truncation is a prefix of the whole, and bytes that are not UTF-8 never
/// trap. Seeded by `HASHMARK_TEST_SEED` when set (the repository's convention), else fixed.
@Suite("WordPiece tokenizer, random inputs")
struct WordPieceRandomTests {
    /// SplitMix64.
    struct Random: RandomNumberGenerator {
        let seed: UInt64
        private var state: UInt64
        init(seed fixed: UInt64) {
            seed = getenv("HASHMARK_TEST_SEED").flatMap { UInt64(String(cString: $0)) } ?? fixed
            state = seed
        }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var replay: Comment { "replay with HASHMARK_TEST_SEED=\(seed)" }
    }

    /// Scalars from every kind the normaliser has: ASCII, accents, CJK, Hangul, emoji, controls…
    static let pool: [Unicode.Scalar] = "aZ9 .,[]#é\u{301}ß中한😀\u{200D}\u{0}\u{FFFD}\t\nİΣ﨩ﬁ".unicodeScalars.map { $0 }
        + "[MASK][CLS]".unicodeScalars.map { $0 }

    @Test func truncationIsAPrefixOfTheWholeEncoding() throws {
        let tokenizer = try WordPieceTests.tokenizer()
        var rng = Random(seed: 17)
        for _ in 0..<300 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...400, using: &rng) {
                text.append(Self.pool.randomElement(using: &rng) ?? "a")
            }
            let string = String(text)
            let whole = tokenizer.encode(string, maxTokens: .max)
            let limit = Int.random(in: 2...300, using: &rng)
            let cut = tokenizer.encode(string, maxTokens: limit)
            #expect(cut == Array(whole.prefix(min(limit, whole.count) - 1)) + [tokenizer.separatorID], rng.replay)
        }
    }

    @Test func bytesThatAreNotUTF8DoNotTrap() throws {
        let tokenizer = try WordPieceTests.tokenizer()
        var rng = Random(seed: 18)
        for _ in 0..<300 {
            let bytes = (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let ids = bytes.withUnsafeBufferPointer { tokenizer.encode(utf8: $0) }
            #expect(ids.first == tokenizer.classifierID && ids.last == tokenizer.separatorID, rng.replay)
            #expect(ids.count <= 256 && ids.allSatisfy { $0 >= 0 && Int($0) < tokenizer.vocabularySize }, rng.replay)
        }
    }
}
