extension MediaType {
    /// How many leading bytes decide between text and binary.
    static let textSampleSize = 1024

    /// Decides what `bytes` are from their content.
    ///
    /// Images, audio, PDF and ZIP/DOCX are recognised by their signatures only: a PNG renamed `.jpg` is a
    /// PNG, a text file renamed `.jpg` is text. `fileName` is consulted for one thing only, text vs
    /// Markdown, since both are the same bytes. Anything else that is not plausibly text (a NUL or
    /// too many control bytes in the first KiB) is `.unknown`. Empty input is `.unknown`.
    public static func sniff(_ bytes: some Collection<UInt8>, fileName: String?) -> MediaType {
        let head = Array(bytes.prefix(4096))
        if let signature = signatureType(head) {
            if signature == .zip {
                return zipDocumentType(bytes)
            }
            return signature
        }
        guard !head.isEmpty, looksLikeText(head) else { return .unknown }
        if looksLikeHTML(head) { return .html }
        if let fileName, hasMarkdownExtension(fileName) { return .markdown }
        return .text
    }

    private static func signatureType(_ h: [UInt8]) -> MediaType? {
        func starts(_ sig: [UInt8], at offset: Int = 0) -> Bool {
            h.count >= offset + sig.count && Array(h[offset..<offset + sig.count]) == sig
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if let audio = audioSignatureType(h) { return audio }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        // "BM" alone is too weak (text may start with it): require zero reserved words and a
        // known DIB header size.
        if starts([0x42, 0x4D]), h.count >= 18, h[6...9].allSatisfy({ $0 == 0 }),
           [12, 40, 52, 56, 64, 108, 124].contains(Int(h[14]) | Int(h[15]) << 8), h[16] == 0, h[17] == 0 {
            return .bmp
        }
        if starts(Array("ftyp".utf8), at: 4), h.count >= 12 {
            let brand = String(decoding: h[8..<12], as: UTF8.self)
            if ["avif", "avis"].contains(brand) { return .avif }
            if ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"].contains(brand) { return .heif }
            if ["M4A ", "M4B "].contains(brand) { return .aac }
        }
        return nil
    }

    /// NUL bytes or more than 1% control bytes in the first KiB mean binary; so does invalid UTF-8
    /// where over 30% of bytes are non-ASCII (legacy 8-bit text stays text). UTF-16/32 BOMs are text.
    private static func looksLikeText(_ head: [UInt8]) -> Bool {
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) { return true }
        if head.starts(with: [0x00, 0x00, 0xFE, 0xFF]) { return true }
        let sample = head.prefix(textSampleSize)
        var controls = 0
        var high = 0
        for b in sample {
            if b == 0 { return false }
            if b < 0x20 && ![0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B].contains(b) || b == 0x7F { controls += 1 }
            if b >= 0x80 { high += 1 }
        }
        if controls * 100 > sample.count { return false }
        if high * 10 > sample.count * 3 && !isValidUTF8Prefix(Array(sample)) { return false }
        return true
    }

    /// UTF-8 validity, tolerating a sequence cut off by the end of the sample.
    private static func isValidUTF8Prefix(_ s: [UInt8]) -> Bool {
        var i = 0
        while i < s.count {
            let b = s[i]
            let need: Int
            switch b {
            case 0x00...0x7F: need = 0
            case 0xC2...0xDF: need = 1
            case 0xE0...0xEF: need = 2
            case 0xF0...0xF4: need = 3
            default: return false
            }
            for k in 1...max(1, need) where need > 0 {
                guard i + k < s.count else { return true }
                guard s[i + k] & 0xC0 == 0x80 else { return false }
            }
            i += need + 1
        }
        return true
    }

    /// After a BOM, whitespace, an XML declaration and comments: `<!doctype html` or `<html`.
    private static func looksLikeHTML(_ head: [UInt8]) -> Bool {
        let lower = head.prefix(textSampleSize).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        var i = lower.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        func skipSpace() { while i < lower.count, [0x20, 0x09, 0x0A, 0x0D, 0x0C].contains(lower[i]) { i += 1 } }
        func at(_ s: String) -> Bool { lower[i...].starts(with: Array(s.utf8)) }
        func skip(past terminator: String) -> Bool {
            let t = Array(terminator.utf8)
            while i + t.count <= lower.count {
                if lower[i..<i + t.count].elementsEqual(t) { i += t.count; return true }
                i += 1
            }
            return false
        }
        skipSpace()
        while i < lower.count {
            if at("<?xml") { guard skip(past: "?>") else { return false } }
            else if at("<!--") { guard skip(past: "-->") else { return false } }
            else { break }
            skipSpace()
        }
        if at("<!doctype html") { return true }
        guard at("<html") else { return false }
        let next = i + 5
        return next >= lower.count || [0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x3E].contains(lower[next])
    }

    private static func hasMarkdownExtension(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: ".") else { return false }
        let ext = name[name.index(after: dot)...].lowercased()
        return ["md", "markdown", "mdown", "mkd", "mkdn"].contains(ext)
    }

    /// EPUB and ODT by the stored `mimetype` entry their specifications put first (OCF 3.3
    /// §4.3, ODF 1.3 part 2 §3.3); a Word document when an entry lives under `word/`, and EPUB
    /// without the `mimetype` entry by `META-INF/container.xml` (central directory first, then
    /// local headers as a fallback for archives without a readable directory).
    private static func zipDocumentType(_ bytes: some Collection<UInt8>) -> MediaType {
        let check: (UnsafeBufferPointer<UInt8>) -> MediaType = { buf in
            // Local header: name length at 26, extra length at 28, name at 30, data after both.
            if buf.count > 38, Array(buf[30..<38]) == Array("mimetype".utf8), buf[26] == 8, buf[27] == 0 {
                let dataStart = 38 + (Int(buf[28]) | Int(buf[29]) << 8)
                let data = buf.count > dataStart ? Array(buf[dataStart..<min(buf.count, dataStart + 64)]) : []
                if data.starts(with: Array("application/epub+zip".utf8)) { return .epub }
                if data.starts(with: Array("application/vnd.oasis.opendocument.text".utf8)),
                   !data.starts(with: Array("application/vnd.oasis.opendocument.text-".utf8)) { return .odt }
            }
            let names = ZipNames(buf)
            let all = names.centralDirectory() ?? names.localHeaders()
            if all.contains(where: { $0.starts(with: Array("word/".utf8)) }) { return .docx }
            if all.contains(Array("META-INF/container.xml".utf8)) { return .epub }
            return .zip
        }
        if let result = bytes.withContiguousStorageIfAvailable(check) { return result }
        return Array(bytes).withUnsafeBufferPointer(check)
    }
}

/// Entry names of a ZIP archive, every read bounds-checked.
private struct ZipNames {
    let b: UnsafeBufferPointer<UInt8>
    init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    private func u16(_ o: Int) -> Int? { o >= 0 && o + 2 <= b.count ? Int(b[o]) | Int(b[o + 1]) << 8 : nil }
    private func u32(_ o: Int) -> Int? {
        guard let lo = u16(o), let hi = u16(o + 2) else { return nil }
        return lo | hi << 16
    }
    private func name(_ o: Int, _ n: Int) -> [UInt8]? { o >= 0 && o + n <= b.count ? Array(b[o..<o + n]) : nil }

    func centralDirectory() -> [[UInt8]]? {
        guard b.count >= 22 else { return nil }
        var eocd = b.count - 22
        let lowest = max(0, b.count - 22 - 65535)
        while eocd >= lowest && u32(eocd) != 0x0605_4B50 { eocd -= 1 }
        guard eocd >= lowest, let total = u16(eocd + 10), var o = u32(eocd + 16) else { return nil }
        var names: [[UInt8]] = []
        for _ in 0..<total {
            guard u32(o) == 0x0201_4B50, let n = u16(o + 28), let e = u16(o + 30), let c = u16(o + 32),
                  let entry = name(o + 46, n) else { return nil }
            names.append(entry)
            o += 46 + n + e + c
        }
        return names
    }

    func localHeaders() -> [[UInt8]] {
        var names: [[UInt8]] = []
        var o = 0
        while names.count < 65536, u32(o) == 0x0403_4B50, let flags = u16(o + 6), let size = u32(o + 18),
              let n = u16(o + 26), let e = u16(o + 28), let entry = name(o + 30, n) {
            names.append(entry)
            if flags & 0x08 != 0 && size == 0 { break }  // size only in a trailing data descriptor
            o += 30 + n + e + size
        }
        return names
    }
}
