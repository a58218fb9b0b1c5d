/// A small, careful HTML-to-text stripper: tags removed (attribute quotes respected), comments,
/// `<script>`/`<style>` contents and `<head>`-only markup dropped, entities (named common ones,
/// decimal and hex numeric) decoded, block-level tags turned into line breaks so words on
/// either side stay apart while inline tags (`wo<b>rd</b>`) do not split a word.
enum HTMLStripper {
    static let blockTags: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
        "table", "blockquote", "pre", "section", "article", "header", "footer", "hr", "dd", "dt",
        "title", "body", "html", "head", "nav", "aside", "main", "figure", "figcaption",
    ]
    static let rawTextTags: Set<String> = ["script", "style", "template", "noscript"]
    static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}",
        "mdash": "\u{2014}", "ndash": "\u{2013}", "hellip": "\u{2026}", "lsquo": "\u{2018}",
        "rsquo": "\u{2019}", "ldquo": "\u{201C}", "rdquo": "\u{201D}", "copy": "\u{00A9}",
        "shy": "\u{00AD}", "zwj": "\u{200D}", "zwnj": "\u{200C}",
    ]

    static func plainText(_ html: String) -> String {
        let c = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        func lower(_ k: Int) -> Character { Character(String(c[k]).lowercased()) }
        func startsWith(_ s: String, at k: Int) -> Bool {
            let t = Array(s.unicodeScalars)
            guard k + t.count <= c.count else { return false }
            return (0..<t.count).allSatisfy { String(c[k + $0]).lowercased() == String(t[$0]) }
        }
        while i < c.count {
            let ch = c[i]
            if ch == "<" {
                if startsWith("<!--", at: i) {
                    var j = i + 4
                    while j < c.count, !startsWith("-->", at: j) { j += 1 }
                    i = min(c.count, j + 3)
                    continue
                }
                guard i + 1 < c.count, c[i + 1].properties.isAlphabetic || "/!?".unicodeScalars.contains(c[i + 1]) else {
                    out.append(ch); i += 1; continue // a lone "<" is text
                }
                // Tag name, then skip to the closing ">" outside quotes.
                var j = i + 1
                let isEndTag = c[j] == "/"
                if isEndTag { j += 1 }
                var name = ""
                while j < c.count, c[j].properties.isAlphabetic || ("0"..."9").contains(c[j]) {
                    name.append(lower(j)); j += 1
                }
                var quote: Unicode.Scalar? = nil
                while j < c.count {
                    if let q = quote {
                        if c[j] == q { quote = nil }
                    } else if c[j] == "\"" || c[j] == "'" {
                        quote = c[j]
                    } else if c[j] == ">" {
                        break
                    }
                    j += 1
                }
                i = min(c.count, j + 1)
                if rawTextTags.contains(name), !isEndTag {
                    // Skip contents up to the matching end tag.
                    var k = i
                    while k < c.count, !startsWith("</" + name, at: k) { k += 1 }
                    while k < c.count, c[k] != ">" { k += 1 }
                    i = min(c.count, k + 1)
                }
                if blockTags.contains(name) { out.append("\n") }
                continue
            }
            if ch == "&", let (decoded, length) = entity(c, at: i) {
                out.append(contentsOf: decoded.unicodeScalars)
                i += length
                continue
            }
            out.append(ch)
            i += 1
        }
        return String(out)
    }

    /// Decodes `&name;`, `&#123;` or `&#x1F;` at `i`; `nil` leaves the "&" as text.
    static func entity(_ c: [Unicode.Scalar], at i: Int) -> (String, Int)? {
        var j = i + 1, body = ""
        while j < c.count, j - i <= 12, c[j] != ";" { body.unicodeScalars.append(c[j]); j += 1 }
        guard j < c.count, c[j] == ";", !body.isEmpty else { return nil }
        let length = j - i + 1
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value = digits.first == "x" || digits.first == "X"
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let v = value, v != 0, let s = Unicode.Scalar(v) else { return ("\u{FFFD}", length) }
            return (String(s), length)
        }
        return entities[body.lowercased()].map { ($0, length) }
    }
}
