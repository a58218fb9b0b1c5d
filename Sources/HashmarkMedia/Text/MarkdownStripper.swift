/// Markdown to plain text, reasonably: heading, quote and list markers, code fences, emphasis
/// and strike-through markers, inline-code backticks and link/image syntax are removed (link
/// and image text kept, URLs and reference labels dropped); inline HTML goes through
/// `HTMLStripper`. Underscores inside words (`snake_case`) are kept.
///
/// Linear time: lines are read one after another, each once, and a link's closing `]` or `)` is
/// the first one after its opening *on the same line*, found by a cursor per bracket kind that
/// only moves forward. So `[[[[…`, `![![…` or `x [a](` repeated cost one pass over the line, not
/// one pass per bracket, and link text and URLs never span lines. A `[` without a later `]` on its
/// line is text. Lines end at the Character "\n"; a CRLF pair is one Character and does not.
@_spi(Testing) public enum MarkdownStripper {
    @_spi(Testing) public static func plainText(_ markdown: String) -> String {
        var steps = 0
        return plainText(markdown, steps: &steps)
    }

    /// `steps` grows by one per Character visited or byte copied (each O(1) work), the
    /// `HTMLStripper` pass included; the linearity tests bound it by a constant times the length.
    @_spi(Testing) public static func plainText(_ markdown: String, steps: inout Int) -> String {
        var out = ""
        var start = markdown.startIndex
        while true {
            var end = start
            while end < markdown.endIndex, markdown[end] != "\n" {
                steps += 1
                end = markdown.index(after: end)
            }
            strip(line: markdown[start..<end], into: &out, steps: &steps)
            guard end < markdown.endIndex else { break }
            out.append("\n")
            start = markdown.index(after: end)
        }
        return HTMLStripper.plainText(out, steps: &steps)
    }

    /// Appends the prose of one line (nothing for fences, rules and reference definitions).
    private static func strip(line rawLine: Substring, into out: inout String, steps: inout Int) {
        let trimmed = dropping(rawLine, steps: &steps) { $0 == " " || $0 == "\t" }
        if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { return }
        var ruleCharacters = 0, isRule = true
        for ch in trimmed {
            steps += 1
            guard "-=*_ ".contains(ch) else { isRule = false; break }
            ruleCharacters += 1
        }
        if isRule, ruleCharacters >= 3 { return }
        var line = trimmed
        while let f = line.first, f == ">" {
            steps += 1
            line = dropping(line.dropFirst(), steps: &steps) { $0 == " " }
        }
        if line.hasPrefix("#") {
            line = dropping(dropping(line, steps: &steps) { $0 == "#" }, steps: &steps) { $0 == " " }
        }
        if let f = line.first, "-*+".contains(f), line.dropFirst().first == " " { line = line.dropFirst(2) }
        let afterDigits = dropping(line, steps: &steps) { $0.isNumber }
        if afterDigits.startIndex > line.startIndex, afterDigits.hasPrefix(". ") { line = afterDigits.dropFirst(2) }
        // Reference definitions ("[label]: url") carry no prose.
        if line.hasPrefix("[") {
            var definition = false, link = false, previous: Character = " "
            for ch in line {
                steps += 1
                if previous == "]" {
                    if ch == ":" { definition = true }
                    if ch == "(" { link = true }
                }
                previous = ch
            }
            if definition, !link { return }
        }
        inline(line, into: &out, steps: &steps)
    }

    /// Emphasis, code and strike-through markers dropped; links and images replaced by their text.
    private static func inline(_ s: Substring, into out: inout String, steps: inout Int) {
        var closeBracket = ForwardFinder(target: "]", in: s), closeParen = ForwardFinder(target: ")", in: s)
        var i = s.startIndex
        var before: Character = " "  // the Character before `i` in the line
        while i < s.endIndex {
            steps += 1
            let ch = s[i], next = s.index(after: i)
            if ch == "!", next < s.endIndex, s[next] == "[" { before = ch; i = next; continue } // image: keep alt text
            if ch == "[", let close = closeBracket.first(from: next, steps: &steps) {
                out += s[next..<close]
                steps += s.utf8.distance(from: next, to: close)
                var j = s.index(after: close)
                before = s[close]
                if j < s.endIndex, s[j] == "(", let end = closeParen.first(from: j, steps: &steps) {
                    before = s[end]; j = s.index(after: end)
                } else if j < s.endIndex, s[j] == "[", let end = closeBracket.first(from: j, steps: &steps) {
                    before = s[end]; j = s.index(after: end)
                }
                i = j
                continue
            }
            if ch == "*" || ch == "`" {
                before = ch; i = next
                continue
            }
            if ch == "~", next < s.endIndex, s[next] == "~" {
                before = s[next]; i = s.index(after: next)
                continue
            }
            if ch == "_" {
                let after: Character = next < s.endIndex ? s[next] : " "
                if !(before.isLetter || before.isNumber) || !(after.isLetter || after.isNumber) {
                    before = ch; i = next
                    continue
                }
            }
            out.append(ch)
            before = ch
            i = next
        }
    }

    private static func dropping(_ s: Substring, steps: inout Int, while predicate: (Character) -> Bool) -> Substring {
        var i = s.startIndex
        while i < s.endIndex, predicate(s[i]) {
            steps += 1
            i = s.index(after: i)
        }
        return s[i...]
    }
}

/// The first `target` at or after a position, for positions that never decrease: the cursor
/// only moves forward, so all the queries on one line together look at each Character once.
private struct ForwardFinder {
    let target: Character
    let s: Substring
    /// Where the last scan stopped: at a `target`, or at the end. No `target` lies between the
    /// start of that scan and here.
    private var cursor: String.Index?

    init(target: Character, in s: Substring) {
        self.target = target
        self.s = s
    }

    mutating func first(from start: String.Index, steps: inout Int) -> String.Index? {
        if let cursor, start <= cursor { return cursor < s.endIndex ? cursor : nil }
        var k = start
        while k < s.endIndex, s[k] != target {
            steps += 1
            k = s.index(after: k)
        }
        cursor = k
        return k < s.endIndex ? k : nil
    }
}
