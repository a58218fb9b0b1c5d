/// Letter case styles for the `casing` transform.
public enum CasingStyle: String, Sendable, Hashable, Codable, CaseIterable {
    case upper, lower, title
    /// Each letter's case flipped with probability ½ (seeded).
    case random
}

/// A passage of the source copied verbatim into the output. Offsets and lengths are in UTF-8
/// bytes; the bytes at `outputOffset` in the output equal those at `sourceOffset` in the source.
public struct CopiedSpan: Sendable, Hashable, Codable {
    public let outputOffset: Int
    public let sourceOffset: Int
    public let length: Int
    public let words: Int
}

/// A transformed text and, when well defined, where the copied source passages landed.
public struct TextTransformResult: Sendable, Hashable {
    public let text: String
    /// Non-empty only for `excerpt` and `interleave` applied on their own (a later step would
    /// edit the copied bytes, so a pipeline reports spans only when it has a single step).
    public let copiedSpans: [CopiedSpan]
}

/// One text edit with its parameters. Fractions are in 0…1.
public indirect enum TextTransform: Sendable, Hashable, Codable {
    /// `words` consecutive words of the source (seeded start; the whole source if shorter),
    /// copied byte for byte between 20–60 words of filler before and after.
    case excerpt(words: Int)
    /// That fraction of the words get their letters replaced by a word drawn from the filler's
    /// vocabulary (leading/trailing punctuation and initial capital kept).
    case substitute(fraction: Double)
    /// Sentences (ending in . ! ?) in a seeded random order, joined by single spaces.
    case shuffleSentences
    /// The source cut into `pieces` consecutive verbatim parts, with filler passages of the
    /// same length between them.
    case interleave(pieces: Int)
    case casing(CasingStyle)
    /// That fraction of the letters that have a look-alike (see `Homoglyphs`) replaced by it.
    case homoglyphs(fraction: Double)
    /// Zero-width characters inside words: `fraction` × word count insertions between letters.
    case zeroWidth(fraction: Double)
    /// That fraction of punctuation marks deleted or swapped for a neighbour (. ↔ !, , ↔ ;,
    /// straight → curly quotes, - → —).
    case punctuation(fraction: Double)
    /// `words` consecutive words from a seeded sentence start, reworded by `RuleParaphraser`
    /// at `strength` (0…1), between 20–60 words of filler before and after. Needs WordNet.
    case paraphrase(words: Int, strength: Double)
    case pipeline([TextTransform])

    /// Stable name, e.g. `excerpt-200`, `substitute-20`, `homoglyph-30`, `case-upper`.
    public var name: String {
        switch self {
        case .excerpt(let n): return "excerpt-\(n)"
        case .substitute(let f): return "substitute-\(num(f * 100))"
        case .shuffleSentences: return "shuffle-sentences"
        case .interleave(let k): return "interleave-\(k)"
        case .casing(let s): return "case-\(s.rawValue)"
        case .homoglyphs(let f): return "homoglyph-\(num(f * 100))"
        case .zeroWidth(let f): return "zerowidth-\(num(f * 100))"
        case .punctuation(let f): return "punctuation-\(num(f * 100))"
        case .paraphrase(let n, let s): return "paraphrase-\(n)-\(num(s * 100))"
        case .pipeline(let steps): return steps.map(\.name).joined(separator: "+")
        }
    }

    /// Applies the edit to `source`; `filler` is unrelated text supplying new words.
    public func apply(source: String, filler: String,
                      rng: inout SeededGenerator) throws(TransformError) -> TextTransformResult {
        func plain(_ s: String) -> TextTransformResult { TextTransformResult(text: s, copiedSpans: []) }
        switch self {
        case .excerpt(let n):
            guard n >= 1 else { throw .invalid("excerpt of \(n) words") }
            return TextOps.excerpt(source, words: n, filler: filler, rng: &rng)
        case .substitute(let f):
            try checkFraction(f)
            return plain(TextOps.substitute(source, fraction: f, filler: filler, rng: &rng))
        case .shuffleSentences:
            return plain(TextOps.shuffleSentences(source, rng: &rng))
        case .interleave(let k):
            guard k >= 1, k <= 10_000 else { throw .invalid("interleave pieces \(k) not in 1…10000") }
            return TextOps.interleave(source, pieces: k, filler: filler, rng: &rng)
        case .casing(let style):
            return plain(TextOps.casing(source, style, rng: &rng))
        case .homoglyphs(let f):
            try checkFraction(f)
            return plain(TextOps.homoglyphs(source, fraction: f, rng: &rng))
        case .zeroWidth(let f):
            guard f >= 0, f <= 10 else { throw .invalid("zero-width fraction \(f) not in 0…10") }
            return plain(TextOps.zeroWidth(source, fraction: f, rng: &rng))
        case .punctuation(let f):
            try checkFraction(f)
            return plain(TextOps.punctuation(source, fraction: f, rng: &rng))
        case .paraphrase(let n, let s):
            guard n >= 1 else { throw .invalid("paraphrase of \(n) words") }
            try checkFraction(s)
            let paraphraser = RuleParaphraser(lexicon: try WordNetLexicon.shared(), strength: s)
            return plain(TextOps.paraphrase(source, words: n, paraphraser: paraphraser, filler: filler, rng: &rng))
        case .pipeline(let steps):
            var text = source
            var spans: [CopiedSpan] = []
            for step in steps {
                let r = try step.apply(source: text, filler: filler, rng: &rng)
                text = r.text
                spans = steps.count == 1 ? r.copiedSpans : []
            }
            return TextTransformResult(text: text, copiedSpans: spans)
        }
    }

    private func checkFraction(_ f: Double) throws(TransformError) {
        guard f >= 0, f <= 1 else { throw .invalid("fraction \(f) not in 0…1") }
    }
}

/// One entry of the text suite (see `TransformCase` for the meaning of the fields).
public struct TextTransformCase: Sendable, Hashable, Codable {
    public let transform: TextTransform
    public let kind: String
    public let strength: Double
    public let seed: UInt64
    public var name: String { transform.name }
}

/// The list of text edits the evaluator runs every text work through.
public struct TextTransformSuite: Sendable, Hashable, Codable {
    public let cases: [TextTransformCase]

    public init(cases: [TextTransformCase]) {
        self.cases = cases
    }

    /// Spans issue 7's ranges: excerpts 50–500 words, substitution 10–40 %, shuffle,
    /// interleaving, casing/homoglyph/zero-width/punctuation edits and combinations; and issue
    /// 17's rule-based paraphrases (150/200/300 words at strength 0.3/0.6/0.9).
    public static func standard(seed: UInt64) -> TextTransformSuite {
        var list: [(TextTransform, String, Double)] = []
        for n in [50, 100, 200, 500] { list.append((.excerpt(words: n), "excerpt", Double(n))) }
        for f in [0.1, 0.2, 0.3, 0.4] { list.append((.substitute(fraction: f), "substitute", f * 100)) }
        list.append((.shuffleSentences, "shuffle", 1))
        for k in [2, 4, 8] { list.append((.interleave(pieces: k), "interleave", Double(k))) }
        for s in CasingStyle.allCases { list.append((.casing(s), "case", 1)) }
        for f in [0.1, 0.3, 1.0] { list.append((.homoglyphs(fraction: f), "homoglyph", f * 100)) }
        for f in [0.1, 0.5] { list.append((.zeroWidth(fraction: f), "zerowidth", f * 100)) }
        list.append((.punctuation(fraction: 0.5), "punctuation", 50))
        list.append((.pipeline([.substitute(fraction: 0.1), .excerpt(words: 200), .homoglyphs(fraction: 0.1)]),
                     "combo", 1))
        list.append((.pipeline([.shuffleSentences, .casing(.lower), .zeroWidth(fraction: 0.2)]), "combo", 2))
        list.append((.pipeline([.substitute(fraction: 0.2), .punctuation(fraction: 0.5), .excerpt(words: 100)]),
                     "combo", 2))
        list.append((.pipeline([.interleave(pieces: 4), .homoglyphs(fraction: 0.2), .casing(.title)]), "combo", 3))
        // Last, so the cases above keep their seeds.
        for (n, s) in [(150, 0.3), (200, 0.6), (300, 0.9)] {
            list.append((.paraphrase(words: n, strength: s), "paraphrase", s * 100))
        }
        let cases = list.enumerated().map { index, entry in
            TextTransformCase(transform: entry.0, kind: entry.1, strength: entry.2,
                              seed: SeededGenerator.derive(seed, UInt64(index)))
        }
        return TextTransformSuite(cases: cases)
    }
}
