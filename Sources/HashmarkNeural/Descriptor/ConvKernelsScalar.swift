import Foundation

/// Plain scalar twins of `ConvKernels`, on arrays and PyTorch's own weight layouts (`[cout, cin]`
/// for 1 × 1 convolutions, `[c, k, k]` for depthwise ones): the same IEEE operations in the same
/// order, so the tests can require bit-for-bit agreement.
@_spi(Testing) public enum ConvKernelsScalar {
    static func relu6(_ v: Float) -> Float { min(max(v, 0), 6) }

    /// `y[p, o] = act(Σ_k x[p, k] · w[o, k] + bias[o]) (+ residual[p, o])`, the sum from zero over k
    /// in order with fused multiply-adds.
    public static func pointwise(_ x: [Float], pixels: Int, w: [Float], bias: [Float], cout: Int, cin: Int,
                                 relu6 act: Bool, residual: [Float]?) -> [Float] {
        var y = [Float](repeating: 0, count: pixels * cout)
        for p in 0..<pixels {
            for o in 0..<cout {
                var acc: Float = 0
                for k in 0..<cin { acc = acc.addingProduct(x[p * cin + k], w[o * cin + k]) }
                var v = acc + bias[o]
                if act { v = relu6(v) }
                if let residual { v = v + residual[p * cout + o] }
                y[p * cout + o] = v
            }
        }
        return y
    }

    /// Depthwise k × k, stride s, zero padding k / 2, bias and ReLU6; `w` is `[c, k, k]`.
    public static func depthwise(_ x: [Float], height h: Int, width wd: Int, channels c: Int, kernel k: Int,
                                 stride s: Int, w: [Float], bias: [Float]) -> [Float] {
        let pad = k / 2
        let oh = (h + 2 * pad - k) / s + 1, ow = (wd + 2 * pad - k) / s + 1
        var y = [Float](repeating: 0, count: oh * ow * c)
        for oy in 0..<oh {
            for ox in 0..<ow {
                for ch in 0..<c {
                    var acc: Float = 0
                    for ky in 0..<k {
                        let iy = oy * s - pad + ky
                        guard iy >= 0, iy < h else { continue }
                        for kx in 0..<k {
                            let ix = ox * s - pad + kx
                            guard ix >= 0, ix < wd else { continue }
                            acc = acc.addingProduct(x[(iy * wd + ix) * c + ch], w[(ch * k + ky) * k + kx])
                        }
                    }
                    y[(oy * ow + ox) * c + ch] = relu6(acc + bias[ch])
                }
            }
        }
        return y
    }

    /// Generalised mean (p = 3) per channel of `[pixels, c]`.
    public static func gem3(_ x: [Float], pixels: Int, channels c: Int) -> [Float] {
        (0..<c).map { ch in
            var acc: Float = 0
            for p in 0..<pixels {
                let v = max(x[p * c + ch], 1e-6)
                acc += v * v * v
            }
            return Float(cbrt(Double(acc / Float(pixels))))
        }
    }
}
