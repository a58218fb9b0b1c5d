/// One sentence of a text: a span of UTF-8 bytes of the input, trimmed of surrounding whitespace.
public struct SentenceSpan: Sendable, Hashable, Codable {
    /// First byte of the sentence in the input's UTF-8.
    public var offset: Int
    /// Length in UTF-8 bytes.
    public var length: Int

    public init(offset: Int, length: Int) {
        self.offset = offset
        self.length = length
    }

    public var end: Int { offset + length }
    public var range: Range<Int> { offset..<end }
}

/// Splits text into sentences for sentence embeddings, in one linear pass over its scalars.
///
/// A sentence ends after a run of `. ! ? …` (and closing quotes or brackets) followed by
/// whitespace or the end, after CJK `。！？` whatever follows, and at a blank line. A period does
/// not end a sentence after a known abbreviation ("Mr.", "e.g."), a dotted token ("U.S."), a
/// single capital initial ("J. Smith"), or when the next word starts in lower case; "3.14" never
/// splits since no whitespace follows the period. A sentence of more than `maxWords` words (each
/// CJK ideograph or kana counts as a word, as the WordPiece tokenizer splits them one by one) is
/// cut after the last `; : ,` in the second half of each `maxWords` window, else at a word
/// boundary, so no span exceeds the model's token budget.
public enum SentenceSplitter {
    /// Words per span before a long sentence is cut: about 60 words stays well inside
    /// MiniLM's 128-token window even with several WordPieces a word.
    public static let defaultMaxWords = 60

    public static func split(_ text: String, maxWords: Int = defaultMaxWords) -> [SentenceSpan] {
        var scalars = [Unicode.Scalar](), offsets = [Int]()
        scalars.reserveCapacity(text.utf8.count)
        offsets.reserveCapacity(text.utf8.count + 1)
        var byte = 0
        for s in text.unicodeScalars {
            scalars.append(s)
            offsets.append(byte)
            byte += UTF8.width(s)
        }
        offsets.append(byte)
        var cutter = LongSentenceCutter(scalars: scalars, offsets: offsets, maxWords: max(1, maxWords))
        let n = scalars.count
        var start = 0, i = 0
        while i < n {
            let c = scalars[i]
            if c == "\n" {
                var k = i + 1
                while k < n, scalars[k] != "\n", scalars[k].isWhiteSpace { k += 1 }
                if k < n, scalars[k] == "\n" {
                    cutter.emit(start, i)
                    start = k + 1
                    i = k + 1
                    continue
                }
            }
            guard Self.isTerminator(c) else { i += 1; continue }
            var k = i + 1, cjk = Self.isCJKTerminator(c)
            while k < n, Self.isTerminator(scalars[k]) { cjk = cjk || Self.isCJKTerminator(scalars[k]); k += 1 }
            while k < n, Self.isCloser(scalars[k]) { k += 1 }
            let atBoundary = k == n || scalars[k].isWhiteSpace
            if cjk || (atBoundary && !(c == "." && k == i + 1 && Self.periodContinues(scalars, at: i))) {
                cutter.emit(start, k)
                start = k
            }
            i = k
        }
        cutter.emit(start, n)
        return cutter.spans
    }

    static func isTerminator(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case ".", "!", "?", "\u{2026}", "\u{203C}", "\u{2047}", "\u{2048}", "\u{2049}", "\u{0964}", "\u{061F}":
            return true
        default: return isCJKTerminator(c)
        }
    }

    static func isCJKTerminator(_ c: Unicode.Scalar) -> Bool {
        c == "\u{3002}" || c == "\u{FF01}" || c == "\u{FF1F}" || c == "\u{FF61}"
    }

    static func isCloser(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "\"", "'", ")", "]", "}", "\u{2019}", "\u{201D}", "\u{00BB}", "\u{300D}", "\u{300F}",
             "\u{300B}", "\u{FF09}":
            return true
        default: return false
        }
    }

    static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "cf", "viz", "fig", "no", "vol", "pp",
        "ch", "approx", "dept", "inc", "ltd", "co", "gen", "col", "capt", "lt", "sgt", "rev", "hon",
        "gov", "mt", "ft", "jan", "feb", "mar", "apr", "aug", "sept", "oct", "nov", "dec",
    ]

    /// Whether the single period at `i`, followed by whitespace, does not end the sentence.
    /// Looks back at most 12 scalars and forward over whitespace only, so the pass stays linear.
    static func periodContinues(_ s: [Unicode.Scalar], at i: Int) -> Bool {
        var a = i
        while a > 0, i - a < 12, s[a - 1].properties.isAlphabetic || s[a - 1] == "." { a -= 1 }
        let token = String(String.UnicodeScalarView(s[a..<i]))
        if token.contains(".") || abbreviations.contains(token.lowercased()) { return true }
        if token.unicodeScalars.count == 1, let f = token.unicodeScalars.first,
           f.properties.isUppercase, f != "I" { return true }
        var k = i + 1
        while k < s.count, s[k].isWhiteSpace, s[k] != "\n" { k += 1 }
        return k < s.count && s[k].properties.isLowercase
    }
}
