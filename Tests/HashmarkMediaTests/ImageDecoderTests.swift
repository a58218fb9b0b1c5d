import HashmarkFingerprint
import HashmarkMedia
import Testing

@Suite("Image decoding against Pillow")
struct ImageDecoderTests {
    static let goodFiles = MediaFixtures.names { $0.width != nil && $0.exifOrientation == nil }
    static let orientationFiles = MediaFixtures.names { $0.exifOrientation != nil }

    @Test func fixturesArePresent() {
        #expect(Self.goodFiles.count >= 12)
        #expect(Self.orientationFiles.count == 9)
    }

    /// Size, sampled pixels within tolerance and, for lossless files, the whole buffer's digest.
    static func check(_ decoded: DecodedImage, against e: MediaFixtures.Expectation, _ name: String) {
        #expect(decoded.image.width == e.width, "\(name) width")
        #expect(decoded.image.height == e.height, "\(name) height")
        #expect(decoded.image.pixels.count == decoded.image.width * decoded.image.height * 3)
        let tolerance = e.tolerance ?? 0
        for s in e.samples ?? [] where s[0] < decoded.image.width && s[1] < decoded.image.height {
            let o = (s[1] * decoded.image.width + s[0]) * 3
            for c in 0..<3 {
                let got = Int(decoded.image.pixels[o + c])
                #expect(abs(got - s[2 + c]) <= tolerance, "\(name) pixel (\(s[0]),\(s[1])) channel \(c): \(got) vs \(s[2 + c])")
            }
        }
        if let digest = e.fnv1a64 {
            #expect(MediaFixtures.fnv1a64(decoded.image.pixels) == digest, "\(name) differs from Pillow's pixels")
        }
    }

    @Test(arguments: goodFiles)
    func decodesLikePillow(_ name: String) throws {
        let e = try #require(MediaFixtures.expected[name])
        let decoded = try ImageDecoder.decode(MediaFixtures.bytes(name))
        #expect(decoded.format.rawValue == e.format)
        #expect(decoded.scaleDenominator == 1)
        #expect(decoded.originalWidth == e.width && decoded.originalHeight == e.height)
        Self.check(decoded, against: e, name)
    }

    @Test(arguments: orientationFiles)
    func appliesEXIFOrientation(_ name: String) throws {
        let e = try #require(MediaFixtures.expected[name])
        let bytes = try MediaFixtures.bytes(name)
        #expect(EXIFOrientation.read(jpeg: bytes) == e.exifOrientation)
        let decoded = try ImageDecoder.decode(bytes)
        #expect(decoded.exifOrientation == e.exifOrientation)
        #expect(decoded.originalWidth == e.width && decoded.originalHeight == e.height)
        Self.check(decoded, against: e, name)
    }

    @Test(arguments: [(2, 226), (4, 113), (8, 57)])
    func scaledJPEGMatchesPillowDraft(_ denominator: Int, _ minimumSide: Int) throws {
        let e = try #require(MediaFixtures.expected["chelsea.jpg"]?.scaled?[String(denominator)])
        // chelsea is 451×300; minimumSide counts against the shorter side (300).
        let side = 300 / denominator
        let decoded = try ImageDecoder.decode(MediaFixtures.bytes("chelsea.jpg"), minimumSide: side)
        #expect(decoded.scaleDenominator == denominator)
        #expect(decoded.originalWidth == 451 && decoded.originalHeight == 300)
        #expect(decoded.image.width == minimumSide)
        Self.check(decoded, against: e, "chelsea.jpg at 1/\(denominator)")
    }

    @Test func minimumSideNeverGoesBelowTheRequest() throws {
        let bytes = try MediaFixtures.bytes("chelsea.jpg")
        for side in [1, 37, 38, 39, 75, 76, 150, 151, 299, 300, 301, 512] {
            let decoded = try ImageDecoder.decode(bytes, minimumSide: side)
            let shorter = min(decoded.image.width, decoded.image.height)
            #expect(shorter >= min(side, 300), "minimumSide \(side) gave \(shorter)")
            // The next finer scale was not needed: a coarser one would have gone below `side`.
            let coarser = decoded.scaleDenominator * 2
            if coarser <= 8 { #expect((300 + coarser - 1) / coarser < side) }
        }
    }

    @Test func otherFormatsIgnoreMinimumSide() throws {
        let decoded = try ImageDecoder.decode(MediaFixtures.bytes("rgb8.png"), minimumSide: 8)
        #expect(decoded.scaleDenominator == 1 && decoded.image.width == 64)
    }

    @Test func decodesFromAPath() throws {
        let decoded = try ImageDecoder.decode(contentsOfFile: MediaFixtures.path("palette.png"))
        #expect(decoded.format == .png && decoded.image.width == 64 && decoded.image.height == 43)
    }

    @Test func jpegEncoderRoundTrips() throws {
        let original = try ImageDecoder.decode(MediaFixtures.bytes("rgb8.png")).image
        var previousSize = 0
        var previousError = Int.max
        for quality in [20, 60, 95] {
            let jpeg = try JPEGEncoder.encode(original, quality: quality)
            #expect(MediaType.sniff(jpeg, fileName: nil) == .jpeg)
            let back = try ImageDecoder.decode(jpeg).image
            #expect(back.width == original.width && back.height == original.height)
            let error = zip(back.pixels, original.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
            #expect(jpeg.count > previousSize, "higher quality, bigger file")
            #expect(error < previousError, "higher quality, closer pixels")
            previousSize = jpeg.count
            previousError = error
        }
        #expect(throws: MediaError.self) { try JPEGEncoder.encode(original, quality: 0) }
    }
}
