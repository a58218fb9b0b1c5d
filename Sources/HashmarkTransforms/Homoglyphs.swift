/// Latin letters and the Cyrillic/Greek letters that render (nearly) identically in common
/// fonts — the substitutions used to slip copied text past naive string matching.
public enum Homoglyphs {
    /// Latin letter → look-alike (Cyrillic unless marked Greek).
    public static let substitutes: [Character: Character] = [
        "a": "\u{0430}", "c": "\u{0441}", "e": "\u{0435}", "h": "\u{04BB}", "i": "\u{0456}",
        "j": "\u{0458}", "o": "\u{043E}", "p": "\u{0440}", "s": "\u{0455}", "x": "\u{0445}",
        "y": "\u{0443}", "v": "\u{03BD}" /* Greek nu */,
        "A": "\u{0410}", "B": "\u{0412}", "C": "\u{0421}", "E": "\u{0415}", "H": "\u{041D}",
        "I": "\u{0406}", "J": "\u{0408}", "K": "\u{041A}", "M": "\u{041C}", "O": "\u{041E}",
        "P": "\u{0420}", "S": "\u{0405}", "T": "\u{0422}", "X": "\u{0425}",
        "N": "\u{039D}" /* Greek Nu */, "Y": "\u{03A5}" /* Greek Upsilon */, "Z": "\u{0396}" /* Greek Zeta */,
    ]

    /// Look-alike → the Latin letter it imitates (the inverse of `substitutes`).
    public static let latin: [Character: Character] = {
        var inverse: [Character: Character] = [:]
        for (latinLetter, lookAlike) in substitutes { inverse[lookAlike] = latinLetter }
        return inverse
    }()

    /// Replaces every known look-alike by its Latin letter.
    public static func toLatin(_ text: String) -> String {
        String(text.map { latin[$0] ?? $0 })
    }
}

/// Zero-width characters inserted by the `zeroWidth` transform: they are not whitespace, so
/// word counts are unchanged, and they are invisible when rendered.
public let zeroWidthCharacters: [Character] = ["\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}"]
