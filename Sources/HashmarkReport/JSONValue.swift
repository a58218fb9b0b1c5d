/// A JSON value with one canonical byte form, so that a signature over the bytes is a
/// signature over the value.
///
/// Canonical form (the contract `hashmark.verdict` reports and the ledger are written in):
/// - UTF-8, no byte-order mark, no whitespace outside strings.
/// - Object keys sorted by their UTF-8 bytes (unsigned, lexicographic); no duplicate keys.
/// - Strings escape only `"` as `\"`, `\` as `\\`, and U+0000–U+001F (`\b \t \n \f \r`, else
///   `\u00xx` with lowercase hex). `/` and non-ASCII are written as themselves.
/// - `int`: decimal, `-` for negatives, no leading zeros, no fraction or exponent.
/// - `double`: the shortest decimal that reads back as the same IEEE-754 double (Swift's
///   `description`, locale-independent), rewritten without an exponent and always with a
///   fraction part (`1.0`, `0.000015`, `10000000000000000.0`); `-0.0` is written `0.0`;
///   NaN and infinities cannot be serialised. A number with `.` or an exponent parses as a
///   double, any other as an int, so the two never collapse into one another.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The canonical serialisation described on the type.
    public func canonicalBytes() throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        try serialise(into: &out)
        return out
    }

    /// Canonical text (same bytes as `canonicalBytes()`).
    public func canonicalString() throws -> String {
        String(decoding: try canonicalBytes(), as: UTF8.self)
    }

    private func serialise(into out: inout [UInt8]) throws {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): out.append(contentsOf: String(value).utf8)
        case .double(let value): out.append(contentsOf: try Self.formatDouble(value).utf8)
        case .string(let value): Self.appendString(value, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                try item.serialise(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                // Key came from `members.keys`, so the lookup cannot miss.
                try (members[key] ?? .null).serialise(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x0a: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0c: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0d: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x00..<0x20:
                out.append(contentsOf: Array("\\u00".utf8))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0f)])
            default: out.append(byte)  // UTF-8 continuation bytes are never < 0x80.
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Plain-decimal form of the shortest round-trip representation (see the type's doc).
    public static func formatDouble(_ value: Double) throws -> String {
        guard value.isFinite else {
            throw ReportError(.jsonValue, "\(value) cannot be represented in JSON")
        }
        if value == 0 { return "0.0" }
        let text = value.description  // e.g. "0.25", "1e-05", "1.5e+16", "-3.0"
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: "e", maxSplits: 1)
        let mantissa = String(parts[0])
        let exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        var plain: String
        if exponent == 0 {
            plain = mantissa.contains(".") ? mantissa : mantissa + ".0"
        } else {
            let pieces = mantissa.split(separator: ".", maxSplits: 1)
            let integerDigits = String(pieces[0])
            let fractionDigits = pieces.count == 2 ? String(pieces[1]) : ""
            var digits = integerDigits + fractionDigits
            var point = integerDigits.count + exponent
            // Strip leading zeros of the digit string, keeping the point aligned.
            while digits.count > 1 && digits.hasPrefix("0") { digits.removeFirst(); point -= 1 }
            if point <= 0 {
                plain = "0." + String(repeating: "0", count: -point) + digits
            } else if point >= digits.count {
                plain = digits + String(repeating: "0", count: point - digits.count) + ".0"
            } else {
                let index = digits.index(digits.startIndex, offsetBy: point)
                plain = String(digits[..<index]) + "." + String(digits[index...])
            }
            // "1.50" cannot arise from a shortest representation, but ".0" must stay.
            while plain.hasSuffix("0") && !plain.hasSuffix(".0") { plain.removeLast() }
        }
        return negative ? "-" + plain : plain
    }
}

extension JSONValue {
    /// Member lookup on objects; nil for other kinds or a missing key.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }
}
