import HashmarkFingerprint
import HashmarkTransforms
import Testing

@Suite("Photometric and regenerative transforms")
struct PhotometricTests {
    let image = Synthetic.gradient(32, 24)

    @Test func greyscaleHasEqualChannels() {
        let g = PhotometricOps.greyscale(image)
        for i in stride(from: 0, to: g.pixels.count, by: 3) {
            #expect(g.pixels[i] == g.pixels[i + 1] && g.pixels[i + 1] == g.pixels[i + 2])
        }
        #expect(g != image)
    }

    @Test func toneIdentityAndDirection() throws {
        #expect(try PhotometricOps.tone(image) == image)
        #expect(try PhotometricOps.tone(image, brightness: 0) == image)
        let brighter = try PhotometricOps.tone(image, brightness: 0.2)
        #expect(zip(brighter.pixels, image.pixels).allSatisfy { $0 >= $1 })
        #expect(zip(brighter.pixels, image.pixels).contains { $0 > $1 })
        let lowContrast = try PhotometricOps.tone(image, contrast: 0.5)
        #expect(Set(lowContrast.pixels).max() ?? 255 < Set(image.pixels).max() ?? 0)
        let gamma = try PhotometricOps.tone(Synthetic.constant(2, 2, RGBColour(r: 64, g: 128, b: 255)), gamma: 0.5)
        // 255·(64/255)^0.5 = 127.75 → 128; 255·(128/255)^0.5 = 180.67 → 181.
        #expect(Array(gamma.pixels[0..<3]) == [128, 181, 255])
    }

    @Test func blurOfConstantIsConstantAndSmoothsEdges() throws {
        let c = Synthetic.constant(20, 15, RGBColour(r: 17, g: 200, b: 99))
        #expect(try PhotometricOps.gaussianBlur(c, sigma: 2.5) == c)
        let board = Synthetic.checkerboard(20, 20, cell: 1)
        let b = try PhotometricOps.gaussianBlur(board, sigma: 2)
        // A one-pixel checkerboard blurs to nearly its mean colour.
        let p = Synthetic.pixel(b, 10, 10)
        #expect(abs(Int(p[0]) - 120) <= 6 && abs(Int(p[2]) - 105) <= 6)
    }

    @Test func noiseIsSeededAndBounded() throws {
        var a = SeededGenerator(seed: 5), b = SeededGenerator(seed: 5), c = SeededGenerator(seed: 6)
        let n1 = try PhotometricOps.gaussianNoise(image, sigma: 10, rng: &a)
        let n2 = try PhotometricOps.gaussianNoise(image, sigma: 10, rng: &b)
        let n3 = try PhotometricOps.gaussianNoise(image, sigma: 10, rng: &c)
        #expect(n1 == n2)
        #expect(n1 != n3)
        let diffs = zip(n1.pixels, image.pixels).map { Double(Int($0) - Int($1)) }
        let mean = diffs.reduce(0, +) / Double(diffs.count)
        let sd = (diffs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(diffs.count)).squareRoot()
        #expect(abs(mean) < 2.5 && sd > 7 && sd < 12)
    }

    @Test func hueRotationKeepsGreysAndFullTurnIsNearIdentity() throws {
        let grey = Synthetic.constant(4, 4, RGBColour(r: 100, g: 100, b: 100))
        #expect(Synthetic.maxAbsDiff(try PhotometricOps.hueRotate(grey, degrees: 77), grey) <= 1)
        #expect(Synthetic.maxAbsDiff(try PhotometricOps.hueRotate(image, degrees: 360), image) <= 2)
        let red = Synthetic.constant(1, 1, RGBColour(r: 200, g: 40, b: 40))
        let turned = try PhotometricOps.hueRotate(red, degrees: 120)
        #expect(turned.pixels[0] < turned.pixels[1] || turned.pixels[0] < turned.pixels[2])
    }

    @Test func posteriseLimitsLevels() throws {
        let ramp = Synthetic.gradient(64, 64)
        for levels in [2, 3, 4, 8] {
            let p = try RegenerativeOps.posterise(ramp, levels: levels)
            let values = Set(p.pixels)
            #expect(values.count <= levels && values.count >= 2)
            #expect(values.contains(0) && values.contains(255))
        }
        #expect(throws: TransformError.self) { try RegenerativeOps.posterise(ramp, levels: 1) }
    }

    @Test func styliseFlattensAndOutlines() throws {
        let board = Synthetic.checkerboard(40, 40, cell: 10)
        let s = try RegenerativeOps.stylise(board, passes: 2, levels: 4)
        #expect(Set(stride(from: 0, to: s.pixels.count, by: 3).map { s.pixels[$0] }).count >= 3)
        // Cell interiors stay posterised colour; the cell boundary becomes dark.
        let inside = Synthetic.pixel(s, 5, 5), edge = Synthetic.pixel(s, 10, 5)
        #expect(Int(edge[0]) + Int(edge[1]) + Int(edge[2]) < Int(inside[0]) + Int(inside[1]) + Int(inside[2]))
    }

    @Test func channelPermutationAndDuotone() {
        let px = Synthetic.constant(2, 2, RGBColour(r: 1, g: 2, b: 3))
        #expect(Synthetic.pixel(RegenerativeOps.permuteChannels(px, .bgr), 0, 0) == [3, 2, 1])
        #expect(Synthetic.pixel(RegenerativeOps.permuteChannels(px, .gbr), 1, 1) == [2, 3, 1])
        #expect(RegenerativeOps.permuteChannels(px, .rgb) == px)
        let d = RegenerativeOps.gradientMap(Synthetic.constant(1, 1, .white), dark: .black,
                                            light: RGBColour(r: 10, g: 20, b: 30))
        #expect(Synthetic.pixel(d, 0, 0) == [10, 20, 30])
    }

    @Test func captionAndWatermarkDrawInk() throws {
        let base = Synthetic.constant(120, 80, RGBColour(r: 128, g: 128, b: 128))
        let c = try OverlayOps.caption(base, text: "HELLO", bandFraction: 0.2)
        // Top untouched, band darkened, some white ink inside the band.
        #expect(Synthetic.pixel(c, 5, 5) == [128, 128, 128])
        #expect(Synthetic.pixel(c, 1, 78) == [51, 51, 51])
        let band = (64..<80).flatMap { y in (0..<120).map { Synthetic.pixel(c, $0, y) } }
        #expect(band.filter { $0 == [255, 255, 255] }.count > 20)
        let w = try OverlayOps.watermark(base, text: "SAMPLE", opacity: 0.5)
        let changed = stride(from: 0, to: w.pixels.count, by: 3).filter { w.pixels[$0] != 128 }
        #expect(changed.count > 100 && changed.count < 120 * 80 / 2)
        #expect(w.pixels.allSatisfy { $0 == 128 || $0 == 192 })
    }
}
