import HashmarkFingerprint
import HashmarkReport

/// Escaping and passage highlighting for the HTML evidence view. Report content is untrusted:
/// every string that reaches the page goes through `HTMLText.escape`.
public enum HTMLText {
    /// Escapes text for element content and quoted attribute values. C0 control characters other
    /// than tab and newlines become U+FFFD so a hostile report cannot smuggle odd bytes in; C1
    /// controls and bidirectional overrides, embeddings and isolates become visible `\u{…}`, so
    /// they cannot reorder what the reader sees.
    public static func escape(_ s: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    out += "\u{FFFD}"
                } else if (0x80...0x9F).contains(u.value) || DisplayText.isBidiControl(u) {
                    out += "\\u{\(String(u.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }

    /// The bytes of `range` as text, the range clamped to the buffer and moved inward to
    /// character boundaries (offsets come from an untrusted report).
    static func slice(_ utf8: [UInt8], _ range: Range<Int>) -> String {
        var lo = min(max(0, range.lowerBound), utf8.count)
        var hi = min(max(lo, range.upperBound), utf8.count)
        while lo < hi, UTF8.isContinuation(utf8[lo]) { lo += 1 }
        while hi > lo, hi < utf8.count, UTF8.isContinuation(utf8[hi]) { hi -= 1 }
        return String(decoding: utf8[lo..<hi], as: UTF8.self)
    }

    /// Folded-word hashes of a passage (the matcher's own normalisation, so homoglyphs and
    /// case changes still count as the same word).
    static func wordSet(_ text: String) -> Set<UInt64> {
        Set(TextNormalizer.normalize(text).wordHashes)
    }

    /// Escaped `text` with each word whose folded form is in `common` wrapped in `<mark>`.
    static func highlighted(_ text: String, common: Set<UInt64>) -> String {
        let norm = TextNormalizer.normalize(text)
        let utf8 = Array(text.utf8)
        var out = "", cursor = 0
        for i in 0..<norm.wordCount {
            let start = Int(norm.wordStarts[i]), end = Int(norm.wordEnds[i])
            guard start >= cursor, end <= utf8.count, start < end else { continue }
            out += escape(slice(utf8, cursor..<start))
            let word = escape(slice(utf8, start..<end))
            out += common.contains(norm.wordHashes[i]) ? "<mark>\(word)</mark>" : word
            cursor = end
        }
        out += escape(slice(utf8, cursor..<utf8.count))
        return out
    }

    /// One side of an aligned passage: the span (with words common to both sides marked) and,
    /// when the whole text is known, a little context before and after it.
    struct Passage {
        var before: String
        var span: String
        var after: String
        /// Bytes of the span left out of the page (very long spans are cut).
        var omittedBytes: Int
    }

    static let contextBytes = 240
    static let maxSpanBytes = 6000

    /// Cuts `range` out of `fullText` with context. `nil` when the range lies outside the text.
    static func passage(in fullText: String, range: Range<Int>) -> Passage? {
        let utf8 = Array(fullText.utf8)
        guard range.lowerBound >= 0, range.lowerBound < range.upperBound, range.upperBound <= utf8.count else { return nil }
        let shown = range.lowerBound..<min(range.upperBound, range.lowerBound + maxSpanBytes)
        let beforeStart = max(0, range.lowerBound - contextBytes)
        let afterEnd = min(utf8.count, shown.upperBound + contextBytes)
        let before = (beforeStart > 0 ? "…" : "") + slice(utf8, beforeStart..<range.lowerBound)
        let after = range.upperBound > shown.upperBound ? "" :
            slice(utf8, range.upperBound..<afterEnd) + (afterEnd < utf8.count ? "…" : "")
        return Passage(before: before, span: slice(utf8, shown), after: after,
                       omittedBytes: range.upperBound - shown.upperBound)
    }
}
