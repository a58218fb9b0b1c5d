@_spi(Testing) import HashmarkMedia
import Testing

/// Small files that ask for unbounded work or memory: refused, or decoded within the limits.
@Suite("Hostile input is bounded")
struct HostileInputTests {
    /// 896 valid progressive scans of an 8×8 image (make_many_scans.py): every scan would revisit
    /// every coefficient of the image, so scans × pixels is the work; libjpeg-turbo's limit is 500.
    @Test func progressiveJPEGWithTooManyScansIsRefused() throws {
        let bytes = try MediaFixtures.bytes("progressive-896-scans.jpg")
        let error = mediaError { _ = try ImageDecoder.decode(bytes) }
        #expect(error?.code == "too-many-scans", "\(String(describing: error))")
        #expect(error?.code == MediaError.Code.tooManyScans)
    }

    /// Below the limit a many-scan progressive JPEG still decodes (flat grey 128).
    @Test func progressiveJPEGWithManyScansUnderTheLimitDecodes() throws {
        let decoded = try ImageDecoder.decode(MediaFixtures.bytes("progressive-448-scans.jpg"))
        #expect(decoded.image.width == 8 && decoded.image.height == 8)
        #expect(decoded.image.pixels.allSatisfy { (127...129).contains($0) })
    }

    /// 100 zTXt chunks, each a real deflate bomb (7.2 MB of zeros in 45 kB), between IHDR and
    /// IDAT: libpng would inflate all of them (0.7 GB); they are dropped before it reads the file.
    @Test func compressedTextChunksNeverReachLibpng() throws {
        let plain = try MediaFixtures.bytes("rgb8.png")
        #expect(Array(plain[12..<16]) == Array("IHDR".utf8))
        let afterIHDR = 8 + 12 + 13
        let bomb = Self.chunk("zTXt", Array("Comment".utf8) + [0, 0] + Self.zlibZeros(matches: 28_000))
        let text = Self.chunk("tEXt", Array("Title\u{0}x".utf8)) + Self.chunk("iTXt", Array("T".utf8) + [0, 0, 0, 0, 0] + Array("y".utf8))
        let hostile = Array(plain[..<afterIHDR]) + Array([[UInt8]](repeating: bomb, count: 100).joined()) + text
            + Array(plain[afterIHDR...])
        #expect(PNGChunks.forLibpng(hostile) == plain)
        #expect(PNGChunks.forLibpng(plain) == nil)
        #expect(try ImageDecoder.decode(hostile) == ImageDecoder.decode(plain))
        // Cut inside a text chunk: the walk stops there and the rest reaches libpng as it was.
        let cut = Array(hostile[..<(afterIHDR + bomb.count + 100)])
        #expect(PNGChunks.forLibpng(cut) == Array(plain[..<afterIHDR]) + Array(cut[(afterIHDR + bomb.count)...]))
        #expect(mediaError { _ = try ImageDecoder.decode(cut) }?.code == "truncated")
    }

    /// 100 iCCP chunks, each a 7.2 MB profile (a valid header, then zeros) in 45 kB, which libpng
    /// inflates in full: only the first reaches libpng, and the pixels are those of the plain file.
    @Test func onlyTheFirstICCPChunkReachesLibpng() throws {
        let plain = try MediaFixtures.bytes("rgb8.png")
        let afterIHDR = 8 + 12 + 13
        let matches = 28_000
        var header = [UInt8](repeating: 0, count: 132)
        func put(_ bytes: [UInt8], at offset: Int) { header.replaceSubrange(offset..<offset + bytes.count, with: bytes) }
        put(Self.bigEndian(UInt32(132 + 1 + 258 * matches)), at: 0)
        put(Array("lcms".utf8), at: 4); header[8] = 2
        put(Array("mntrRGB XYZ ".utf8), at: 12); put(Array("acsp".utf8), at: 36)
        put(Self.bigEndian(0xF6D6) + Self.bigEndian(0x10000) + Self.bigEndian(0xD32D), at: 68)  // D50
        let profile = Self.chunk("iCCP", Array("icc".utf8) + [0, 0] + Self.zlibZeros(matches: matches, after: header))
        let hostile = Array(plain[..<afterIHDR]) + Array([[UInt8]](repeating: profile, count: 100).joined())
            + Array(plain[afterIHDR...])
        let expected = Array(plain[..<afterIHDR]) + profile + Array(plain[afterIHDR...])
        #expect(PNGChunks.forLibpng(hostile) == expected)
        #expect(PNGChunks.forLibpng(expected) == nil)
        #expect(try ImageDecoder.decode(hostile) == ImageDecoder.decode(plain))
    }

    /// An 8×8 image whose IDAT stream goes on with 12.9 MB of zeros in 81 kB: libpng would
    /// inflate all of it before warning "Too much image data" and returning the image.
    @Test func imageDataFarBeyondTheImageIsRefused() throws {
        let ihdr = Self.chunk("IHDR", Self.bigEndian(8) + Self.bigEndian(8) + [8, 2, 0, 0, 0])
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let end = Self.chunk("IEND", [])
        // 8 rows of (filter 0, 24 zero bytes) are the first 200 of the zeros.
        let hostile = signature + ihdr + Self.chunk("IDAT", Self.zlibZeros(matches: 50_000)) + end
        let data = try #require(PNGChunks.imageData(hostile))
        #expect(data.compressed > 80_000 && data.budget < 70_000)
        #expect(mediaError { _ = try ImageDecoder.decode(hostile) }?.code == "corrupt-image")
        // The same image with exactly its data decodes (black).
        let exact = signature + ihdr + Self.chunk("IDAT", Self.zlibZeros(matches: 0, after: [UInt8](repeating: 0, count: 199))) + end
        let decoded = try ImageDecoder.decode(exact)
        #expect(decoded.image.width == 8 && decoded.image.pixels.allSatisfy { $0 == 0 })
    }

    /// A PNG chunk with its CRC-32.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in body {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        crc ^= 0xFFFF_FFFF
        let n = UInt32(data.count)
        return [UInt8(n >> 24), UInt8(n >> 16 & 255), UInt8(n >> 8 & 255), UInt8(n & 255)] + body
            + [UInt8(crc >> 24), UInt8(crc >> 16 & 255), UInt8(crc >> 8 & 255), UInt8(crc & 255)]
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)] }

    /// A zlib stream of `prefix`, then 1 + 258 × `matches` zero bytes: literals, then
    /// (length 258, distance 1) pairs in a fixed-Huffman block, 13 bits for 258 bytes.
    static func zlibZeros(matches: Int, after prefix: [UInt8] = []) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var bits: UInt64 = 0, count = 0
        func put(_ value: UInt64, _ n: Int) {  // LSB first
            bits |= value << UInt64(count); count += n
            while count >= 8 { out.append(UInt8(bits & 255)); bits >>= 8; count -= 8 }
        }
        func code(_ value: UInt64, _ n: Int) {  // Huffman codes go MSB first
            var reversed: UInt64 = 0
            for k in 0..<n { reversed |= (value >> UInt64(k) & 1) << UInt64(n - 1 - k) }
            put(reversed, n)
        }
        put(1, 1); put(1, 2)                   // final block, fixed Huffman
        for byte in prefix { byte < 144 ? code(0x30 + UInt64(byte), 8) : code(0x190 + UInt64(byte - 144), 9) }
        code(0x30, 8)                          // literal 0
        for _ in 0..<matches { code(0xC5, 8); code(0, 5) }  // length 258 (code 285), distance 1
        code(0, 7)                             // end of block
        if count > 0 { put(0, 8 - count) }
        var a: UInt64 = 1, b: UInt64 = 0
        for byte in prefix { a = (a + UInt64(byte)) % 65521; b = (b + a) % 65521 }
        b = (b + a * UInt64(1 + 258 * matches)) % 65521  // zeros leave a as it is
        return out + bigEndian(UInt32(b << 16 | a))
    }
}
