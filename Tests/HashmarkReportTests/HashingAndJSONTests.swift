import Foundation
import HashmarkPrimitives
import HashmarkReport
import HashmarkTestSupport
import Testing

/// File hashing (the report's subject) on the package's one SHA-256; the digest itself is
/// tested in HashmarkPrimitivesTests.
@Suite("SHA-256 of files")
struct FileSHA256Tests {
    @Test func streamingFileEqualsOneShot() throws {
        let dir = try makeTempDirectory()
        defer { removeDirectory(dir) }
        // Three chunks and a ragged tail, so chunk boundaries are crossed.
        var rng = TestRandom(seed: 4)
        let bytes = (0..<(3 * SHA256.fileChunkSize + 7)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let path = dir + "/blob.bin"
        try writeBytes(bytes, path)
        let streamed = try SHA256.hash(filePath: path)
        #expect(streamed.size == bytes.count, "\(rng.replay)")
        #expect(streamed.digest == SHA256.hash(bytes), "\(rng.replay)")
        let sum = try runOpenSSL(["dgst", "-sha256", "-r", path])
        #expect(sum.output.hasPrefix(Hex.encode(streamed.digest)), "\(rng.replay)")
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: ReportError.self) { try SHA256.hash(filePath: "/nonexistent/hashmark-\(getpid())") }
    }
}

@Suite("Canonical JSON")
struct CanonicalJSONTests {
    @Test func keyOrderDoesNotMatter() throws {
        let pairs: [(String, JSONValue)] = [("b", .int(1)), ("a", .array([.null, .bool(true)])), ("é", .string("x")),
                                            ("Z", .double(0.5)), ("aa", .object([:])), ("", .int(-3))]
        var first: [UInt8]?
        var rng = TestRandom(seed: 5)
        for _ in 0..<20 {
            let value = JSONValue.object(Dictionary(uniqueKeysWithValues: pairs.shuffled(using: &rng)))
            let bytes = try value.canonicalBytes()
            if let first { #expect(bytes == first, "\(rng.replay)") } else { first = bytes }
        }
        // UTF-8 byte order: "" < "Z" < "a" < "aa" < "b" < "é" (0xC3 sorts after ASCII).
        #expect(try JSONValue.object(Dictionary(uniqueKeysWithValues: pairs)).canonicalString()
            == #"{"":-3,"Z":0.5,"a":[null,true],"aa":{},"b":1,"é":"x"}"#)
    }

    @Test func escapesOnlyWhatRFC8259Requires() throws {
        let value = JSONValue.string("a\"b\\c/d é 😀 \u{0}\u{1f}\n\t\r\u{8}\u{c}\u{7f}")
        #expect(try value.canonicalString() == "\"a\\\"b\\\\c/d é 😀 \\u0000\\u001f\\n\\t\\r\\b\\f\u{7f}\"")
        #expect(try JSONValue.parse(value.canonicalBytes()) == value)
    }

    @Test(arguments: [
        (0.0, "0.0"), (-0.0, "0.0"), (1.0, "1.0"), (-3.0, "-3.0"), (0.5, "0.5"), (0.1, "0.1"),
        (1e-5, "0.00001"), (1.5e-7, "0.00000015"), (1e16, "10000000000000000.0"), (1.25e17, "125000000000000000.0"),
        (123456.789, "123456.789"), (0.8125, "0.8125"), (Double.leastNonzeroMagnitude, "0." + String(repeating: "0", count: 323) + "5"),
    ])
    func doubleFormatting(value: Double, expected: String) throws {
        #expect(try JSONValue.formatDouble(value) == expected)
        // Shortest round trip: the text reads back as exactly the same double.
        #expect(Double(expected) == value)
    }

    @Test func nonFiniteIsRejected() {
        #expect(throws: ReportError.self) { try JSONValue.double(.nan).canonicalBytes() }
        #expect(throws: ReportError.self) { try JSONValue.array([.double(.infinity)]).canonicalBytes() }
    }

    @Test func roundTripOfReportIsByteStable() throws {
        let value = sampleReport().jsonValue()
        let bytes = try value.canonicalBytes()
        let reparsed = try JSONValue.parse(bytes)
        #expect(reparsed == value)
        #expect(try reparsed.canonicalBytes() == bytes)
        #expect(!bytes.contains(UInt8(ascii: " ")) || String(decoding: bytes, as: UTF8.self).contains("best of"))
        #expect(!bytes.contains(UInt8(ascii: "\n")))
    }

    @Test func intAndDoubleStayDistinct() throws {
        #expect(try JSONValue.parse(Array("1".utf8)) == .int(1))
        #expect(try JSONValue.parse(Array("1.0".utf8)) == .double(1))
        #expect(try JSONValue.parse(Array("1e2".utf8)) == .double(100))
        #expect(try JSONValue.parse(Array("-9223372036854775808".utf8)) == .int(.min))
        #expect(try JSONValue.parse(Array(#"["\ud83d\ude00","\u00e9\/"]"#.utf8)) == .array([.string("😀"), .string("é/")]))
    }

    @Test(arguments: [
        "", " ", "{", "[1,]", "{\"a\":1,}", "01", "-", "1.", ".5", "1e", "+1", "NaN", "Infinity", "tru",
        "{\"a\":1,\"a\":2}", "\"\\ud800\"", "\"\\udc00\"", "\"\\x\"", "\"a\u{1}\"", "[1] x", "1 2", "1e400",
        "\u{feff}{}", "'a'",
    ])
    func strictParserRejects(text: String) {
        #expect(throws: ReportError.self) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test func invalidUTF8AndDeepNestingAreRejected() {
        #expect(throws: ReportError.self) { try JSONValue.parse([0x22, 0xff, 0x22]) }
        #expect(throws: ReportError.self) { try JSONValue.parse([0x22, 0xc3, 0x22]) }
        let deep = Array(String(repeating: "[", count: 100).utf8) + Array(String(repeating: "]", count: 100).utf8)
        #expect(throws: ReportError.self) { try JSONValue.parse(deep) }
    }
}
