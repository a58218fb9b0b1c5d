@_spi(Testing) import HashmarkMedia
import Testing

/// Hostile markup costs the strippers work linear in its length. Work is counted in steps (one
/// per loop iteration over the input, see `HTMLStripper.plainText(_:steps:)`), never timed: a
/// quadratic stripper needs up to n/2 steps per byte. The Markdown stripper before this bound took
/// 2,700–33,000 steps per byte on 64 KiB of the bracket and comment cases below (`[`, `![`,
/// `] then [`, `x [a](`, CRLF lines, `<!--[`); the other cases were already linear and guard
/// against a rule that would rescan (say, an unclosed comment re-read as text).
@Suite("Stripper linearity")
struct StripperLinearityTests {
    static let size = 1 << 20
    /// Measured worst case: 13 steps per byte (`&` repeated: each one looks 12 characters ahead).
    static let htmlStepsPerByte = 16
    /// Measured worst case: 15 steps per byte (`&` repeated: 2 in the Markdown pass, 13 in the
    /// HTML pass on its result).
    static let markdownStepsPerByte = 20

    /// `unit` repeated to about `bytes` bytes, after `head`.
    static func repeated(_ unit: String, head: String = "", bytes: Int = size) -> String {
        head + String(repeating: unit, count: max(1, (bytes - head.utf8.count) / unit.utf8.count))
    }

    static func markdownBomb(_ name: String, bytes: Int = size) -> String {
        switch name {
        case "[ repeated": repeated("[", bytes: bytes)
        case "x [a]( repeated": repeated("x [a](", bytes: bytes)
        case "![ repeated": repeated("![", bytes: bytes)
        case "[a][ repeated": repeated("[a][", bytes: bytes)
        case "] then [ repeated": repeated("[", head: "]", bytes: bytes)
        case "> nested quotes": repeated(">", bytes: bytes)
        case "> nested quotes, many lines": repeated(String(repeating: "> ", count: 200) + "[x\n", bytes: bytes)
        case "[ lines with CRLF": repeated("[[[[ [a](\r\n", bytes: bytes)
        case "_ * ` ~ repeated": repeated("_*`~a_", bytes: bytes)
        case "# and digits": repeated("#", head: "1234", bytes: bytes)
        case "reference definition": repeated("]:", head: "[", bytes: bytes)
        case "newlines": repeated("\n", bytes: bytes)
        case "<!-- in Markdown": repeated("<!--[", bytes: bytes)
        case "& in Markdown": repeated("&", bytes: bytes)
        default: ""
        }
    }

    static func htmlBomb(_ name: String, bytes: Int = size) -> String {
        switch name {
        case "< repeated": repeated("<", bytes: bytes)
        case "<!-- without end": repeated("-", head: "<!--", bytes: bytes)
        case "<!-- repeated": repeated("<!--", bytes: bytes)
        case "<a \" unclosed quotes": repeated("<a \"", bytes: bytes)
        case "<a ' then text": repeated("x>y", head: "<a '", bytes: bytes)
        case "<script> without end tag": repeated("</scrip", head: "<script>", bytes: bytes)
        case "<style> with < inside": repeated("<", head: "<STYLE>", bytes: bytes)
        case "& then 12 characters repeated": repeated("&abcdefghijkl", bytes: bytes)
        case "& repeated": repeated("&", bytes: bytes)
        case "&# digits repeated": repeated("&#1234567890", bytes: bytes)
        case "long tag name": repeated("a", head: "<", bytes: bytes)
        case "long non-ASCII tag name": repeated("é", head: "<", bytes: bytes)
        case "<a repeated": repeated("<a", bytes: bytes)
        case "</ repeated": repeated("</", bytes: bytes)
        default: ""
        }
    }

    static let markdownBombs = [
        "[ repeated", "x [a]( repeated", "![ repeated", "[a][ repeated", "] then [ repeated",
        "> nested quotes", "> nested quotes, many lines", "[ lines with CRLF", "_ * ` ~ repeated",
        "# and digits", "reference definition", "newlines", "<!-- in Markdown", "& in Markdown",
    ]
    static let htmlBombs = [
        "< repeated", "<!-- without end", "<!-- repeated", "<a \" unclosed quotes", "<a ' then text",
        "<script> without end tag", "<style> with < inside", "& then 12 characters repeated", "& repeated",
        "&# digits repeated", "long tag name", "long non-ASCII tag name", "<a repeated", "</ repeated",
    ]

    @Test(arguments: markdownBombs)
    func markdownStrippingIsLinear(_ name: String) {
        let input = Self.markdownBomb(name)
        let bytes = input.utf8.count
        #expect(bytes >= Self.size - 1024)
        var steps = 0
        _ = MarkdownStripper.plainText(input, steps: &steps)
        print("Markdown \(name): \(Double(steps) / Double(bytes)) steps per byte")
        #expect(steps <= Self.markdownStepsPerByte * bytes, "\(name): \(steps) steps for \(bytes) bytes")
    }

    @Test(arguments: htmlBombs)
    func htmlStrippingIsLinear(_ name: String) {
        let input = Self.htmlBomb(name)
        let bytes = input.utf8.count
        #expect(bytes >= Self.size - 1024)
        var steps = 0
        _ = HTMLStripper.plainText(input, steps: &steps)
        print("HTML \(name): \(Double(steps) / Double(bytes)) steps per byte")
        #expect(steps <= Self.htmlStepsPerByte * bytes, "\(name): \(steps) steps for \(bytes) bytes")
    }

    /// The rules that make the bound hold, on small inputs.
    @Test func unmatchedBracketsAndOpenConstructs() {
        #expect(MarkdownStripper.plainText("[[a] b") == "[a b")
        #expect(MarkdownStripper.plainText("x [a](y z") == "x a(y z")
        #expect(MarkdownStripper.plainText("[a\nb](c)") == "[a\nb](c)")  // link text does not span lines
        #expect(MarkdownStripper.plainText("[a] [b](c) [d][e] ![f](g)") == "a b d f")
        #expect(HTMLStripper.plainText("a<!-- b") == "a")
        #expect(HTMLStripper.plainText("a<b c=\"d>e") == "a")
        #expect(HTMLStripper.plainText("a<SCRIPT>b</ScRiPt >c") == "ac")
        #expect(HTMLStripper.plainText("a<BR>b&AMP;c&abcdefghijkl;d&#x41;&#65;") == "a\nb&c&abcdefghijkl;dAA")
    }
}
