import HashmarkFingerprint

/// A permutation of the colour channels: the letters say which source channel feeds output
/// R, G and B (e.g. `bgr` swaps red and blue).
public enum ChannelOrder: String, Sendable, Hashable, Codable, CaseIterable {
    case rgb, rbg, grb, gbr, brg, bgr

    var sourceIndices: (Int, Int, Int) {
        switch self {
        case .rgb: return (0, 1, 2)
        case .rbg: return (0, 2, 1)
        case .grb: return (1, 0, 2)
        case .gbr: return (1, 2, 0)
        case .brg: return (2, 0, 1)
        case .bgr: return (2, 1, 0)
        }
    }
}

/// Operations that imitate re-generation: the picture's structure survives, its pixel
/// statistics do not.
public enum RegenerativeOps {
    /// Quantises each channel to `levels` evenly spaced values (2…256) spanning 0…255.
    public static func posterise(_ image: RGBImage, levels: Int) throws(TransformError) -> RGBImage {
        guard levels >= 2, levels <= 256 else { throw .invalid("posterise levels \(levels) not in 2…256") }
        let steps = Double(levels - 1)
        let lut: [UInt8] = (0..<256).map { v in
            clampByte((Double(v) * steps / 255).rounded() * 255 / steps)
        }
        var out = image
        for i in out.pixels.indices { out.pixels[i] = lut[Int(image.pixels[i])] }
        return out
    }

    /// Cartoon-like stylisation: `passes` rounds of a 3×3 per-channel median (flattens texture,
    /// keeps edges), posterisation to `levels`, then dark outlines where the Sobel gradient of
    /// the smoothed luma exceeds `edgeThreshold`.
    public static func stylise(_ image: RGBImage, passes: Int, levels: Int,
                               edgeThreshold: Double = 96) throws(TransformError) -> RGBImage {
        guard passes >= 0, passes <= 20 else { throw .invalid("stylise passes \(passes) not in 0…20") }
        var smooth = image
        for _ in 0..<passes { smooth = median3x3(smooth) }
        var out = try posterise(smooth, levels: levels)
        let w = image.width, h = image.height
        var lum = [Double](repeating: 0, count: w * h)
        for p in 0..<(w * h) { lum[p] = PhotometricOps.luma(smooth.pixels, p * 3) }
        func l(_ x: Int, _ y: Int) -> Double { lum[min(max(y, 0), h - 1) * w + min(max(x, 0), w - 1)] }
        for y in 0..<h {
            for x in 0..<w {
                let gx = l(x + 1, y - 1) + 2 * l(x + 1, y) + l(x + 1, y + 1)
                    - l(x - 1, y - 1) - 2 * l(x - 1, y) - l(x - 1, y + 1)
                let gy = l(x - 1, y + 1) + 2 * l(x, y + 1) + l(x + 1, y + 1)
                    - l(x - 1, y - 1) - 2 * l(x, y - 1) - l(x + 1, y - 1)
                if (gx * gx + gy * gy).squareRoot() > edgeThreshold {
                    let i = (y * w + x) * 3
                    for c in 0..<3 { out.pixels[i + c] = UInt8(Int(out.pixels[i + c]) * 3 / 10) }
                }
            }
        }
        return out
    }

    /// 3×3 median per channel, edges clamped.
    static func median3x3(_ image: RGBImage) -> RGBImage {
        let w = image.width, h = image.height
        var out = image
        var window = [UInt8](repeating: 0, count: 9)
        for y in 0..<h {
            for x in 0..<w {
                for c in 0..<3 {
                    var k = 0
                    for dy in -1...1 {
                        let yy = min(max(y + dy, 0), h - 1)
                        for dx in -1...1 {
                            let xx = min(max(x + dx, 0), w - 1)
                            window[k] = image.pixels[(yy * w + xx) * 3 + c]
                            k += 1
                        }
                    }
                    // Insertion sort of nine bytes.
                    for i in 1..<9 {
                        let v = window[i]
                        var j = i - 1
                        while j >= 0, window[j] > v {
                            window[j + 1] = window[j]
                            j -= 1
                        }
                        window[j + 1] = v
                    }
                    out.pixels[(y * w + x) * 3 + c] = window[4]
                }
            }
        }
        return out
    }

    public static func permuteChannels(_ image: RGBImage, _ order: ChannelOrder) -> RGBImage {
        let (a, b, c) = order.sourceIndices
        var out = image
        for i in stride(from: 0, to: out.pixels.count, by: 3) {
            out.pixels[i] = image.pixels[i + a]
            out.pixels[i + 1] = image.pixels[i + b]
            out.pixels[i + 2] = image.pixels[i + c]
        }
        return out
    }

    /// Palette remap ("duotone" gradient map): each pixel's luma picks a colour on the line
    /// from `dark` (luma 0) to `light` (luma 255).
    public static func gradientMap(_ image: RGBImage, dark: RGBColour, light: RGBColour) -> RGBImage {
        var out = image
        for i in stride(from: 0, to: out.pixels.count, by: 3) {
            let t = PhotometricOps.luma(image.pixels, i) / 255
            out.pixels[i] = clampByte(Double(dark.r) + (Double(light.r) - Double(dark.r)) * t)
            out.pixels[i + 1] = clampByte(Double(dark.g) + (Double(light.g) - Double(dark.g)) * t)
            out.pixels[i + 2] = clampByte(Double(dark.b) + (Double(light.b) - Double(dark.b)) * t)
        }
        return out
    }
}
