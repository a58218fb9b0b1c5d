/// Markdown to plain text, reasonably: heading, quote and list markers, code fences, emphasis
/// and strike-through markers, inline-code backticks and link/image syntax are removed (link
/// and image text kept, URLs and reference labels dropped); inline HTML goes through
/// `HTMLStripper`. Underscores inside words (`snake_case`) are kept.
enum MarkdownStripper {
    static func plainText(_ markdown: String) -> String {
        var lines = [String]()
        for rawLine in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = Substring(rawLine)
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { lines.append(""); continue }
            if trimmed.allSatisfy({ "-=*_ ".contains($0) }), trimmed.count >= 3 { lines.append(""); continue }
            line = trimmed
            while let f = line.first, f == ">" { line = line.dropFirst().drop { $0 == " " } }
            if line.hasPrefix("#") { line = line.drop { $0 == "#" }.drop { $0 == " " } }
            if let f = line.first, "-*+".contains(f), line.dropFirst().first == " " { line = line.dropFirst(2) }
            let digits = line.prefix { $0.isNumber }
            if !digits.isEmpty, line.dropFirst(digits.count).hasPrefix(". ") { line = line.dropFirst(digits.count + 2) }
            // Reference definitions ("[label]: url") carry no prose.
            if line.hasPrefix("["), line.contains("]:") , !line.contains("](") { lines.append(""); continue }
            lines.append(inline(String(line)))
        }
        return HTMLStripper.plainText(lines.joined(separator: "\n"))
    }

    static func inline(_ s: String) -> String {
        let c = Array(s)
        var out = ""
        var i = 0
        while i < c.count {
            let ch = c[i]
            if ch == "!", i + 1 < c.count, c[i + 1] == "[" { i += 1; continue } // image: keep alt text
            if ch == "[", let close = c[(i + 1)...].firstIndex(of: "]") {
                out += String(c[(i + 1)..<close])
                var j = close + 1
                if j < c.count, c[j] == "(", let end = c[j...].firstIndex(of: ")") { j = end + 1 }
                else if j < c.count, c[j] == "[", let end = c[j...].firstIndex(of: "]") { j = end + 1 }
                i = j
                continue
            }
            if ch == "*" || ch == "`" || (ch == "~" && i + 1 < c.count && c[i + 1] == "~") {
                i += ch == "~" ? 2 : 1
                continue
            }
            if ch == "_" {
                let before = i > 0 ? c[i - 1] : " ", after = i + 1 < c.count ? c[i + 1] : " "
                if !(before.isLetter || before.isNumber) || !(after.isLetter || after.isNumber) { i += 1; continue }
            }
            out.append(ch)
            i += 1
        }
        return out
    }
}
