/// One entry of an evaluation suite.
public struct TransformCase: Sendable, Hashable, Codable {
    public let transform: ImageTransform
    public let family: TransformFamily
    /// Groups cases of the same operation for detection-vs-strength plots (e.g. `crop-center`,
    /// `jpeg`, `rotate`).
    public let kind: String
    /// The operation's main parameter in its natural unit (JPEG: 100 − quality; crop: percent
    /// removed; rotate: degrees; …): larger is harsher within a `kind`.
    public let strength: Double
    /// Seed for this case's `SeededGenerator` (mix in a work id with `SeededGenerator.derive`).
    public let seed: UInt64

    public var name: String { transform.name }
}

/// The list of transforms the evaluator runs every work through.
public struct TransformSuite: Sendable, Hashable, Codable {
    public let cases: [TransformCase]

    public init(cases: [TransformCase]) {
        self.cases = cases
    }

    public func cases(in family: TransformFamily) -> [TransformCase] {
        cases.filter { $0.family == family }
    }

    /// The standard suite spanning the strength ranges of issue 7. `seed` fixes the positions of
    /// the off-centre crops and each case's own seed; names stay unique for a given seed.
    public static func standard(seed: UInt64) -> TransformSuite {
        var rng = SeededGenerator(seed: seed)
        var list: [(ImageTransform, String, Double)] = []
        func add(_ t: ImageTransform, _ kind: String, _ strength: Double) { list.append((t, kind, strength)) }

        // Photometric.
        for q in [90, 70, 50, 30] { add(.jpeg(quality: q), "jpeg", Double(100 - q)) }
        for s in [0.3, 0.5, 0.75] { add(.resize(scale: s, filter: .area), "downscale", 1 / s) }
        for s in [1.5, 2.0] { add(.resize(scale: s, filter: .bilinear), "upscale", s) }
        for s in [1.0, 2.0, 4.0] { add(.blur(sigma: s), "blur", s) }
        for s in [5.0, 10.0, 20.0] { add(.noise(sigma: s), "noise", s) }
        for b in [0.2, -0.2] { add(.brightness(b), "brightness", abs(b)) }
        for c in [0.6, 1.5] { add(.contrast(c), "contrast", abs(c - 1)) }
        for g in [0.6, 1.6] { add(.gamma(g), "gamma", abs(g - 1)) }
        add(.greyscale, "greyscale", 1)
        for d in [45.0, 90.0, 180.0] { add(.hueRotate(degrees: d), "hue", d) }
        add(.caption(text: "When the machines dream in colour", bandFraction: 0.12), "caption", 12)
        for o in [0.3, 0.5] { add(.watermark(text: "© STOCK SAMPLE", opacity: o), "watermark", o * 100) }

        // Geometric.
        add(.flipHorizontal, "flip-h", 1)
        for f in [0.05, 0.1, 0.2, 0.3, 0.4] { add(.crop(anchor: .center, fraction: f), "crop-center", f * 100) }
        add(.crop(anchor: .topLeft, fraction: 0.2), "crop-corner", 20)
        add(.crop(anchor: .bottomRight, fraction: 0.3), "crop-corner", 30)
        for f in [0.1, 0.2, 0.3, 0.4] {
            // Off-centre window: same size as the centre crop, placed at a seeded offset.
            let x = (Double(rng.nextInt(in: 0...100)) / 100 * f * 100).rounded() / 100
            let y = (Double(rng.nextInt(in: 0...100)) / 100 * f * 100).rounded() / 100
            add(.cropRect(x: x, y: y, width: 1 - f, height: 1 - f), "crop-offcentre", f * 100)
        }
        add(.pad(fraction: 0.05, colour: .white), "pad", 5)
        add(.pad(fraction: 0.15, colour: .black), "pad", 15)
        for d in [2.0, 5.0, 10.0, 15.0] { add(.rotate(degrees: d, mode: .keepSize, fill: .black), "rotate", d) }
        for d in [-5.0, 15.0] { add(.rotate(degrees: d, mode: .innerCrop, fill: .black), "rotate-inner", abs(d)) }
        add(.aspect(x: 1.3, y: 1.0), "aspect", 30)
        add(.aspect(x: 1.0, y: 0.7), "aspect", 30)
        add(.aspect(x: 0.8, y: 1.2), "aspect", 40)
        add(.perspective(edge: .top, amount: 0.1), "perspective", 10)
        add(.perspective(edge: .left, amount: 0.2), "perspective", 20)
        add(.perspective(edge: .bottom, amount: 0.3), "perspective", 30)

        // Regenerative.
        for l in [8, 4, 3] { add(.posterise(levels: l), "posterise", Double(256 / l)) }
        add(.stylise(passes: 1, levels: 8), "stylise", 1)
        add(.stylise(passes: 3, levels: 5), "stylise", 3)
        add(.channelPermutation(.bgr), "channels", 1)
        add(.channelPermutation(.gbr), "channels", 1)
        add(.gradientMap(dark: RGBColour(r: 20, g: 24, b: 82), light: RGBColour(r: 255, g: 236, b: 200)),
            "duotone", 1)
        let offX = Double(rng.nextInt(in: 0...20)) / 100, offY = Double(rng.nextInt(in: 0...20)) / 100
        add(.pipeline([.crop(anchor: .center, fraction: 0.1), .flipHorizontal, .hueRotate(degrees: 30),
                       .jpeg(quality: 70)]), "combo", 1)
        add(.pipeline([.cropRect(x: offX, y: offY, width: 0.8, height: 0.8), .flipHorizontal,
                       .gradientMap(dark: RGBColour(r: 40, g: 0, b: 60), light: RGBColour(r: 250, g: 250, b: 210)),
                       .jpeg(quality: 50)]), "combo", 2)
        add(.pipeline([.resize(scale: 0.5, filter: .area), .stylise(passes: 2, levels: 6), .jpeg(quality: 60)]),
            "combo", 2)
        add(.pipeline([.rotate(degrees: 5, mode: .innerCrop, fill: .black), .crop(anchor: .center, fraction: 0.15),
                       .channelPermutation(.bgr), .jpeg(quality: 75)]), "combo", 3)
        // Re-renderings the image descriptor never trained on (oil, dither) or trained on another
        // algorithm's version of (sketch): RegenerativeOps+Painterly.swift.
        add(.oilPaint(radius: 3), "oil", 3)
        add(.pipeline([.oilPaint(radius: 6), .jpeg(quality: 80)]), "oil", 6)
        add(.pencilSketch(sigma: 6), "sketch", 6)
        add(.pipeline([.flipHorizontal, .pencilSketch(sigma: 12), .jpeg(quality: 75)]), "sketch", 12)
        add(.dither(levels: 2), "dither", 2)
        add(.pipeline([.resize(scale: 0.5, filter: .area), .dither(levels: 3)]), "dither", 3)

        let cases = list.enumerated().map { index, entry in
            TransformCase(transform: entry.0, family: entry.0.family, kind: entry.1, strength: entry.2,
                          seed: SeededGenerator.derive(seed, UInt64(index)))
        }
        return TransformSuite(cases: cases)
    }
}
