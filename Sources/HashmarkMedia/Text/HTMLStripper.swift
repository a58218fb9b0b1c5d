/// A small, careful HTML-to-text stripper: tags removed (attribute quotes respected), comments,
/// `<script>`/`<style>` contents and `<head>`-only markup dropped, entities (named common ones,
/// decimal and hex numeric) decoded, block-level tags turned into line breaks so words on
/// either side stay apart while inline tags (`wo<b>rd</b>`) do not split a word.
///
/// Linear time and no allocation per character: one pass over the UTF-8 bytes, never moving
/// back. A construct left open runs to the end of the input and is consumed with it, once: an
/// unclosed `<!--`, a tag whose quote or `>` never comes, a `<script>` without its end tag (as a
/// browser does at end of file). An entity is looked for at most 12 characters past its `&`.
/// Tag names are compared ASCII-case-insensitively, as the HTML standard does.
@_spi(Testing) public enum HTMLStripper {
    static let blockTags: Set<String> = [
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th",
        "table", "blockquote", "pre", "section", "article", "header", "footer", "hr", "dd", "dt",
        "title", "body", "html", "head", "nav", "aside", "main", "figure", "figcaption",
    ]
    static let rawTextTags: Set<String> = ["script", "style", "template", "noscript"]
    /// Longer tag names match neither set, so they are not collected.
    static let longestTagName = 10
    static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}",
        "mdash": "\u{2014}", "ndash": "\u{2013}", "hellip": "\u{2026}", "lsquo": "\u{2018}",
        "rsquo": "\u{2019}", "ldquo": "\u{201C}", "rdquo": "\u{201D}", "copy": "\u{00A9}",
        "shy": "\u{00AD}", "zwj": "\u{200D}", "zwnj": "\u{200C}",
    ]

    @_spi(Testing) public static func plainText(_ html: String) -> String {
        var steps = 0
        return plainText(html, steps: &steps)
    }

    /// `steps` grows by one per loop iteration over the input (each does O(1) work); the
    /// linearity tests bound it by a constant times the input's length.
    @_spi(Testing) public static func plainText(_ html: String, steps: inout Int) -> String {
        var html = html
        let out = html.withUTF8 { strip($0, steps: &steps) }
        return String(decoding: out, as: UTF8.self)
    }

    private static let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), slash = UInt8(ascii: "/")
    private static let amp = UInt8(ascii: "&"), semicolon = UInt8(ascii: ";")
    private static let doubleQuote = UInt8(ascii: "\""), singleQuote = UInt8(ascii: "'")

    private static func strip(_ c: UnsafeBufferPointer<UInt8>, steps: inout Int) -> [UInt8] {
        let n = c.count
        var out = [UInt8]()
        out.reserveCapacity(n)
        var i = 0
        while i < n {
            steps += 1
            let ch = c[i]
            if ch == lt {
                if has(c, "<!--", at: i) {
                    var j = i + 4
                    while j < n, !has(c, "-->", at: j) { steps += 1; j += 1 }
                    i = min(n, j + 3)
                    continue
                }
                guard i + 1 < n, opensTag(c, at: i + 1) else {
                    out.append(ch); i += 1; continue // a lone "<" is text
                }
                // Tag name, then skip to the closing ">" outside quotes.
                var j = i + 1
                let isEndTag = c[j] == slash
                if isEndTag { j += 1 }
                var name = "", nameLength = 0, nameIsASCII = true
                while j < n {
                    let (scalar, length) = self.scalar(c, at: j)
                    guard scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) else { break }
                    steps += 1
                    nameLength += 1
                    if !scalar.isASCII { nameIsASCII = false }
                    if nameIsASCII, nameLength <= longestTagName {
                        name.unicodeScalars.append(Unicode.Scalar(asciiLowercased(UInt8(scalar.value))))
                    }
                    j += length
                }
                let tag: String? = nameIsASCII && nameLength <= longestTagName ? name : nil
                var quote: UInt8 = 0
                while j < n {
                    steps += 1
                    let b = c[j]
                    if quote != 0 {
                        if b == quote { quote = 0 }
                    } else if b == doubleQuote || b == singleQuote {
                        quote = b
                    } else if b == gt {
                        break
                    }
                    j += 1
                }
                i = min(n, j + 1)
                if let tag, !isEndTag, rawTextTags.contains(tag) {
                    // Skip contents up to the matching end tag.
                    var k = i
                    while k < n, !hasEndTag(c, tag, at: k) { steps += 1; k += 1 }
                    while k < n, c[k] != gt { steps += 1; k += 1 }
                    i = min(n, k + 1)
                }
                if let tag, blockTags.contains(tag) { out.append(UInt8(ascii: "\n")) }
                continue
            }
            if ch == amp, let (decoded, length) = entity(c, at: i, steps: &steps) {
                out.append(contentsOf: decoded.utf8)
                i += length
                continue
            }
            out.append(ch)
            i += 1
        }
        return out
    }

    /// Decodes `&name;`, `&#123;` or `&#x1F;` at byte `i` (a body of at most 12 characters);
    /// `nil` leaves the "&" as text. Returns the text and the entity's length in bytes.
    static func entity(_ c: UnsafeBufferPointer<UInt8>, at i: Int, steps: inout Int) -> (String, Int)? {
        var j = i + 1, characters = 1
        while j < c.count, characters <= 12, c[j] != semicolon {
            steps += 1
            j += scalar(c, at: j).length
            characters += 1
        }
        guard j < c.count, c[j] == semicolon, j > i + 1 else { return nil }
        let body = String(decoding: UnsafeBufferPointer(rebasing: c[(i + 1)..<j]), as: UTF8.self)
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

    /// After "<": a letter, "/", "!" or "?" starts a tag; anything else leaves the "<" as text.
    private static func opensTag(_ c: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let s = scalar(c, at: i).scalar
        return s.properties.isAlphabetic || s == "/" || s == "!" || s == "?"
    }

    /// Whether `pattern` (ASCII, lower case) starts at byte `i`, ignoring ASCII case.
    private static func has(_ c: UnsafeBufferPointer<UInt8>, _ pattern: StaticString, at i: Int) -> Bool {
        let count = pattern.utf8CodeUnitCount
        guard i + count <= c.count else { return false }
        let p = pattern.utf8Start
        for k in 0..<count where asciiLowercased(c[i + k]) != p[k] { return false }
        return true
    }

    /// Whether "</" + `tag` starts at byte `k`, ignoring ASCII case.
    private static func hasEndTag(_ c: UnsafeBufferPointer<UInt8>, _ tag: String, at k: Int) -> Bool {
        guard k + 2 + tag.utf8.count <= c.count, c[k] == lt, c[k + 1] == slash else { return false }
        var o = k + 2
        for b in tag.utf8 {
            if asciiLowercased(c[o]) != b { return false }
            o += 1
        }
        return true
    }

    private static func asciiLowercased(_ b: UInt8) -> UInt8 {
        b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b + 32 : b
    }

    /// The scalar whose UTF-8 starts at byte `i` (the input is a Swift String: valid UTF-8).
    private static func scalar(_ c: UnsafeBufferPointer<UInt8>, at i: Int) -> (scalar: Unicode.Scalar, length: Int) {
        let b0 = c[i]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let length = b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4
        guard i + length <= c.count else { return ("\u{FFFD}", 1) }
        var v = UInt32(b0) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for k in 1..<length { v = v << 6 | UInt32(c[i + k] & 0x3F) }
        return (Unicode.Scalar(v) ?? "\u{FFFD}", length)
    }
}
