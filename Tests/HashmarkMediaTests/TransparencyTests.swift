import Foundation
import HashmarkFingerprint
import HashmarkMedia
import Testing

/// The decoders keep a transparent file's alpha plane beside its white composite, and
/// `composited(over:)` shows it over another background as Pillow's `alpha_composite` does
/// (values below from Pillow 10: `Image.new("RGBA", size, bg).alpha_composite(im)`).
@Suite("Transparent images")
struct TransparencyTests {
    /// (file, share of pixels under half opacity, [(x, y, over black, over (200, 30, 30))]).
    static let cases: [(String, Double, [(Int, Int, [Int], [Int])])] = [
        ("grey-alpha.png", 0.5451, [(40, 42, [2, 2, 2], [197, 32, 32]), (8, 44, [54, 54, 54], [107, 62, 62]),
                                    (5, 42, [0, 0, 0], [200, 30, 30]), (9, 44, [84, 84, 84], [84, 84, 84])]),
        ("alpha.webp", 0.5451, [(31, 13, [0, 3, 0], [157, 26, 24]), (8, 44, [0, 92, 0], [53, 100, 8]),
                                (5, 42, [0, 0, 0], [200, 30, 30])]),
    ]

    @Test func alphaPlaneAndCompositesMatchPillow() throws {
        for (name, fraction, samples) in Self.cases {
            let decoded = try ImageDecoder.decode(MediaFixtures.bytes(name))
            let alpha = try #require(decoded.alpha, "\(name) has transparent pixels")
            #expect(alpha.count == decoded.image.width * decoded.image.height)
            #expect(abs(decoded.transparentFraction - fraction) < 1e-3, "\(name)")
            let black = decoded.composited(over: (r: 0, g: 0, b: 0))
            let red = decoded.composited(over: (r: 200, g: 30, b: 30))
            for (x, y, overBlack, overRed) in samples {
                let o = (y * decoded.image.width + x) * 3
                for c in 0..<3 {
                    // One level for the white composite's rounding, one for ours.
                    #expect(abs(Int(black.pixels[o + c]) - overBlack[c]) <= 2, "\(name) (\(x),\(y)) over black")
                    #expect(abs(Int(red.pixels[o + c]) - overRed[c]) <= 2, "\(name) (\(x),\(y)) over red")
                }
            }
        }
    }

    @Test func opaqueFilesHaveNoAlphaPlane() throws {
        for name in ["rgb8.png", "chelsea.jpg", "lossy.webp", "interlaced.gif", "palette.png"] {
            let decoded = try ImageDecoder.decode(MediaFixtures.bytes(name))
            #expect(decoded.alpha == nil, "\(name)")
            #expect(decoded.transparentFraction == 0)
            #expect(decoded.composited(over: (r: 0, g: 0, b: 0)) == decoded.image, "\(name): nothing to composite")
        }
    }

    @Test func aBackgroundOfAnotherSizeIsRefused() throws {
        let decoded = try ImageDecoder.decode(MediaFixtures.bytes("grey-alpha.png"))
        let small = try #require(RGBImage(width: 2, height: 2, pixels: [UInt8](repeating: 0, count: 12)))
        #expect(decoded.composited(over: small) == nil)
    }
}
