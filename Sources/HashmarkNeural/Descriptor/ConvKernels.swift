import Foundation

/// The SIMD kernels of the image descriptor's forward pass, on NHWC activations (channels
/// fastest). Each has a scalar twin in `ConvKernelsScalar` with the same IEEE operations in the same
/// order (fused multiply-adds from zero, bias added last, then the activation, then the residual),
/// so the two agree bit for bit; the tests check it on seeded random inputs and edge sizes.
@_spi(Testing) public enum ConvKernels {
    typealias V16 = SIMD16<Float>

    @inline(__always) static func relu6(_ v: V16) -> V16 {
        let zero = V16(repeating: 0), six = V16(repeating: 6)
        let low = zero.replacing(with: v, where: v .> zero)
        return six.replacing(with: low, where: low .< six)
    }

    /// 1 × 1 convolution (a GEMM over pixels): `y[p, o] = act(Σ_k x[p, k] · w[o, k] + bias[o])
    /// (+ residual[p, o])` for `pixels` rows of `x` (`[pixels, cin]`) into `y` (`[pixels, cout]`).
    public static func pointwise(_ x: UnsafePointer<Float>, pixels: Int, weights: PanelWeights, relu6 act: Bool,
                          residual: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>) {
        let cin = weights.cin, cout = weights.cout
        weights.panels.withUnsafeBufferPointer { wp in
            weights.bias.withUnsafeBufferPointer { bp in
                // Blocks of 6 pixels × 2 panels (twelve accumulators, two weight loads and six
                // broadcasts per k); an odd last panel goes through `kernel8` with the same 6 pixels.
                var p = 0
                while p < pixels {
                    let rows = min(6, pixels - p)
                    var panel = 0
                    while panel + 1 < weights.panelCount {
                        kernel6x2(x + p * cin, cin, rows, wp.baseAddress! + panel * cin * 16, bp.baseAddress! + panel * 16,
                                  act, residual.map { $0 + p * cout + panel * 16 }, y + p * cout + panel * 16, cout,
                                  min(16, cout - (panel + 1) * 16))
                        panel += 2
                    }
                    if panel < weights.panelCount {
                        kernel8(x + p * cin, cin, rows, wp.baseAddress! + panel * cin * 16,
                                bp.baseAddress! + panel * 16, act, residual.map { $0 + p * cout + panel * 16 },
                                y + p * cout + panel * 16, cout, min(16, cout - panel * 16))
                    }
                    p += 6
                }
            }
        }
    }

    /// Up to eight pixels × 16 outputs: eight accumulators in registers, one broadcast per pixel and
    /// k. Short tails repeat the last pixel in the spare rows, which are not stored.
    @inline(__always)
    static func kernel8(_ x: UnsafePointer<Float>, _ ldx: Int, _ count: Int, _ w: UnsafePointer<Float>,
                        _ bias: UnsafePointer<Float>, _ act: Bool, _ residual: UnsafePointer<Float>?,
                        _ y: UnsafeMutablePointer<Float>, _ ldy: Int, _ lanes: Int) {
        var a0 = V16(), a1 = V16(), a2 = V16(), a3 = V16(), a4 = V16(), a5 = V16(), a6 = V16(), a7 = V16()
        let last = count - 1
        let x0 = x, x1 = x + min(1, last) * ldx, x2 = x + min(2, last) * ldx, x3 = x + min(3, last) * ldx
        let x4 = x + min(4, last) * ldx, x5 = x + min(5, last) * ldx, x6 = x + min(6, last) * ldx
        let x7 = x + min(7, last) * ldx
        var wk = w
        for k in 0..<ldx {
            let wv = NeuralKernels.load(wk)
            wk += 16
            a0 = a0.addingProduct(x0[k], wv); a1 = a1.addingProduct(x1[k], wv)
            a2 = a2.addingProduct(x2[k], wv); a3 = a3.addingProduct(x3[k], wv)
            a4 = a4.addingProduct(x4[k], wv); a5 = a5.addingProduct(x5[k], wv)
            a6 = a6.addingProduct(x6[k], wv); a7 = a7.addingProduct(x7[k], wv)
        }
        let b = NeuralKernels.load(bias)
        @inline(__always) func emit(_ a: V16, _ r: Int) {
            var v = a + b
            if act { v = relu6(v) }
            if let residual { v = v + loadLanes(residual + r * ldy, lanes) }
            storeLanes(v, y + r * ldy, lanes)
        }
        emit(a0, 0)
        if count > 1 { emit(a1, 1) }
        if count > 2 { emit(a2, 2) }
        if count > 3 { emit(a3, 3) }
        if count > 4 { emit(a4, 4) }
        if count > 5 { emit(a5, 5) }
        if count > 6 { emit(a6, 6) }
        if count > 7 { emit(a7, 7) }
    }

    /// Up to six pixels × two adjacent panels (32 outputs; the second panel has `lanes1` of them).
    /// Each output's sum runs over k in order from zero, as in `kernel8` and the scalar twin.
    @inline(__always)
    static func kernel6x2(_ x: UnsafePointer<Float>, _ ldx: Int, _ count: Int, _ w: UnsafePointer<Float>,
                          _ bias: UnsafePointer<Float>, _ act: Bool, _ residual: UnsafePointer<Float>?,
                          _ y: UnsafeMutablePointer<Float>, _ ldy: Int, _ lanes1: Int) {
        var a0 = V16(), a1 = V16(), a2 = V16(), a3 = V16(), a4 = V16(), a5 = V16()
        var b0 = V16(), b1 = V16(), b2 = V16(), b3 = V16(), b4 = V16(), b5 = V16()
        let last = count - 1
        let x0 = x, x1 = x + min(1, last) * ldx, x2 = x + min(2, last) * ldx, x3 = x + min(3, last) * ldx
        let x4 = x + min(4, last) * ldx, x5 = x + min(5, last) * ldx
        var w0 = w, w1 = w + ldx * 16
        for k in 0..<ldx {
            let u = NeuralKernels.load(w0), v = NeuralKernels.load(w1)
            w0 += 16
            w1 += 16
            let s0 = x0[k], s1 = x1[k], s2 = x2[k], s3 = x3[k], s4 = x4[k], s5 = x5[k]
            a0 = a0.addingProduct(s0, u); b0 = b0.addingProduct(s0, v)
            a1 = a1.addingProduct(s1, u); b1 = b1.addingProduct(s1, v)
            a2 = a2.addingProduct(s2, u); b2 = b2.addingProduct(s2, v)
            a3 = a3.addingProduct(s3, u); b3 = b3.addingProduct(s3, v)
            a4 = a4.addingProduct(s4, u); b4 = b4.addingProduct(s4, v)
            a5 = a5.addingProduct(s5, u); b5 = b5.addingProduct(s5, v)
        }
        let c0 = NeuralKernels.load(bias), c1 = NeuralKernels.load(bias + 16)
        @inline(__always) func emit(_ a: V16, _ b: V16, _ r: Int) {
            var u = a + c0, v = b + c1
            if act { u = relu6(u); v = relu6(v) }
            if let residual {
                u = u + NeuralKernels.load(residual + r * ldy)
                v = v + loadLanes(residual + r * ldy + 16, lanes1)
            }
            NeuralKernels.store(u, y + r * ldy)
            storeLanes(v, y + r * ldy + 16, lanes1)
        }
        emit(a0, b0, 0)
        if count > 1 { emit(a1, b1, 1) }
        if count > 2 { emit(a2, b2, 2) }
        if count > 3 { emit(a3, b3, 3) }
        if count > 4 { emit(a4, b4, 4) }
        if count > 5 { emit(a5, b5, 5) }
    }

    @inline(__always) static func loadLanes(_ p: UnsafePointer<Float>, _ lanes: Int) -> V16 {
        if lanes == 16 { return NeuralKernels.load(p) }
        var v = V16()
        for l in 0..<lanes { v[l] = p[l] }
        return v
    }

    @inline(__always) static func storeLanes(_ v: V16, _ p: UnsafeMutablePointer<Float>, _ lanes: Int) {
        if lanes == 16 { NeuralKernels.store(v, p); return }
        for l in 0..<lanes { p[l] = v[l] }
    }

    /// Depthwise k × k convolution with stride `stride` and zero padding k / 2 on every side, bias
    /// and ReLU6: `x` is `[h, w, c]`, `weights` `[k, k, c]`, `c` a multiple of 16; `y` is
    /// `[oh, ow, c]` with `oh = (h + 2·(k/2) − k) / stride + 1`. Taps are summed in row-major order
    /// from zero; taps outside the input are skipped (they would add 0 · w).
    public static func depthwise(_ x: UnsafePointer<Float>, height h: Int, width w: Int, channels c: Int, kernel k: Int,
                          stride s: Int, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                          into y: UnsafeMutablePointer<Float>) {
        let pad = k / 2
        let oh = (h + 2 * pad - k) / s + 1, ow = (w + 2 * pad - k) / s + 1
        for oy in 0..<oh {
            let y0 = oy * s - pad
            let kyLo = max(0, -y0), kyHi = min(k, h - y0)
            for ox in 0..<ow {
                let x0 = ox * s - pad
                let kxLo = max(0, -x0), kxHi = min(k, w - x0)
                let out = y + (oy * ow + ox) * c
                var ch = 0
                while ch < c {
                    var acc = V16()
                    for ky in kyLo..<kyHi {
                        let row = x + ((y0 + ky) * w) * c + ch
                        let wrow = weights + (ky * k) * c + ch
                        for kx in kxLo..<kxHi {
                            acc = acc.addingProduct(NeuralKernels.load(row + (x0 + kx) * c), NeuralKernels.load(wrow + kx * c))
                        }
                    }
                    NeuralKernels.store(relu6(acc + NeuralKernels.load(bias + ch)), out + ch)
                    ch += 16
                }
            }
        }
    }

    /// Per-channel generalised mean over `pixels` rows of `[pixels, c]` (`c` a multiple of 16):
    /// `(Σ_p max(x, 1e-6)³ / pixels)^(1/3)`, the cubes summed over p in order.
    public static func gem3(_ x: UnsafePointer<Float>, pixels: Int, channels c: Int, into out: UnsafeMutablePointer<Float>) {
        let eps = V16(repeating: 1e-6)
        var ch = 0
        while ch < c {
            var acc = V16()
            for p in 0..<pixels {
                var v = NeuralKernels.load(x + p * c + ch)
                v = eps.replacing(with: v, where: v .> eps)
                acc += v * v * v
            }
            let mean = acc / V16(repeating: Float(pixels))
            for l in 0..<16 { out[ch + l] = cubeRoot(mean[l]) }
            ch += 16
        }
    }

    /// x^(1/3) for x > 0 (the GeM's last step), in Double and rounded once.
    @inline(__always) static func cubeRoot(_ x: Float) -> Float {
        Float(cbrt(Double(x)))
    }
}

/// 1 × 1 convolution weights re-laid out for `ConvKernels.pointwise`: panels of 16 output channels,
/// each `[cin][16]`, zero past `cout`; the bias padded the same way.
@_spi(Testing) public struct PanelWeights: Sendable {
    let cin: Int
    let cout: Int
    let panels: [Float]
    let bias: [Float]
    var panelCount: Int { (cout + 15) / 16 }

    /// `w` row-major `[cout, cin]` (PyTorch's layout), `bias` `[cout]`.
    public init(w: [Float], bias: [Float], cout: Int, cin: Int) {
        self.cin = cin
        self.cout = cout
        let count = (cout + 15) / 16
        var panels = [Float](repeating: 0, count: count * cin * 16)
        var b = [Float](repeating: 0, count: count * 16)
        for o in 0..<cout {
            let panel = o / 16, lane = o % 16
            for k in 0..<cin { panels[(panel * cin + k) * 16 + lane] = w[o * cin + k] }
            b[o] = bias[o]
        }
        self.panels = panels
        self.bias = b
    }
}
