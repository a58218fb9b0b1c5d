import HashmarkFingerprint
import HashmarkIndex
import HashmarkReport

extension Engine {
    func textMatches(_ text: TextContent) -> [VerdictReport.Match] {
        var works: [Int32: (text: String, normalized: NormalizedText)] = [:]
        let found = index.textIndex.match(query: text.normalized, model: model.model.text.alignment) { work in
            guard Int(work) < index.textWorkIDs.count,
                  let loaded = index.workText(index.textWorkIDs[Int(work)]) else { return nil }
            works[work] = loaded
            return loaded.normalized
        }
        return found.compactMap { m -> VerdictReport.Match? in
            guard let source = works[m.work] else { return nil }
            let spans = m.passages.map { p in
                TextEvidence.Span(
                    submitted: .init(offset: p.queryOffset, length: p.queryLength),
                    source: .init(offset: p.workOffset, length: p.workLength),
                    alignedWords: p.alignedWords, matchedWords: p.matchedWords, longestRun: p.longestRun,
                    submittedExcerpt: Excerpt.cut(text.text, offset: p.queryOffset, length: p.queryLength),
                    sourceExcerpt: Excerpt.cut(source.text, offset: p.workOffset, length: p.workLength))
            }
            let s = m.summary
            return match(index.ref(index.textWorkIDs[Int(m.work)]), .text(TextEvidence(
                spans: spans, alignedWords: s.alignedWords, matchedWords: s.matchedWords,
                coverage: min(1, max(0, s.coverage)), longestRun: s.longestRun, workWords: source.normalized.wordCount)))
        }
    }
}

/// Short, valid-UTF-8 excerpts of evidence spans for reports.
enum Excerpt {
    static let maxBytes = 300

    /// The span's bytes, at most `maxBytes` (then "…"), never splitting a character.
    static func cut(_ text: String, offset: Int, length: Int) -> String {
        let utf8 = text.utf8
        guard offset >= 0, length > 0, offset < utf8.count else { return "" }
        var start = utf8.index(utf8.startIndex, offsetBy: offset)
        while start < utf8.endIndex, UTF8.isContinuation(utf8[start]) { start = utf8.index(after: start) }
        let want = min(length, maxBytes)
        var end = utf8.index(start, offsetBy: min(want, utf8.distance(from: start, to: utf8.endIndex)))
        while end < utf8.endIndex, UTF8.isContinuation(utf8[end]) { end = utf8.index(before: end) }
        let piece = String(text[start..<end])
        return length > maxBytes ? piece + "…" : piece
    }
}
