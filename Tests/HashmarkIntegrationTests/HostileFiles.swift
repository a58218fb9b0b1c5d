import Foundation
import HashmarkTransforms

/// A seeded generator of hostile inputs built from the media fixtures: truncations at every
/// structural boundary and at even steps, huge and zero dimensions, bad chunk and segment
/// lengths, bit flips, deep nesting, broken encodings, NUL bytes, a 64 MiB single line.
enum HostileFiles {
    static let media = CLI.repoRoot.appendingPathComponent("Tests/Fixtures/media")
    static let images = ["chelsea.jpg", "progressive.jpg", "cmyk.jpg", "grey.jpg", "rgb8.png", "rgb8-interlaced.png",
                         "palette.png", "rgba.png", "rgb16.png", "lossy.webp", "lossless.webp", "alpha.webp",
                         "interlaced.gif"]

    /// (inbox name, bytes). Names are unique.
    static func generate(seed: UInt64 = 14) throws -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        var rng = SeededGenerator(seed: seed)
        for fixture in images {
            let bytes = try [UInt8](Data(contentsOf: media.appendingPathComponent(fixture)))
            let stem = fixture.replacingOccurrences(of: ".", with: "-")
            // Truncations: at every structural boundary found, and at 16 even steps.
            var cuts = Set(boundaries(bytes).filter { $0 > 0 && $0 < bytes.count })
            for step in 1..<16 { cuts.insert(bytes.count * step / 16) }
            for cut in cuts.sorted().prefix(40) { out.append(("trunc-\(stem)-\(cut)", Array(bytes.prefix(cut)))) }
            // Bit flips and byte smashes.
            for i in 0..<8 {
                var damaged = bytes
                for _ in 0..<(1 + i * 3) {
                    let at = Int(rng.next() % UInt64(damaged.count))
                    damaged[at] = i % 2 == 0 ? damaged[at] ^ UInt8(1 << (rng.next() % 8)) : UInt8(truncatingIfNeeded: rng.next())
                }
                out.append(("flip-\(stem)-\(i)", damaged))
            }
            // Dimension and length fields set to extremes.
            for (index, variant) in extremes(bytes).enumerated() { out.append(("field-\(stem)-\(index)", variant)) }
        }
        // Texts: nesting, bombs, encodings, NULs.
        let mega = 1 << 20
        out.append(("nest-div.html", Array(String(repeating: "<div>", count: 100_000).utf8)))
        out.append(("nest-quote.md", Array(String(repeating: ">", count: mega).utf8) + Array(" text".utf8)))
        out.append(("brackets.md", Array(String(repeating: "[", count: mega).utf8)))
        out.append(("links.md", Array(String(repeating: "x [a](", count: mega / 6).utf8)))
        out.append(("images.md", Array(String(repeating: "![", count: mega / 2).utf8)))
        out.append(("comment.html", Array("<p>".utf8) + Array(String(repeating: "<!--", count: mega / 4).utf8)))
        out.append(("quotes.html", Array(String(repeating: "<a \"", count: mega / 4).utf8)))
        out.append(("script.html", Array("<html><script>".utf8) + Array(String(repeating: "<", count: mega).utf8)))
        out.append(("entities.html", Array("<p>".utf8) + Array(String(repeating: "&abcdefghijk", count: mega / 12).utf8)))
        out.append(("lt.html", Array("<html>".utf8) + Array(String(repeating: "<", count: mega).utf8)))
        out.append(("utf16-odd.txt", [0xFF, 0xFE, 0x41, 0x00, 0x42]))
        out.append(("utf16-lone-surrogate.txt", [0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00]))
        out.append(("utf16be-lone-low.txt", [0xFE, 0xFF, 0xDC, 0x00]))
        out.append(("utf8-bom-broken.txt", [0xEF, 0xBB, 0xBF, 0xC3, 0x28]))
        out.append(("utf8-overlong.txt", Array("abc ".utf8) + [0xC0, 0xAF, 0xE0, 0x80, 0xAF] + Array(" café".utf8)))
        out.append(("nul-bytes.txt", Array("text with\0nul\0bytes".utf8)))
        out.append(("all-nul.bin", [UInt8](repeating: 0, count: 4096)))
        out.append(("empty", []))
        for i in 0..<20 {
            var noise = (0..<(64 + i * 97)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if i % 2 == 0 { noise += Array(" é ".utf8) }
            out.append(("noise-\(i).txt", noise))
        }
        for magic in [[0xFF, 0xD8, 0xFF], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], Array("RIFF\0\0\0\0WEBPVP8 ".utf8),
                      Array("GIF89a".utf8), Array("%PDF-1.7".utf8), [0x50, 0x4B, 0x03, 0x04], Array("BM".utf8)] as [[UInt8]] {
            out.append(("magic-only-\(magic.count)-\(magic[0])", magic))
        }
        return out
    }

    /// Offsets where a JPEG segment, PNG chunk, RIFF chunk or GIF block begins.
    static func boundaries(_ b: [UInt8]) -> [Int] {
        var result: [Int] = []
        if b.starts(with: [0xFF, 0xD8]) {
            var i = 2
            while i + 4 <= b.count, b[i] == 0xFF {
                result.append(i)
                let marker = b[i + 1]
                if marker == 0xDA { result += [i + 4, i + 40, i + 400].filter { $0 < b.count }; break }
                i += 2 + (Int(b[i + 2]) << 8 | Int(b[i + 3]))
            }
        } else if b.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
            var i = 8
            while i + 8 <= b.count {
                result += [i, i + 4, i + 8]
                let length = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
                i += 12 + length
            }
        } else if b.starts(with: Array("RIFF".utf8)) {
            var i = 12
            while i + 8 <= b.count {
                result += [i, i + 8]
                let length = Int(b[i + 4]) | Int(b[i + 5]) << 8 | Int(b[i + 6]) << 16 | Int(b[i + 7]) << 24
                i += 8 + length + (length & 1)
            }
        } else {
            result += [6, 10, 13]
        }
        return result
    }

    /// Copies with a dimension or length field set to 0, 1, 0xFFFF or 0xFFFFFFFF.
    static func extremes(_ b: [UInt8]) -> [[UInt8]] {
        var fields: [(offset: Int, width: Int)] = []
        if b.starts(with: [0xFF, 0xD8]) {
            var i = 2
            while i + 9 <= b.count, b[i] == 0xFF {
                let marker = b[i + 1]
                fields.append((i + 2, 2))                       // segment length
                if (0xC0...0xC3).contains(marker) { fields += [(i + 5, 2), (i + 7, 2)] }   // height, width
                if marker == 0xDA { break }
                i += 2 + (Int(b[i + 2]) << 8 | Int(b[i + 3]))
            }
        } else if b.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
            fields += [(16, 4), (20, 4)]                        // IHDR width, height
            var i = 8
            while i + 8 <= b.count {
                fields.append((i, 4))                           // chunk length
                let length = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
                i += 12 + length
            }
        } else if b.starts(with: Array("RIFF".utf8)) {
            fields += [(4, 4), (16, 4), (24, 3), (27, 3)]       // RIFF size, chunk size, VP8X canvas
        } else {
            fields += [(6, 2), (8, 2)]                          // GIF logical screen
        }
        var out: [[UInt8]] = []
        for field in fields.prefix(12) where field.offset + field.width <= b.count {
            for value in [0, 1, 0xFFFF_FFFF] as [UInt64] {
                var copy = b
                for k in 0..<field.width { copy[field.offset + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
                out.append(copy)
            }
        }
        return out
    }
}
