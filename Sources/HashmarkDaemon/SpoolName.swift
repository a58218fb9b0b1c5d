import HashmarkPrimitives
import HashmarkReport

/// A file name inside one spool folder, kept as the raw bytes the kernel gave us.
///
/// Producers may use any bytes except `/` and NUL, including newlines and invalid UTF-8, so names
/// are never round-tripped through `String` (which would replace invalid sequences and could make
/// two different files look alike). `display` is an escaped, single-line form for logs and reports.
public struct SpoolName: Hashable, Sendable, CustomStringConvertible {
    /// The exact bytes of the name (no NUL, no `/`).
    public let bytes: [UInt8]

    /// Returns nil for names that cannot be a single path component.
    public init?(bytes: [UInt8]) {
        guard !bytes.isEmpty, bytes.count <= 255, !bytes.contains(0), !bytes.contains(UInt8(ascii: "/")),
              bytes != [UInt8(ascii: ".")], bytes != [UInt8(ascii: "."), UInt8(ascii: ".")]
        else { return nil }
        self.bytes = bytes
    }

    public init?(_ string: String) { self.init(bytes: Array(string.utf8)) }

    /// Dot-files are a producer's work in progress (Maildir convention) and are never claimed.
    public var isHidden: Bool { bytes.first == UInt8(ascii: ".") }

    /// The name as a `String` when it is valid UTF-8, else nil.
    public var utf8String: String? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var out = String.UnicodeScalarView()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): out.append(scalar)
            case .emptyInput: return String(out)
            case .error: return nil
            }
        }
    }

    /// Single-line printable form: printable ASCII as is, `\n`, `\t`, `\\`, other bytes as `\xNN`.
    /// Valid non-ASCII UTF-8 is kept when the whole name is valid UTF-8, except characters that
    /// change how text around them is shown — controls, bidirectional overrides and isolates,
    /// zero-width and other format characters, line and paragraph separators — which become
    /// `\u{…}`, so a name cannot reorder or hide text in a log, a terminal or the HTML view.
    public var display: String {
        let utf8 = utf8String
        var out = ""
        if let utf8 {
            for scalar in utf8.unicodeScalars {
                if scalar.value < 0x80 {
                    out += Self.escape(UInt8(scalar.value))
                } else if DisplayText.isInvisible(scalar) {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        } else {
            for byte in bytes { out += byte < 0x80 ? Self.escape(byte) : Self.hex(byte) }
        }
        return out
    }

    public var description: String { display }


    private static func escape(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "\n"): return "\\n"
        case UInt8(ascii: "\t"): return "\\t"
        case UInt8(ascii: "\r"): return "\\r"
        case UInt8(ascii: "\\"): return "\\\\"
        case 0x20..<0x7F: return String(UnicodeScalar(byte))
        default: return hex(byte)
        }
    }

    /// A C-style `\xNN` escape of one byte (lowercase, like every hex in the package).
    private static func hex(_ byte: UInt8) -> String { "\\x" + Hex.encode(CollectionOfOne(byte)) }

    /// The same name with `~n` appended, trimmed so the result still fits in 255 bytes.
    func withSuffix(_ n: Int) -> SpoolName {
        let suffix = Array("~\(n)".utf8)
        let base = bytes.prefix(255 - suffix.count)
        return SpoolName(bytes: Array(base) + suffix) ?? self
    }

    /// Calls `body` with a NUL-terminated C string of the name.
    func withCString<T>(_ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        try (bytes + [0]).withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress else { return try body("") }
                return try body(base)
            }
        }
    }
}
