import Foundation
import HashmarkTransforms
import Testing

/// Texts written for these tests: a source with varied punctuation and a multi-byte word, and
/// an unrelated filler.
enum SampleText {
    static let sentences = [
        "The lighthouse keeper counted ships until the fog rolled in from the western cliffs.",
        "Nobody had told her that the lamp needed oil every evening, so she learned it the hard way!",
        "Was it the wind, or the old café sign creaking above the harbour door?",
        "Years later, \"the keeper's log\" still listed every vessel - large or small - by name.",
        "She wrote in pencil; ink froze solid during the long northern winters.",
        "Children from the village climbed the stairs each summer to see the great brass lens.",
    ]
    /// About 330 words.
    static let source = (0..<4).map { i in sentences.rotated(by: i).joined(separator: " ") }.joined(separator: "\n\n")
    static let filler = """
        Quarterly revenue grew modestly as procurement teams renegotiated supplier contracts across \
        several regions. Analysts expect margins to stabilise once logistics costs normalise and \
        inventory levels return to seasonal averages. Management reiterated guidance for the fiscal \
        year while flagging currency headwinds in emerging markets.
        """
}

extension Array {
    func rotated(by k: Int) -> [Element] { Array(self[(k % count)...] + self[..<(k % count)]) }
}

private func words(_ s: String) -> [Substring] {
    s.split(whereSeparator: \.isWhitespace)
}

private func utf8Slice(_ s: String, _ offset: Int, _ length: Int) -> [UInt8] {
    Array(Array(s.utf8)[offset..<(offset + length)])
}

@Suite("Text transforms")
struct TextTransformTests {
    let source = SampleText.source
    let filler = SampleText.filler

    func run(_ t: TextTransform, seed: UInt64 = 1) throws -> TextTransformResult {
        var rng = SeededGenerator(seed: seed)
        return try t.apply(source: source, filler: filler, rng: &rng)
    }

    @Test func excerptIsVerbatimAndSpanIsExact() throws {
        for n in [50, 100, 200] {
            let r = try run(.excerpt(words: n), seed: UInt64(n))
            let span = try #require(r.copiedSpans.first)
            #expect(r.copiedSpans.count == 1)
            #expect(span.words == n)
            let copied = utf8Slice(r.text, span.outputOffset, span.length)
            #expect(copied == utf8Slice(source, span.sourceOffset, span.length))
            #expect(words(String(decoding: copied, as: UTF8.self)).count == n)
            let total = words(r.text).count
            #expect(total >= n + 40 && total <= n + 120)
        }
        // Longer than the source: the whole source is copied.
        let all = try run(.excerpt(words: 500))
        #expect(all.copiedSpans.first?.words == words(source).count)
        #expect(all.copiedSpans.first?.length == source.utf8.count)
    }

    @Test func substitutionReplacesTheRequestedShareWithFillerWords() throws {
        let vocabulary = Set(words(filler.lowercased()).map { String($0.filter(\.isLetter)) })
        let original = words(source)
        for f in [0.1, 0.2, 0.4] {
            let out = words(try run(.substitute(fraction: f)).text)
            #expect(out.count == original.count)
            let changed = zip(original, out).filter { $0 != $1 }
            let expected = Int((f * Double(original.count)).rounded())
            #expect(changed.count <= expected && changed.count >= expected - 3)
            for (_, new) in changed {
                #expect(vocabulary.contains(String(new.lowercased().filter(\.isLetter))), "\(new)")
            }
        }
    }

    @Test func shuffleKeepsWordsAndReordersSentences() throws {
        let out = try run(.shuffleSentences).text
        #expect(words(out).sorted() == words(source).sorted())
        #expect(out != source)
        #expect(out.hasPrefix(SampleText.sentences[0]) == false || out.contains(SampleText.sentences[3]))
        for s in SampleText.sentences { #expect(out.contains(s)) }
    }

    @Test func interleaveCopiesPiecesVerbatim() throws {
        let r = try run(.interleave(pieces: 4))
        #expect(r.copiedSpans.count == 4)
        #expect(r.copiedSpans.map(\.words).reduce(0, +) == words(source).count)
        for span in r.copiedSpans {
            #expect(utf8Slice(r.text, span.outputOffset, span.length) == utf8Slice(source, span.sourceOffset, span.length))
        }
        // Between consecutive pieces, a filler passage as long as the piece that follows it.
        let gaps = r.copiedSpans.dropFirst().map(\.words).reduce(0, +)
        #expect(words(r.text).count == words(source).count + gaps)
    }

    @Test func casingKeepsLettersModuloCase() throws {
        for style in CasingStyle.allCases {
            let out = try run(.casing(style)).text
            #expect(out.lowercased() == source.lowercased(), "\(style)")
            #expect(out != source)
        }
        #expect(try run(.casing(.upper)).text == source.uppercased())
        #expect(try run(.casing(.title)).text.hasPrefix("The Lighthouse Keeper Counted"))
    }

    @Test func homoglyphsChangeBytesButNotLetters() throws {
        for f in [0.1, 0.3, 1.0] {
            let out = try run(.homoglyphs(fraction: f)).text
            #expect(out != source)
            #expect(out.count == source.count)
            #expect(Homoglyphs.toLatin(out) == source)
            let eligible = source.filter { Homoglyphs.substitutes[$0] != nil }.count
            let swapped = zip(out, source).filter { $0 != $1 }.count
            #expect(swapped == Int((f * Double(eligible)).rounded()))
        }
        // The table maps Latin letters to non-ASCII look-alikes, one to one.
        #expect(Homoglyphs.substitutes.values.allSatisfy { !$0.isASCII })
        #expect(Set(Homoglyphs.substitutes.values).count == Homoglyphs.substitutes.count)
    }

    @Test func zeroWidthIsInvisibleToWordCountsAndRemovable() throws {
        let out = try run(.zeroWidth(fraction: 0.5)).text
        let zw = Set(zeroWidthCharacters.flatMap(\.unicodeScalars))
        let inserted = out.unicodeScalars.filter { zw.contains($0) }.count
        #expect(inserted == Int((0.5 * Double(words(source).count)).rounded()))
        #expect(words(out).count == words(source).count)
        var stripped = String.UnicodeScalarView()
        stripped.append(contentsOf: out.unicodeScalars.filter { !zw.contains($0) })
        #expect(String(stripped) == source)
    }

    @Test func punctuationEditsLeaveLettersAlone() throws {
        let out = try run(.punctuation(fraction: 0.5)).text
        #expect(out != source)
        #expect(out.filter(\.isLetter) == source.filter(\.isLetter))
    }

    @Test func paraphraseRewordsASentenceAlignedPassageBetweenFiller() throws {
        let t = TextTransform.paraphrase(words: 120, strength: 0.6)
        #expect(t.name == "paraphrase-120-60")
        let r = try run(t, seed: 4)
        #expect(r.copiedSpans.isEmpty)
        let parts = r.text.components(separatedBy: "\n\n")
        #expect(parts.count >= 3)
        let fillerWords = Set(words(filler))
        #expect(words(parts[0]).allSatisfy(fillerWords.contains) && words(parts.last ?? "").allSatisfy(fillerWords.contains))
        let passage = parts.dropFirst().dropLast().joined(separator: "\n\n")
        #expect(!source.contains(passage))
        let n = words(passage).count
        #expect(n >= 90 && n <= 150)
        // At strength 0 the passage is copied as it is: it starts where a sentence does.
        for seed in UInt64(1)...6 {
            let plain = try run(.paraphrase(words: 40, strength: 0), seed: seed).text.components(separatedBy: "\n\n")
            let copied = plain.dropFirst().dropLast().joined(separator: "\n\n")
            #expect(source.contains(copied) && words(copied).count == 40)
            #expect(SampleText.sentences.contains { copied.hasPrefix(words($0).prefix(3).joined(separator: " ")) })
        }
        #expect(throws: TransformError.self) { try run(.paraphrase(words: 100, strength: 1.5)) }
        #expect(throws: TransformError.self) { try run(.paraphrase(words: 0, strength: 0.5)) }
    }

    @Test func deterministicPerSeed() throws {
        for c in TextTransformSuite.standard(seed: 5).cases {
            var a = SeededGenerator(seed: c.seed), b = SeededGenerator(seed: c.seed)
            let ra = try c.transform.apply(source: source, filler: filler, rng: &a)
            let rb = try c.transform.apply(source: source, filler: filler, rng: &b)
            #expect(Array(ra.text.utf8) == Array(rb.text.utf8), "\(c.name)")
            #expect(ra.copiedSpans == rb.copiedSpans)
            #expect(ra.text != source, "\(c.name) changed nothing")
        }
        var x = SeededGenerator(seed: 1), y = SeededGenerator(seed: 2)
        let t = TextTransform.substitute(fraction: 0.3)
        #expect(try t.apply(source: source, filler: filler, rng: &x).text
                != t.apply(source: source, filler: filler, rng: &y).text)
    }

    @Test func suiteNamesAndPipelines() throws {
        let suite = TextTransformSuite.standard(seed: 0)
        let names = suite.cases.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.contains("excerpt-500") && names.contains("substitute-40") && names.contains("homoglyph-30"))
        #expect(suite.cases.filter { $0.kind == "paraphrase" }.map(\.name)
                == ["paraphrase-150-30", "paraphrase-200-60", "paraphrase-300-90"])
        let decoded = try JSONDecoder().decode(TextTransformSuite.self, from: JSONEncoder().encode(suite))
        #expect(decoded == suite)
        #expect(TextTransform.pipeline([.substitute(fraction: 0.1), .excerpt(words: 200)]).name
                == "substitute-10+excerpt-200")
        let single = try run(.pipeline([.excerpt(words: 60)]))
        #expect(single.copiedSpans.count == 1)
        let combo = try run(.pipeline([.excerpt(words: 60), .casing(.upper)]))
        #expect(combo.copiedSpans.isEmpty)
        #expect(throws: TransformError.self) { try run(.substitute(fraction: 1.5)) }
        #expect(throws: TransformError.self) { try run(.excerpt(words: 0)) }
    }
}
