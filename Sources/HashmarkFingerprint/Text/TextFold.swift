/// The per-code-point fold behind text normalisation: NFKD, diacritic and format-character
/// removal, full case folding and TR39 confusable prototypes, composed into one table by
/// `Scripts/gen-confusables.py` (see the header of `TextFoldTable.generated.swift` for the
/// Unicode versions). Generated rather than taken from the standard library so that a corpus
/// fingerprinted today folds identically under a later toolchain.
public enum TextFold {
    /// Identifies the fold tables; part of `TextFingerprintParameters.algorithm`.
    public static let tableVersion = "ucd\(tableUnicodeVersion)-confusables\(confusablesVersion)"

    /// Code point → folded code points (empty: removed). Code points absent fold to themselves.
    static let table: [UInt32: [UInt32]] = parseTable(tableData)

    /// ASCII fast path: folded values for each ASCII code point (identity where the table is silent).
    static let ascii: [[UInt32]] = (0..<128).map { table[UInt32($0)] ?? [UInt32($0)] }

    /// Byte classes for the normaliser's fast path: 0 for an ASCII byte that folds to exactly
    /// one non-word scalar (a separator), the folded value (< 0x80) for one that folds to exactly
    /// one ASCII word character, 0x80 for every other byte (non-ASCII, or an ASCII fold the
    /// fast path cannot express), which then takes the full path.
    static let asciiClass: [UInt8] = (0..<256).map { b -> UInt8 in
        guard b < 128 else { return 0x80 }
        let f = ascii[b]
        guard f.count == 1 else { return 0x80 }
        if !isWordScalar(f[0]) { return 0 }
        return f[0] < 0x80 ? UInt8(f[0]) : 0x80
    }

    /// Folds one scalar; returns its replacement (possibly empty, possibly several scalars).
    @inlinable public static func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        foldValue(scalar.value).compactMap(Unicode.Scalar.init)
    }

    @usableFromInline static func foldValue(_ value: UInt32) -> [UInt32] {
        if value < 128 { return ascii[Int(value)] }
        return table[value] ?? [value]
    }

    /// Every code point the table changes (for idempotence tests and audits).
    public static var changedCodePoints: [UInt32] { table.keys.sorted() }

    /// Whether a folded scalar belongs to a word: letters and numbers; everything else
    /// (punctuation, symbols, spaces, controls) separates words, which collapses punctuation and
    /// whitespace runs.
    static func isWordScalar(_ value: UInt32) -> Bool {
        if value < 128 {
            return (value >= 0x61 && value <= 0x7A) || (value >= 0x30 && value <= 0x39)
                || (value >= 0x41 && value <= 0x5A)
        }
        guard let s = Unicode.Scalar(value) else { return false }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .spacingMark:
            return true
        default:
            return false
        }
    }

    private static func parseTable(_ data: String) -> [UInt32: [UInt32]] {
        var out = [UInt32: [UInt32]]()
        out.reserveCapacity(10_000)
        for entry in data.utf8.split(separator: UInt8(ascii: ";")) {
            let parts = entry.split(separator: UInt8(ascii: "="), omittingEmptySubsequences: false)
            guard parts.count == 2, let key = hexValue(parts[0]) else { continue }
            out[key] = parts[1].split(separator: UInt8(ascii: " ")).compactMap(hexValue)
        }
        return out
    }

    private static func hexValue(_ bytes: Substring.UTF8View.SubSequence) -> UInt32? {
        UInt32(String(decoding: bytes, as: UTF8.self), radix: 16)
    }
}
