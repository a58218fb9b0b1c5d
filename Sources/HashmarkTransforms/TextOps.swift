/// The text edits behind `TextTransform` (see the enum for what each one does).
enum TextOps {
    /// `count` consecutive filler words from a seeded start (wrapping around), single-spaced.
    static func fillerRun(_ fillerWords: [String], count: Int, cursor: inout Int) -> String {
        guard !fillerWords.isEmpty, count > 0 else { return "" }
        var out: [String] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            out.append(fillerWords[cursor % fillerWords.count])
            cursor += 1
        }
        return out.joined(separator: " ")
    }

    static func excerpt(_ source: String, words n: Int, filler: String,
                        rng: inout SeededGenerator) -> TextTransformResult {
        let tokens = TextTokenizer.tokenize(source)
        let wordIdx = tokens.indices.filter { tokens[$0].isWord }
        let fillerWords = TextTokenizer.words(filler)
        var cursor = rng.nextInt(below: max(1, fillerWords.count))
        let before = fillerRun(fillerWords, count: rng.nextInt(in: 20...60), cursor: &cursor)
        let after = fillerRun(fillerWords, count: rng.nextInt(in: 20...60), cursor: &cursor)
        let count = min(n, wordIdx.count)
        guard count > 0 else { return TextTransformResult(text: before + " " + after, copiedSpans: []) }
        let start = rng.nextInt(in: 0...(wordIdx.count - count))
        let first = wordIdx[start], last = wordIdx[start + count - 1]
        let copied = tokens[first...last].map(\.text).joined()
        var out = before.isEmpty ? "" : before + "\n\n"
        let offset = out.utf8.count
        out += copied
        if !after.isEmpty { out += "\n\n" + after }
        let span = CopiedSpan(outputOffset: offset, sourceOffset: tokens[first].utf8Offset,
                              length: copied.utf8.count, words: count)
        return TextTransformResult(text: out, copiedSpans: [span])
    }

    /// `n` consecutive words from a seeded sentence start, reworded by `paraphraser`, between
    /// 20–60 filler words before and after.
    static func paraphrase(_ source: String, words n: Int, paraphraser: RuleParaphraser, filler: String,
                           rng: inout SeededGenerator) -> String {
        let tokens = TextTokenizer.tokenize(source)
        let wordIdx = tokens.indices.filter { tokens[$0].isWord }
        let fillerWords = TextTokenizer.words(filler)
        var cursor = rng.nextInt(below: max(1, fillerWords.count))
        let before = fillerRun(fillerWords, count: rng.nextInt(in: 20...60), cursor: &cursor)
        let after = fillerRun(fillerWords, count: rng.nextInt(in: 20...60), cursor: &cursor)
        let count = min(n, wordIdx.count)
        var passage = ""
        if count > 0 {
            let starts = wordIdx.indices.filter {
                $0 + count <= wordIdx.count && ($0 == 0 || ParaphraseText.endsSentence(tokens[wordIdx[$0 - 1]].text))
            }
            let start = starts.isEmpty ? 0 : starts[rng.nextInt(below: starts.count)]
            let copied = tokens[wordIdx[start]...wordIdx[start + count - 1]].map(\.text).joined()
            passage = paraphraser.paraphrase(copied, rng: &rng)
        }
        return [before, passage, after].filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    static func substitute(_ source: String, fraction: Double, filler: String,
                           rng: inout SeededGenerator) -> String {
        var tokens = TextTokenizer.tokenize(source)
        let vocab = TextTokenizer.vocabulary(filler)
        let eligible = tokens.indices.filter { tokens[$0].isWord && !TextTokenizer.splitCore(tokens[$0].text).1.isEmpty }
        guard !vocab.isEmpty else { return source }
        let k = Int((fraction * Double(eligible.count)).rounded())
        for pick in rng.sample(k, from: eligible.count) {
            let t = eligible[pick]
            let (pre, core, post) = TextTokenizer.splitCore(tokens[t].text)
            var replacement = vocab[rng.nextInt(below: vocab.count)]
            var tries = 0
            while replacement == core.lowercased(), vocab.count > 1, tries < 8 {
                replacement = vocab[rng.nextInt(below: vocab.count)]
                tries += 1
            }
            if core.first?.isUppercase == true, let head = replacement.first {
                replacement = head.uppercased() + replacement.dropFirst()
            }
            tokens[t].text = pre + replacement + post
        }
        return tokens.map(\.text).joined()
    }

    static func shuffleSentences(_ source: String, rng: inout SeededGenerator) -> String {
        var sentences: [[String]] = []
        var current: [String] = []
        for word in TextTokenizer.words(source) {
            current.append(word)
            let trimmed = word.reversed().drop { ")]}\"'\u{2019}\u{201D}".contains($0) }
            if let end = trimmed.first, ".!?".contains(end) {
                sentences.append(current)
                current = []
            }
        }
        if !current.isEmpty { sentences.append(current) }
        rng.shuffle(&sentences)
        return sentences.map { $0.joined(separator: " ") }.joined(separator: " ")
    }

    static func interleave(_ source: String, pieces: Int, filler: String,
                           rng: inout SeededGenerator) -> TextTransformResult {
        let tokens = TextTokenizer.tokenize(source)
        let wordIdx = tokens.indices.filter { tokens[$0].isWord }
        let fillerWords = TextTokenizer.words(filler)
        var cursor = rng.nextInt(below: max(1, fillerWords.count))
        let total = wordIdx.count
        let k = max(1, min(pieces, total))
        var out = ""
        var spans: [CopiedSpan] = []
        for p in 0..<k where total > 0 {
            let a = p * total / k, b = (p + 1) * total / k
            guard b > a else { continue }
            if p > 0 {
                let gap = fillerRun(fillerWords, count: b - a, cursor: &cursor)
                out += gap.isEmpty ? "\n\n" : "\n\n" + gap + "\n\n"
            }
            let piece = tokens[wordIdx[a]...wordIdx[b - 1]].map(\.text).joined()
            spans.append(CopiedSpan(outputOffset: out.utf8.count, sourceOffset: tokens[wordIdx[a]].utf8Offset,
                                    length: piece.utf8.count, words: b - a))
            out += piece
        }
        return TextTransformResult(text: out, copiedSpans: spans)
    }

    static func casing(_ source: String, _ style: CasingStyle, rng: inout SeededGenerator) -> String {
        switch style {
        case .upper: return source.uppercased()
        case .lower: return source.lowercased()
        case .title:
            return TextTokenizer.tokenize(source).map { token -> String in
                guard token.isWord else { return token.text }
                let lower = token.text.lowercased()
                guard let i = lower.firstIndex(where: \.isLetter) else { return lower }
                return String(lower[..<i]) + lower[i].uppercased() + lower[lower.index(after: i)...]
            }.joined()
        case .random:
            var out = ""
            for ch in source {
                if ch.isLetter, rng.nextBool(probability: 0.5) {
                    out += ch.isUppercase ? ch.lowercased() : ch.uppercased()
                } else {
                    out.append(ch)
                }
            }
            return out
        }
    }

    static func homoglyphs(_ source: String, fraction: Double, rng: inout SeededGenerator) -> String {
        var chars = Array(source)
        let eligible = chars.indices.filter { Homoglyphs.substitutes[chars[$0]] != nil }
        let k = Int((fraction * Double(eligible.count)).rounded())
        for pick in rng.sample(k, from: eligible.count) {
            let i = eligible[pick]
            if let look = Homoglyphs.substitutes[chars[i]] { chars[i] = look }
        }
        return String(chars)
    }

    static func zeroWidth(_ source: String, fraction: Double, rng: inout SeededGenerator) -> String {
        let scalars = Array(source.unicodeScalars)
        let positions = scalars.indices.dropLast().filter {
            scalars[$0].properties.isAlphabetic && scalars[$0 + 1].properties.isAlphabetic
        }
        let words = TextTokenizer.words(source).count
        let k = min(positions.count, Int((fraction * Double(words)).rounded()))
        let chosen = Set(rng.sample(k, from: positions.count).map { positions[$0] })
        var out = String.UnicodeScalarView()
        for (i, s) in scalars.enumerated() {
            out.append(s)
            if chosen.contains(i), let zw = zeroWidthCharacters[rng.nextInt(below: zeroWidthCharacters.count)]
                .unicodeScalars.first {
                out.append(zw)
            }
        }
        return String(out)
    }

    static let punctuationSwaps: [Character: Character] = [
        ".": "!", "!": ".", "?": ".", ",": ";", ";": ",", ":": ";",
        "\"": "\u{201C}", "'": "\u{2019}", "-": "\u{2014}",
    ]

    static func punctuation(_ source: String, fraction: Double, rng: inout SeededGenerator) -> String {
        let chars = Array(source)
        let eligible = chars.indices.filter { punctuationSwaps[chars[$0]] != nil }
        let k = Int((fraction * Double(eligible.count)).rounded())
        var edits: [Int: Character?] = [:]
        for pick in rng.sample(k, from: eligible.count) {
            let i = eligible[pick]
            edits[i] = rng.nextBool(probability: 0.5) ? .some(nil) : .some(punctuationSwaps[chars[i]] ?? chars[i])
        }
        var out = ""
        for (i, ch) in chars.enumerated() {
            if let edit = edits[i] {
                if let replacement = edit { out.append(replacement) }
            } else {
                out.append(ch)
            }
        }
        return out
    }
}
