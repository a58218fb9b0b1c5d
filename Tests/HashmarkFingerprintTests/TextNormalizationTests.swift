import HashmarkFingerprint
import Testing

@Suite("Text normalisation")
struct TextNormalizationTests {
    @Test func compatibilityCaseAndDiacriticsFold() {
        #expect(TextNormalizer.foldedWords("Ｈéllo ﬁne STRASSE straße Ⅻ") ==
                TextNormalizer.foldedWords("hello fine strasse strasse xii"))
        #expect(TextNormalizer.foldedWords("naïve café Ångström") == TextNormalizer.foldedWords("naive cafe angstrom"))
    }

    @Test func confusablesFoldToLatin() {
        // Cyrillic а е о р с х і and Greek ο α ν written where Latin letters belong.
        let spoofed = "\u{0440}\u{0430}\u{0441}\u{0435} \u{0445}\u{043E} \u{0456}t \u{03BF}\u{03BD}\u{03B1}l"
        #expect(TextNormalizer.foldedWords(spoofed) == TextNormalizer.foldedWords("pace xo it oval"))
        #expect(TextNormalizer.foldedWords("\u{041D}\u{0415}LLO") == TextNormalizer.foldedWords("hello"))
        #expect(TextNormalizer.foldedWords("\u{0406}t \u{0405}ee") == ["it", "see"])
        // ASCII keeps its distinctions: TR39 would merge I/l/1 and m/rn.
        #expect(TextNormalizer.foldedWords("Ill 1ll barn bam") == ["ill", "1ll", "barn", "bam"])
    }

    @Test func formatCharactersDoNotSplitWords() {
        let hidden = "\u{FEFF}wo\u{200B}rd in\u{00AD}vis\u{200D}ible \u{202E}te\u{200C}xt\u{202C}"
        #expect(TextNormalizer.foldedWords(hidden) == ["word", "invisible", "text"])
    }

    @Test func punctuationAndWhitespaceCollapse() {
        #expect(TextNormalizer.foldedWords("a,,,  b!!!\n\n\tc -- d…e") == ["a", "b", "c", "d", "e"])
        #expect(TextNormalizer.normalize("a,,,  b!!!").wordHashes == TextNormalizer.normalize("a b").wordHashes)
    }

    @Test func offsetsPointIntoOriginalUTF8() {
        let text = "  Héllo, \u{200B}wörld — ﬁn!"
        let n = TextNormalizer.normalize(text)
        let bytes = Array(text.utf8)
        let words = (0..<n.wordCount).map {
            String(decoding: bytes[Int(n.wordStarts[$0])..<Int(n.wordEnds[$0])], as: UTF8.self)
        }
        #expect(words == ["Héllo", "wörld", "ﬁn"])
        #expect(n.byteRange(words: 0..<3) == 2..<bytes.count - 1)
        #expect(n.wordHashes[0] == TextNormalizer.wordHash(folded: "hello"))
    }

    @Test func invalidUTF8IsCountedNotFatal() throws {
        let n = TextNormalizer.normalize(utf8: [0x61, 0xFF, 0x62, 0xC0, 0xAF, 0x63, 0xED, 0xA0, 0x80, 0x64, 0xC3])
        #expect(n.wordCount == 4)
        #expect(n.replacedBytes == 1 + 2 + 3 + 1)
        #expect(throws: TextFingerprintError.self) { try TextFingerprintSummary.make(utf8: [0x61, 0xFF]) }
        do {
            _ = try TextFingerprintSummary.make(utf8: [0x61, 0xFF])
        } catch {
            #expect(error.code == .invalidUTF8)
        }
        #expect(try TextFingerprintSummary.make(utf8: [0x61, 0xFF], strict: false).replacedBytes == 1)
    }

    @Test func randomBytesNeverTrapAndOffsetsStayInBounds() {
        var rng = SplitMix(seed: 7)
        for length in [0, 1, 2, 3, 4, 7, 64, 65, 1000] {
            for _ in 0..<50 {
                let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                let n = TextNormalizer.normalize(utf8: bytes)
                var last: UInt32 = 0 // one scalar may fold to several words (㏂ → a m): starts only grow
                for i in 0..<n.wordCount {
                    #expect(n.wordStarts[i] >= last && n.wordStarts[i] < n.wordEnds[i] && Int(n.wordEnds[i]) <= length)
                    last = n.wordStarts[i]
                }
            }
        }
    }

    @Test func foldTableIsIdempotentAndCoversRequiredCharacters() {
        let changed = TextFold.changedCodePoints
        #expect(changed.count > 5000)
        for cp in changed {
            guard let s = Unicode.Scalar(cp) else { continue }
            let once = TextFold.fold(s)
            let twice = once.flatMap(TextFold.fold)
            #expect(once == twice, "U+\(String(cp, radix: 16)) folds differently twice")
        }
        for removed: UInt32 in [0x200B, 0x200C, 0x200D, 0x00AD, 0xFEFF, 0x202E, 0x2066, 0x0301] {
            #expect(Unicode.Scalar(removed).map(TextFold.fold) == [], "U+\(String(removed, radix: 16))")
        }
    }
}

/// Deterministic generator for reproducible random tests.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
