import HashmarkFingerprint
import HashmarkTransforms

/// Small synthetic test images built in code (no fixtures needed).
enum Synthetic {
    /// Every pixel distinct-ish: R follows x, G follows y, B mixes both.
    static func gradient(_ w: Int, _ h: Int) -> RGBImage {
        var px = [UInt8]()
        px.reserveCapacity(w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                px.append(UInt8((x * 255) / max(1, w - 1)))
                px.append(UInt8((y * 255) / max(1, h - 1)))
                px.append(UInt8(((x * 7 + y * 13) * 3) % 256))
            }
        }
        return RGBImage(width: w, height: h, pixels: px)!
    }

    static func checkerboard(_ w: Int, _ h: Int, cell: Int) -> RGBImage {
        var px = [UInt8]()
        for y in 0..<h {
            for x in 0..<w {
                let on = ((x / cell) + (y / cell)) % 2 == 0
                px.append(contentsOf: on ? [230, 40, 20] : [10, 60, 200])
            }
        }
        return RGBImage(width: w, height: h, pixels: px)!
    }

    static func constant(_ w: Int, _ h: Int, _ c: RGBColour) -> RGBImage {
        RGBImage(width: w, height: h, pixels: Array(repeating: [c.r, c.g, c.b], count: w * h).flatMap { $0 })!
    }

    /// Seeded random pixels: every pixel unrelated to its neighbours, so a wrong coordinate
    /// mapping shows up as a large error.
    static func noise(_ w: Int, _ h: Int, seed: UInt64) -> RGBImage {
        var rng = SeededGenerator(seed: seed)
        return RGBImage(width: w, height: h, pixels: (0..<(w * h * 3)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })!
    }

    static func pixel(_ image: RGBImage, _ x: Int, _ y: Int) -> [UInt8] {
        let i = (y * image.width + x) * 3
        return Array(image.pixels[i..<(i + 3)])
    }

    static func maxAbsDiff(_ a: RGBImage, _ b: RGBImage) -> Int {
        zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }
}
