/// Names and identifiers from files and reports, made safe to show on one line: characters that
/// change how the text around them is displayed become visible `\u{…}` escapes.
public enum DisplayText {
    /// Escapes C0 and C1 controls (a terminal escape sequence starts with one), DEL, format
    /// characters (bidirectional overrides, embeddings and isolates, zero-width characters, the
    /// BOM), and line and paragraph separators; everything else is kept as it is.
    public static func visible(_ s: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            if isInvisible(scalar) {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): the
    /// characters that can make displayed text read differently from its bytes, even in prose.
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }
}
