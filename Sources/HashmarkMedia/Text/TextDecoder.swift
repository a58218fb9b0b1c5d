/// How a text file is marked up: decides which stripper turns it into plain text.
public enum TextFormat: String, Sendable, Codable, CaseIterable {
    case plain, markdown, html

    /// The format for a file extension (case-insensitive); throws `unsupported-media` for
    /// PDF/DOCX and other document formats this decoder does not read, `nil` if unknown.
    public static func forExtension(_ ext: String) throws(TextDecodingError) -> TextFormat? {
        switch ext.lowercased() {
        case "txt", "text": return .plain
        case "md", "markdown", "mdown": return .markdown
        case "html", "htm", "xhtml": return .html
        case "pdf", "docx", "doc", "odt", "rtf", "epub":
            throw TextDecodingError(.unsupportedMedia, "\(ext) documents are not supported yet")
        default: return nil
        }
    }
}

/// The character encoding a text was read with.
public enum TextEncoding: String, Sendable, Codable {
    case utf8 = "utf-8", utf8BOM = "utf-8-bom", utf16LE = "utf-16le", utf16BE = "utf-16be", latin1 = "iso-8859-1"
}

/// Errors of text decoding, each with a stable `code`.
public struct TextDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// Bytes that no supported encoding explains (NUL bytes without a UTF-16 BOM, a
        /// malformed UTF-16 or BOM-marked UTF-8 body).
        case invalidTextEncoding = "invalid-text-encoding"
        /// A UTF-8 text with invalid byte sequences (valid multi-byte characters beside broken ones).
        case invalidUTF8 = "invalid-utf8"
        /// A document format (PDF, DOCX, …) that is not decoded.
        case unsupportedMedia = "unsupported-media"
        /// More bytes than the decoder's `maxBytes`; refused before any decoding (the same code
        /// as `MediaError.Code.fileTooLarge`).
        case fileTooLarge = "file-too-large"
    }

    public var code: Code
    public var message: String
    public var file: String
    public var line: Int

    public init(_ code: Code, _ message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

/// Text extracted from a file. Evidence spans computed on it (`TextNormalizer.normalize(_:)`
/// on `text`) are UTF-8 byte offsets into `text`, the extracted plain text — not into the
/// original file bytes, which differ by BOMs, UTF-16/Latin-1 re-encoding and markup.
public struct DecodedText: Sendable, Equatable {
    public var text: String
    public var encoding: TextEncoding
    public var format: TextFormat

    public init(text: String, encoding: TextEncoding, format: TextFormat) {
        self.text = text
        self.encoding = encoding
        self.format = format
    }
}

public enum TextDecoder {
    /// The default byte cap of `decode`: the default file limit, `ImageLimits().maxFileBytes`.
    public static let defaultMaxBytes = ImageLimits().maxFileBytes

    /// Decodes bytes and strips markup, in time and memory linear in `bytes.count`.
    ///
    /// Input over `maxBytes` is refused (`file-too-large`) before any work is done on it.
    ///
    /// Encoding rule: a BOM decides (UTF-8, UTF-16 LE/BE; a malformed body is an error).
    /// Without a BOM, valid UTF-8 is UTF-8; bytes with NUL (binary, or UTF-16 without BOM) are
    /// `invalid-text-encoding`; UTF-8 text with broken sequences (valid multi-byte characters
    /// beside invalid bytes) is `invalid-utf8`; otherwise — no valid multi-byte sequence at all —
    /// the bytes are ISO-8859-1 (every byte a character, so legacy Western files read correctly).
    public static func decode(_ bytes: [UInt8], format: TextFormat = .plain,
                              maxBytes: Int = defaultMaxBytes) throws(TextDecodingError) -> DecodedText {
        guard bytes.count <= maxBytes else {
            throw TextDecodingError(.fileTooLarge, "The text has \(bytes.count) bytes; the limit is \(maxBytes).")
        }
        let (raw, encoding) = try decodeEncoding(bytes)
        let text: String
        switch format {
        case .plain: text = raw
        case .html: text = HTMLStripper.plainText(raw)
        case .markdown: text = MarkdownStripper.plainText(raw)
        }
        return DecodedText(text: text, encoding: encoding, format: format)
    }

    static func decodeEncoding(_ b: [UInt8]) throws(TextDecodingError) -> (String, TextEncoding) {
        if b.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let s = String(validating: b.dropFirst(3), as: UTF8.self) else {
                throw TextDecodingError(.invalidTextEncoding, "UTF-8 byte order mark followed by invalid UTF-8")
            }
            return (s, .utf8BOM)
        }
        if b.starts(with: [0xFF, 0xFE]) { return (try utf16(b.dropFirst(2), littleEndian: true), .utf16LE) }
        if b.starts(with: [0xFE, 0xFF]) { return (try utf16(b.dropFirst(2), littleEndian: false), .utf16BE) }
        if !b.contains(0), let s = String(validating: b, as: UTF8.self) { return (s, .utf8) }
        guard !b.contains(0) else {
            throw TextDecodingError(.invalidTextEncoding, "NUL bytes without a UTF-16 byte order mark: not text")
        }
        // Valid multi-byte UTF-8 sequences beside invalid bytes: a UTF-8 text that was damaged (or
        // crafted). Reading it as Latin-1 would silently garble the valid part, so refuse it.
        if let damaged = utf8Damage(b) {
            throw TextDecodingError(.invalidUTF8, "\(damaged) bytes are not valid UTF-8 in an otherwise UTF-8 text")
        }
        var scalars = String.UnicodeScalarView()
        for byte in b { scalars.append(Unicode.Scalar(byte)) }
        return (String(scalars), .latin1)
    }

    /// The number of bytes that are not valid UTF-8, when the text also holds at least one valid
    /// multi-byte sequence; `nil` for pure single-byte (legacy ISO-8859-1) text.
    static func utf8Damage(_ b: [UInt8]) -> Int? {
        var validMultiByte = 0
        var invalid = 0
        var decoder = UTF8()
        var iterator = b.makeIterator()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar.value >= 0x80 { validMultiByte += 1 }
            case .error: invalid += 1
            case .emptyInput: break loop
            }
        }
        return validMultiByte > 0 && invalid > 0 ? invalid : nil
    }

    static func utf16(_ body: ArraySlice<UInt8>, littleEndian: Bool) throws(TextDecodingError) -> String {
        guard body.count % 2 == 0 else {
            throw TextDecodingError(.invalidTextEncoding, "UTF-16 text with an odd number of bytes")
        }
        var units = [UInt16]()
        units.reserveCapacity(body.count / 2)
        var i = body.startIndex
        while i < body.endIndex {
            let a = UInt16(body[i]), c = UInt16(body[i + 1])
            units.append(littleEndian ? a | c << 8 : a << 8 | c)
            i += 2
        }
        guard let s = String(validating: units, as: UTF16.self) else {
            throw TextDecodingError(.invalidTextEncoding, "UTF-16 text with unpaired surrogates")
        }
        return s
    }
}
