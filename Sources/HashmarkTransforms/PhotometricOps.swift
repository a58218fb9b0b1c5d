#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HashmarkFingerprint

/// Photometric operations: pixel values change, geometry does not (the output→source map is
/// the identity).
public enum PhotometricOps {
    /// Separable Gaussian blur; kernel radius ⌈3σ⌉, edges extended (clamped). σ ≤ 0 returns
    /// the input.
    public static func gaussianBlur(_ image: RGBImage, sigma: Double) throws(TransformError) -> RGBImage {
        guard sigma.isFinite, sigma <= 200 else { throw .invalid("blur sigma \(sigma) not in (0, 200]") }
        guard sigma > 0 else { return image }
        let radius = Int((3 * sigma).rounded(.up))
        var kernel = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        let w = image.width, h = image.height
        // Horizontal pass into floats, vertical pass back to bytes.
        var tmp = [Double](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                var r = 0.0, g = 0.0, b = 0.0
                for (k, wt) in kernel.enumerated() {
                    let sx = min(max(x + k - radius, 0), w - 1)
                    let s = (y * w + sx) * 3
                    r += wt * Double(image.pixels[s])
                    g += wt * Double(image.pixels[s + 1])
                    b += wt * Double(image.pixels[s + 2])
                }
                let d = (y * w + x) * 3
                tmp[d] = r
                tmp[d + 1] = g
                tmp[d + 2] = b
            }
        }
        var out = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                var r = 0.0, g = 0.0, b = 0.0
                for (k, wt) in kernel.enumerated() {
                    let sy = min(max(y + k - radius, 0), h - 1)
                    let s = (sy * w + x) * 3
                    r += wt * tmp[s]
                    g += wt * tmp[s + 1]
                    b += wt * tmp[s + 2]
                }
                let d = (y * w + x) * 3
                out[d] = clampByte(r)
                out[d + 1] = clampByte(g)
                out[d + 2] = clampByte(b)
            }
        }
        return try makeImage(w, h, out)
    }

    /// Additive Gaussian noise, independent per channel, `sigma` in 8-bit levels; values clamp.
    public static func gaussianNoise(_ image: RGBImage, sigma: Double,
                                     rng: inout SeededGenerator) throws(TransformError) -> RGBImage {
        guard sigma.isFinite, sigma >= 0, sigma <= 255 else { throw .invalid("noise sigma \(sigma) not in [0, 255]") }
        var out = image
        for i in out.pixels.indices {
            out.pixels[i] = clampByte(Double(image.pixels[i]) + sigma * rng.nextGaussian())
        }
        return out
    }

    /// Tone curve applied in this order: gamma (`v' = 255·(v/255)^γ`), contrast about mid-grey
    /// (`(v − 127.5)·c + 127.5`), brightness offset (`+ b·255`). Identity: γ 1, c 1, b 0.
    public static func tone(_ image: RGBImage, brightness: Double = 0, contrast: Double = 1,
                            gamma: Double = 1) throws(TransformError) -> RGBImage {
        guard brightness.isFinite, abs(brightness) <= 1 else { throw .invalid("brightness \(brightness) not in [-1, 1]") }
        guard contrast.isFinite, contrast >= 0, contrast <= 10 else { throw .invalid("contrast \(contrast) not in [0, 10]") }
        guard gamma.isFinite, gamma > 0, gamma <= 10 else { throw .invalid("gamma \(gamma) not in (0, 10]") }
        let lut: [UInt8] = (0..<256).map { v in
            var x = Double(v)
            if gamma != 1 { x = 255 * pow(x / 255, gamma) }
            x = (x - 127.5) * contrast + 127.5
            return clampByte(x + brightness * 255)
        }
        var out = image
        for i in out.pixels.indices { out.pixels[i] = lut[Int(image.pixels[i])] }
        return out
    }

    /// Rec. 601 luma (0.299 R + 0.587 G + 0.114 B) written to all three channels.
    public static func greyscale(_ image: RGBImage) -> RGBImage {
        var out = image
        for i in stride(from: 0, to: out.pixels.count, by: 3) {
            let y = luma(image.pixels, i)
            let v = clampByte(y)
            out.pixels[i] = v
            out.pixels[i + 1] = v
            out.pixels[i + 2] = v
        }
        return out
    }

    @inline(__always)
    static func luma(_ px: [UInt8], _ i: Int) -> Double {
        0.299 * Double(px[i]) + 0.587 * Double(px[i + 1]) + 0.114 * Double(px[i + 2])
    }

    /// Hue rotation in YIQ (NTSC 1953 matrix): luma Y is kept and the chroma vector (I, Q) is
    /// turned by `degrees`. Linear, so greys stay grey; out-of-gamut results clamp.
    public static func hueRotate(_ image: RGBImage, degrees: Double) throws(TransformError) -> RGBImage {
        guard degrees.isFinite else { throw .invalid("hue angle is not finite") }
        let t = degrees * Double.pi / 180
        let c = cos(t), s = sin(t)
        var out = image
        for i in stride(from: 0, to: out.pixels.count, by: 3) {
            let r = Double(image.pixels[i]), g = Double(image.pixels[i + 1]), b = Double(image.pixels[i + 2])
            let y = 0.299 * r + 0.587 * g + 0.114 * b
            let ci = 0.595716 * r - 0.274453 * g - 0.321263 * b
            let cq = 0.211456 * r - 0.522591 * g + 0.311135 * b
            let i2 = ci * c - cq * s
            let q2 = ci * s + cq * c
            out.pixels[i] = clampByte(y + 0.9563 * i2 + 0.6210 * q2)
            out.pixels[i + 1] = clampByte(y - 0.2721 * i2 - 0.6474 * q2)
            out.pixels[i + 2] = clampByte(y - 1.1070 * i2 + 1.7046 * q2)
        }
        return out
    }
}
