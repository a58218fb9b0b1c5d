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

    /// 16 pixels per step; rows and borders the vectors cannot cover use the scalar formula.
    public static func simd(_ img: GreyImage) -> GreyImage {
        let w = img.width, h = img.height
        guard w > 0, h > 0 else { return img }
        var tmp = [UInt16](repeating: 0, count: w * h)
        img.pixels.withUnsafeBufferPointer { srcBuf in
            tmp.withUnsafeMutableBufferPointer { dstBuf in
                guard let src = UnsafeRawPointer(srcBuf.baseAddress),
                      let dst = dstBuf.baseAddress else { return }
                for y in 0..<h {
                    let row = y * w
                    var x = 0
                    // Scalar prefix up to the first column whose 9 taps are all inside.
                    func scalarAt(_ x: Int) {
                        var s: UInt32 = 0
                        for k in 0..<9 { s += weights[k] * UInt32(srcBuf[row + min(max(x + k - 4, 0), w - 1)]) }
                        dst[row + x] = UInt16(s)
                    }
                    while x < min(4, w) { scalarAt(x); x += 1 }
                    while x + 16 + 4 <= w {
                        var acc = SIMD16<UInt16>.zero
                        for k in 0..<9 {
                            let v = src.loadUnaligned(fromByteOffset: row + x + k - 4, as: SIMD16<UInt8>.self)
                            acc &+= SIMD16<UInt16>(truncatingIfNeeded: v) &* UInt16(weights[k])
                        }
                        UnsafeMutableRawPointer(dst + row + x).storeBytes(of: acc, as: SIMD16<UInt16>.self)
                        x += 16
                    }
                    while x < w { scalarAt(x); x += 1 }
                }
            }
        }
        var out = [UInt8](repeating: 0, count: w * h)
        tmp.withUnsafeBufferPointer { srcBuf in
            out.withUnsafeMutableBufferPointer { dstBuf in
                guard let src = srcBuf.baseAddress, let dst = dstBuf.baseAddress else { return }
                for y in 0..<h {
                    var rows = [Int](repeating: 0, count: 9)
                    for k in 0..<9 { rows[k] = min(max(y + k - 4, 0), h - 1) * w }
                    var x = 0
                    while x + 16 <= w {
                        var acc = SIMD16<UInt32>.zero
                        for k in 0..<9 {
                            let v = UnsafeRawPointer(src + rows[k] + x).loadUnaligned(as: SIMD16<UInt16>.self)
                            acc &+= SIMD16<UInt32>(truncatingIfNeeded: v) &* weights[k]
                        }
                        let r = SIMD16<UInt8>(truncatingIfNeeded: (acc &+ 32768) &>> 16)
                        UnsafeMutableRawPointer(dst + y * w + x).storeBytes(of: r, as: SIMD16<UInt8>.self)
                        x += 16
                    }
                    while x < w {
                        var s: UInt32 = 0
                        for k in 0..<9 { s += weights[k] * UInt32(src[rows[k] + x]) }
                        dst[y * w + x] = UInt8((s + 32768) >> 16)
                        x += 1
                    }
                }
            }
        }
        return GreyImage(uncheckedWidth: w, height: h, pixels: out)
    }
}
