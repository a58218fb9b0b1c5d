import HashmarkFingerprint
import HashmarkTransforms
import Testing

/// The re-renderings the image descriptor never trained on: what each must do to a picture.
struct PainterlyTests {
    /// Kuwahara keeps flat areas flat and edges sharp: a checkerboard with 8-px cells stays the two
    /// colours (each pixel takes the mean of a window wholly inside its own cell), a flat image is unchanged.
    @Test func oilPaintKeepsFlatAreasAndEdges() throws {
        let flat = Synthetic.constant(20, 15, RGBColour(r: 90, g: 140, b: 30))
        #expect(try RegenerativeOps.oilPaint(flat, radius: 3) == flat)
        let board = Synthetic.checkerboard(32, 32, cell: 8)
        let out = try RegenerativeOps.oilPaint(board, radius: 3)
        #expect(Set(stride(from: 0, to: out.pixels.count, by: 3).map { out.pixels[$0] }) == [230, 10])
        let noisy = Synthetic.noise(24, 24, seed: 7)
        let smoothed = try RegenerativeOps.oilPaint(noisy, radius: 4)
        #expect(variance(smoothed) < variance(noisy) / 4, "noise is painted over")
        #expect(throws: TransformError.self) { try RegenerativeOps.oilPaint(flat, radius: 0) }
    }

    /// A pencil sketch is grey, white where the picture is flat, and dark only along edges.
    @Test func pencilSketchWhitensFlatAreasAndDrawsEdges() throws {
        let flat = Synthetic.constant(30, 30, RGBColour(r: 40, g: 120, b: 200))
        #expect(try RegenerativeOps.pencilSketch(flat, sigma: 4).pixels.allSatisfy { $0 >= 250 })
        let board = Synthetic.checkerboard(48, 48, cell: 16)
        let out = try RegenerativeOps.pencilSketch(board, sigma: 4)
        for i in stride(from: 0, to: out.pixels.count, by: 3) { #expect(out.pixels[i] == out.pixels[i + 1] && out.pixels[i] == out.pixels[i + 2]) }
        let centre = out.pixels[(8 * 48 + 8) * 3], edge = out.pixels[(8 * 48 + 16) * 3]
        #expect(centre > edge, "inside a cell \(centre), on its edge \(edge)")
    }

    /// Dithering leaves only `levels` values a channel, and their local mean follows the picture.
    @Test func ditherUsesOnlyItsLevels() throws {
        let g = Synthetic.gradient(64, 64)
        let two = try RegenerativeOps.dither(g, levels: 2)
        #expect(Set(two.pixels).isSubset(of: [0, 255]))
        #expect(Set(try RegenerativeOps.dither(g, levels: 3).pixels).isSubset(of: [0, 128, 255]))
        // The red channel follows x: the left quarter is mostly dark, the right quarter mostly light.
        func meanRed(_ x0: Int, _ x1: Int) -> Double {
            var s = 0.0, n = 0.0
            for y in 0..<64 { for x in x0..<x1 { s += Double(two.pixels[(y * 64 + x) * 3]); n += 1 } }
            return s / n
        }
        #expect(meanRed(0, 16) < 64 && meanRed(48, 64) > 191)
        #expect(throws: TransformError.self) { try RegenerativeOps.dither(g, levels: 1) }
    }

    @Test func theyAreInTheStandardSuiteAsRegenerativeEdits() {
        let names = TransformSuite.standard(seed: 1).cases.filter { $0.family == .regenerative }.map(\.transform.name)
        for name in ["oil-3", "sketch-6", "dither-2"] { #expect(names.contains(name)) }
    }

    func variance(_ image: RGBImage) -> Double {
        let v = image.pixels.map(Double.init)
        let mean = v.reduce(0, +) / Double(v.count)
        return v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count)
    }
}
