/// Trims a sentence's scalar range and cuts it into spans of at most `maxWords` words.
struct LongSentenceCutter {
    let scalars: [Unicode.Scalar]
    let offsets: [Int]
    let maxWords: Int
    private(set) var spans: [SentenceSpan] = []
    private var words: [(start: Int, end: Int)] = []

    init(scalars: [Unicode.Scalar], offsets: [Int], maxWords: Int) {
        self.scalars = scalars
        self.offsets = offsets
        self.maxWords = maxWords
    }

    /// Adds scalars `a..<b` (untrimmed) as one or more spans.
    mutating func emit(_ a: Int, _ b: Int) {
        words.removeAll(keepingCapacity: true)
        var i = a
        while i < b {
            if scalars[i].isWhiteSpace { i += 1; continue }
            if Self.isIdeographic(scalars[i]) { words.append((i, i + 1)); i += 1; continue }
            let s = i
            while i < b, !scalars[i].isWhiteSpace, !Self.isIdeographic(scalars[i]) { i += 1 }
            words.append((s, i))
        }
        guard let last = words.last else { return }
        var w0 = 0
        while words.count - w0 > maxWords {
            let limit = w0 + maxWords - 1, low = w0 + max(1, maxWords / 2) - 1
            let cut = lastClauseEnd(in: low...limit, strong: true)
                ?? lastClauseEnd(in: low...limit, strong: false) ?? limit
            append(words[w0].start, words[cut].end)
            w0 = cut + 1
        }
        append(words[w0].start, last.end)
    }

    private mutating func append(_ a: Int, _ b: Int) {
        spans.append(SentenceSpan(offset: offsets[a], length: offsets[b] - offsets[a]))
    }

    /// The last word in `range` ending in clause punctuation (`;` `:` when `strong`, else `,`).
    private func lastClauseEnd(in range: ClosedRange<Int>, strong: Bool) -> Int? {
        for w in range.reversed() {
            switch scalars[words[w].end - 1] {
            case ";", ":", "\u{FF1B}", "\u{FF1A}": if strong { return w }
            case ",", "\u{FF0C}", "\u{3001}": if !strong { return w }
            default: break
            }
        }
        return nil
    }

    /// Han ideographs and kana: one WordPiece token each, so one "word" each.
    static func isIdeographic(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FFFF: return true
        default: return false
        }
    }
}
