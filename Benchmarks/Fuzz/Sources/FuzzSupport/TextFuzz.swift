import HashmarkMedia

/// Runs `TextDecoder.decode` on hostile bytes and checks what a correct decoder must satisfy.
public enum TextFuzz {
    public static func run(_ bytes: [UInt8], format: TextFormat) {
        let first = decode(bytes, format)
        invariant(first == decode(bytes, format), "two decodes of the same bytes differ")
        // The encoding is decided before any stripping: every format agrees with plain on it.
        let plain = format == .plain ? first : decode(bytes, .plain)
        switch (first, plain) {
        case (.success(let d), .success(let p)):
            invariant(d.format == format, "asked for \(format), got \(d.format)")
            invariant(d.encoding == p.encoding, "\(format) read the bytes as \(d.encoding), plain as \(p.encoding)")
            checkPlain(p, bytes: bytes)
            if format == .html, !p.text.unicodeScalars.contains(where: { $0 == "<" || $0 == "&" }) {
                invariant(d.text == p.text, "HTML without '<' or '&' changed in stripping")
            }
        case (.failure(let e), .failure(let p)):
            invariant(e.code == p.code, "\(format) failed with \(e.code), plain with \(p.code)")
        default:
            invariant(false, "\(format) and plain disagree on whether the bytes are text")
        }
    }

    static func decode(_ bytes: [UInt8], _ format: TextFormat) -> Result<DecodedText, TextDecodingError> {
        do throws(TextDecodingError) {
            return .success(try TextDecoder.decode(bytes, format: format))
        } catch {
            return .failure(error)
        }
    }

    /// Plain text is the input re-encoded, nothing lost or added.
    static func checkPlain(_ p: DecodedText, bytes: [UInt8]) {
        switch p.encoding {
        case .utf8:
            invariant(p.text.utf8.elementsEqual(bytes), "UTF-8 text differs from its bytes")
        case .utf8BOM:
            invariant(p.text.utf8.elementsEqual(bytes.dropFirst(3)), "UTF-8 (BOM) text differs from its bytes")
        case .utf16LE, .utf16BE:
            let body = bytes.dropFirst(2)
            invariant(body.count % 2 == 0 && p.text.utf16.count == body.count / 2, "UTF-16 length differs")
            let little = p.encoding == .utf16LE
            var i = body.startIndex
            for unit in p.text.utf16 {
                let a = UInt16(body[i]), b = UInt16(body[i + 1])
                invariant(unit == (little ? a | b << 8 : a << 8 | b), "UTF-16 unit differs at byte \(i)")
                i += 2
            }
        case .latin1:
            invariant(p.text.unicodeScalars.elementsEqual(bytes.lazy.map { Unicode.Scalar($0) }),
                      "ISO-8859-1 text differs from its bytes")
        }
    }
}
