/// Smoothing before the BRIEF tests (ORB smooths each level; a single-pixel test is too noisy).
///
/// A separable 9-tap binomial kernel [1 8 28 56 70 56 28 8 1] / 256 (σ = √2), edges replicated,
/// integer arithmetic with one rounding: out = (Σ_v w_v Σ_h w_h p + 2^15) >> 16. The SIMD kernel and
/// its scalar twin return identical bytes.
public enum LocalBlur {
    static let weights: [UInt32] = [1, 8, 28, 56, 70, 56, 28, 8, 1]

    /// Plain reference implementation.
    public static func scalar(_ img: GreyImage) -> GreyImage {
        let w = img.width, h = img.height
        guard w > 0, h > 0 else { return img }
        var tmp = [UInt16](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                var s: UInt32 = 0
                for k in 0..<9 { s += weights[k] * UInt32(img.pixels[y * w + min(max(x + k - 4, 0), w - 1)]) }
                tmp[y * w + x] = UInt16(s)
            }
        }
        var out = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                var s: UInt32 = 0
                for k in 0..<9 { s += weights[k] * UInt32(tmp[min(max(y + k - 4, 0), h - 1) * w + x]) }
                out[y * w + x] = UInt8((s + 32768) >> 16)
            }
        }
        return GreyImage(uncheckedWidth: w, height: h, pixels: out)
    }

    /// The same sums as loops over whole rows with wrapping integer arithmetic, which the compiler
    /// vectorises; only the 4 border columns of each row use the clamped scalar formula.
    public static func simd(_ img: GreyImage) -> GreyImage {
        let w = img.width, h = img.height
        guard w > 0, h > 0 else { return img }
        var tmp = [UInt16](repeating: 0, count: w * h)
        var out = [UInt8](repeating: 0, count: w * h)
        img.pixels.withUnsafeBufferPointer { src in
            tmp.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    let row = y * w
                    func clamped(_ x: Int) {
                        var s: UInt32 = 0
                        for k in 0..<9 { s += weights[k] * UInt32(src[row + min(max(x + k - 4, 0), w - 1)]) }
                        dst[row + x] = UInt16(s)
                    }
                    guard w > 8 else { for x in 0..<w { clamped(x) }; continue }
                    for x in 0..<4 { clamped(x) }
                    for x in (w - 4)..<w { clamped(x) }
                    let a = row - 4
                    for x in 4..<(w - 4) {
                        let i = a &+ x
                        let s0 = UInt16(src[i]) &+ UInt16(src[i &+ 8])
                        let s1 = UInt16(src[i &+ 1]) &+ UInt16(src[i &+ 7])
                        let s2 = UInt16(src[i &+ 2]) &+ UInt16(src[i &+ 6])
                        let s3 = UInt16(src[i &+ 3]) &+ UInt16(src[i &+ 5])
                        dst[i &+ 4] = s0 &+ s1 &* 8 &+ s2 &* 28 &+ s3 &* 56 &+ UInt16(src[i &+ 4]) &* 70
                    }
                }
            }
        }
        tmp.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    let r = (0..<9).map { min(max(y + $0 - 4, 0), h - 1) * w }
                    let (r0, r1, r2, r3, r4, r5, r6, r7, r8) = (r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8])
                    let o = y * w
                    for x in 0..<w {
                        let s0 = UInt32(src[r0 &+ x]) &+ UInt32(src[r8 &+ x])
                        let s1 = UInt32(src[r1 &+ x]) &+ UInt32(src[r7 &+ x])
                        let s2 = UInt32(src[r2 &+ x]) &+ UInt32(src[r6 &+ x])
                        let s3 = UInt32(src[r3 &+ x]) &+ UInt32(src[r5 &+ x])
                        let s = s0 &+ s1 &* 8 &+ s2 &* 28 &+ s3 &* 56 &+ UInt32(src[r4 &+ x]) &* 70
                        dst[o &+ x] = UInt8(truncatingIfNeeded: (s &+ 32768) >> 16)
                    }
                }
            }
        }
        return GreyImage(uncheckedWidth: w, height: h, pixels: out)
    }
}
