import CKernels
import Foundation

/// The SIMD kernels of the MiniLM forward pass. Each has a scalar twin in
/// `NeuralKernelsScalar.swift` that performs the same IEEE operations in the same order (fused
/// multiply-adds where these use them, the same lane layout for sums), so the two agree bit for bit;
/// the tests check that on seeded random inputs and edge lengths.
@_spi(Testing) public enum NeuralKernels {
    typealias V16 = SIMD16<Float>

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V16 {
        UnsafeRawPointer(p).loadUnaligned(as: V16.self)
    }

    @inline(__always) static func store(_ v: V16, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V16.self)
    }

    /// `a > b ? a : b` per lane. The standard `pointwiseMax` (IEEE `maximum`, NaN-aware) compiles
    /// to a lane loop through memory here; for the non-NaN values these kernels see the two agree.
    @inline(__always) static func vmax(_ a: V16, _ b: V16) -> V16 { b.replacing(with: a, where: a .> b) }
    @inline(__always) static func vmin(_ a: V16, _ b: V16) -> V16 { b.replacing(with: a, where: a .< b) }

    /// Sum of the 16 lanes as halves added pairwise (8, 4, 2, 1): the order the scalar twin copies.
    @inline(__always) static func laneSum(_ v: V16) -> Float {
        let a = v.lowHalf + v.highHalf
        let b = a.lowHalf + a.highHalf
        let c = b.lowHalf + b.highHalf
        return c[0] + c[1]
    }

    /// Sum of `x[0..<count]`: lane `i` adds elements `i, i+16, …`, then `laneSum`, then the tail.
    @inline(__always) static func sum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var acc = V16()
        var i = 0
        while i + 16 <= count { acc += load(x + i); i += 16 }
        var total = laneSum(acc)
        while i < count { total += x[i]; i += 1 }
        return total
    }

    // MARK: matrix product

    /// Turns one panel of `matrix` into float32 `[cols][32]`: `Float(q) * scale`, exactly the
    /// dequantised weight the Python reference uses.
    static func dequantisePanel(cols: Int, groupSize group: Int, panel: Int, values: UnsafePointer<Int8>,
                                scales: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let groups = cols / group
        let q = UnsafeRawPointer(values + panel * cols * 32)
        let s = scales + panel * groups * 32
        for g in 0..<groups {
            let s0 = load(s + g * 32), s1 = load(s + g * 32 + 16)
            for k in stride(from: g * group, to: (g + 1) * group, by: 2) {
                let q0 = q.loadUnaligned(fromByteOffset: k * 32, as: SIMD32<Int8>.self)
                let q1 = q.loadUnaligned(fromByteOffset: k * 32 + 32, as: SIMD32<Int8>.self)
                store(V16(q0.evenHalf) * s0, out + k * 32)
                store(V16(q1.evenHalf) * s1, out + k * 32 + 16)
                store(V16(q0.oddHalf) * s0, out + k * 32 + 32)
                store(V16(q1.oddHalf) * s1, out + k * 32 + 48)
            }
        }
    }

    /// `y[t, o] = bias[o] + Σ_k x[t, k] · w[o, k]` for `tokens` rows of `x` (`[tokens, cols]`,
    /// row-major) into `y` (`[tokens, rows]`): a GEMM over the whole sequence. The accumulation for
    /// each output runs over `k` in order with fused multiply-adds, from zero; the bias is added last.
    ///
    /// With `int16` (and `int16Available`, int8 panels, groups of at most 512) each token's
    /// activations are first rounded to int16 (`quantiseRows`) and the products summed exactly in
    /// int32 per weight group (`vpdpwssd`, twice the float lanes): `NeuralKernelsScalar.linearInt16`
    /// is that path's twin. MiniLM's embeddings move by under 1e-6 in cosine (Benchmarks/MINILM.md).
    public static func linear(_ x: UnsafePointer<Float>, tokens: Int, matrix: Int8GroupMatrix, bias: UnsafePointer<Float>,
                       into y: UnsafeMutablePointer<Float>, panelScratch: UnsafeMutablePointer<Float>,
                       int16: Bool = false) {
        if int16, linearInt16(x, tokens: tokens, matrix: matrix, bias: bias, into: y) { return }
        let cols = matrix.cols, rows = matrix.rows
        matrix.panels.withUnsafeBufferPointer { q in
            matrix.panelScales.withUnsafeBufferPointer { s in
                matrix.dequantised.withUnsafeBufferPointer { d in
                    for panel in 0..<(rows / 32) {
                        let w: UnsafePointer<Float>
                        if !d.isEmpty, let once = d.baseAddress {
                            w = once + panel * cols * 32
                        } else {
                            dequantisePanel(cols: cols, groupSize: matrix.groupSize, panel: panel,
                                            values: q.baseAddress!, scales: s.baseAddress!, into: panelScratch)
                            w = UnsafePointer(panelScratch)
                        }
                        let b = bias + panel * 32, out = y + panel * 32
                        var t = 0
                        while t < tokens {
                            kernel6(x + t * cols, cols, min(6, tokens - t), w, b, out + t * rows, rows)
                            t += 6
                        }
                    }
                }
            }
        }
    }

    /// Whether this CPU runs the int16 path of `linear` (AVX-512 VNNI).
    public static let int16Available = hm_vnni_available() != 0

    /// The int16 path of `linear`; false (nothing written) when it does not apply.
    private static func linearInt16(_ x: UnsafePointer<Float>, tokens: Int, matrix: Int8GroupMatrix,
                                    bias: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) -> Bool {
        let cols = matrix.cols, rows = matrix.rows, group = matrix.groupSize
        guard int16Available, !matrix.panels.isEmpty, group <= 512, tokens > 0 else { return false }
        return withUnsafeTemporaryAllocation(of: Int16.self, capacity: tokens * cols) { q in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: tokens) { xscale in
                guard quantiseRows(x, tokens: tokens, cols: cols, into: q.baseAddress!, scales: xscale.baseAddress!) else {
                    return false
                }
                let groups = cols / group
                matrix.panels.withUnsafeBufferPointer { p in
                    matrix.panelScales.withUnsafeBufferPointer { s in
                        for panel in 0..<(rows / 32) {
                            hm_int16_panel_linear(q.baseAddress!, Int32(tokens), Int32(cols), p.baseAddress! + panel * cols * 32,
                                                  s.baseAddress! + panel * groups * 32, Int32(group), xscale.baseAddress!,
                                                  bias + panel * 32, y + panel * 32, Int32(rows))
                        }
                    }
                }
                return true
            }
        }
    }

    /// Each of `tokens` rows of `x` rounded to int16 so that its largest magnitude is 32767:
    /// `q = round(x · (32767 / m))`, `scale = m / 32767` (`m` the row's largest |x|; an all-zero row
    /// gets scale 0). False when a row is not finite. Shared by the int16 path and its twin.
    public static func quantiseRows(_ x: UnsafePointer<Float>, tokens: Int, cols: Int,
                                    into q: UnsafeMutablePointer<Int16>, scales: UnsafeMutablePointer<Float>) -> Bool {
        // Adding 1.5 · 2^23 rounds |v| ≤ 2^22 to the nearest integer (ties to even) in the low
        // mantissa bits, which the subtraction of the same float's bits then reads out.
        let magic: Float = 12_582_912
        let magicBits = SIMD16<Int32>(repeating: Int32(bitPattern: magic.bitPattern))
        for t in 0..<tokens {
            let row = x + t * cols, out = q + t * cols
            // `v - v` is 0 for finite values and NaN otherwise (the maxima skip NaNs).
            var peak = V16(), poison = V16()
            var k = 0
            while k + 16 <= cols { let v = load(row + k); peak = vmax(peak, vmax(v, -v)); poison += v - v; k += 16 }
            var m = peak.max(), tail: Float = 0
            while k < cols { m = max(m, abs(row[k])); tail += row[k] - row[k]; k += 1 }
            guard m.isFinite, !(poison.sum() + tail).isNaN else { return false }
            let inverse: Float = m > 0 ? 32767 / m : 0
            k = 0
            while k + 16 <= cols {
                let r = load(row + k) * inverse + magic
                let n = unsafeBitCast(r, to: SIMD16<Int32>.self) &- magicBits
                UnsafeMutableRawPointer(out + k).storeBytes(of: SIMD16<Int16>(truncatingIfNeeded: n), as: SIMD16<Int16>.self)
                k += 16
            }
            while k < cols { out[k] = Int16((row[k] * inverse).rounded(.toNearestOrEven)); k += 1 }
            scales[t] = m / 32767
        }
        return true
    }

    /// Up to six tokens × 32 outputs: twelve accumulators in registers, one broadcast per token and
    /// k. With fewer than six tokens the last one is computed again in the spare rows and not stored,
    /// so a short tail costs one pass over the panel, not one pass a token.
    @inline(__always)
    static func kernel6(_ x: UnsafePointer<Float>, _ ldx: Int, _ count: Int, _ w: UnsafePointer<Float>,
                        _ bias: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ ldy: Int) {
        var a0 = V16(), b0 = V16(), a1 = V16(), b1 = V16(), a2 = V16(), b2 = V16()
        var a3 = V16(), b3 = V16(), a4 = V16(), b4 = V16(), a5 = V16(), b5 = V16()
        let last = count - 1
        let x0 = x, x1 = x + min(1, last) * ldx, x2 = x + min(2, last) * ldx
        let x3 = x + min(3, last) * ldx, x4 = x + min(4, last) * ldx, x5 = x + min(5, last) * ldx
        var wk = w
        for k in 0..<ldx {
            let w0 = load(wk), w1 = load(wk + 16)
            wk += 32
            let s0 = x0[k], s1 = x1[k], s2 = x2[k], s3 = x3[k], s4 = x4[k], s5 = x5[k]
            a0 = a0.addingProduct(s0, w0); b0 = b0.addingProduct(s0, w1)
            a1 = a1.addingProduct(s1, w0); b1 = b1.addingProduct(s1, w1)
            a2 = a2.addingProduct(s2, w0); b2 = b2.addingProduct(s2, w1)
            a3 = a3.addingProduct(s3, w0); b3 = b3.addingProduct(s3, w1)
            a4 = a4.addingProduct(s4, w0); b4 = b4.addingProduct(s4, w1)
            a5 = a5.addingProduct(s5, w0); b5 = b5.addingProduct(s5, w1)
        }
        let c0 = load(bias), c1 = load(bias + 16)
        store(a0 + c0, y); store(b0 + c1, y + 16)
        if count > 1 { store(a1 + c0, y + ldy); store(b1 + c1, y + ldy + 16) }
        if count > 2 { store(a2 + c0, y + 2 * ldy); store(b2 + c1, y + 2 * ldy + 16) }
        if count > 3 { store(a3 + c0, y + 3 * ldy); store(b3 + c1, y + 3 * ldy + 16) }
        if count > 4 { store(a4 + c0, y + 4 * ldy); store(b4 + c1, y + 4 * ldy + 16) }
        if count > 5 { store(a5 + c0, y + 5 * ldy); store(b5 + c1, y + 5 * ldy + 16) }
    }

    // MARK: normalisation, activation, pooling

    /// Layer norm of each of `rows` rows of `width` in place: `(x − mean) · (1 / √(var + eps)) · γ + β`,
    /// with the mean and the (biased) variance summed as `sum` does.
    public static func layerNorm(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int, gamma: UnsafePointer<Float>,
                          beta: UnsafePointer<Float>, eps: Float) {
        let n = Float(width)
        for r in 0..<rows {
            let row = x + r * width
            let mean = sum(row, width) / n
            let m = V16(repeating: mean)
            var acc = V16()
            var i = 0
            while i + 16 <= width { let d = load(row + i) - m; acc = acc.addingProduct(d, d); i += 16 }
            var sq = laneSum(acc)
            while i < width { let d = row[i] - mean; sq = sq.addingProduct(d, d); i += 1 }
            let inv = 1 / (sq / n + eps).squareRoot()
            i = 0
            while i + 16 <= width {
                store((load(row + i) - m) * inv * load(gamma + i) + load(beta + i), row + i)
                i += 16
            }
            while i < width { row[i] = (row[i] - mean) * inv * gamma[i] + beta[i]; i += 1 }
        }
    }

    /// Softmax of `x[0..<count]` in place: `exp(x − max) / Σ`, the sum as `sum` does.
    public static func softmax(_ x: UnsafeMutablePointer<Float>, _ count: Int) {
        guard count > 0 else { return }
        var top = V16(repeating: -.infinity)
        var i = 0
        while i + 16 <= count { top = vmax(load(x + i), top); i += 16 }
        var peak = -Float.infinity  // not `top.max()`: that one is a lane loop through memory
        for l in 0..<16 where top[l] > peak { peak = top[l] }
        while i < count { peak = Swift.max(peak, x[i]); i += 1 }
        let m = V16(repeating: peak)
        var acc = V16()
        i = 0
        while i + 16 <= count { let e = Self.exp(load(x + i) - m); store(e, x + i); acc += e; i += 16 }
        var total = laneSum(acc)
        while i < count { x[i] = NeuralKernelsScalar.exp(x[i] - peak); total += x[i]; i += 1 }
        let inv = 1 / total
        i = 0
        while i + 16 <= count { store(load(x + i) * inv, x + i); i += 16 }
        while i < count { x[i] *= inv; i += 1 }
    }

    /// eˣ for x in [−87, 88] (clamped there): x = n·ln 2 + r, Cephes' degree-5 polynomial for eʳ,
    /// 2ⁿ built in the exponent bits (n from adding 1.5·2²³, which rounds to an integer).
    @inline(__always) public static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        typealias E = ExpCoefficients
        let x = vmin(vmax(x, V16(repeating: E.low)), V16(repeating: E.high))
        let t = V16(repeating: E.magic).addingProduct(x, V16(repeating: E.log2e))
        let n = t - V16(repeating: E.magic)
        var r = x.addingProduct(n, V16(repeating: -E.ln2Hi))
        r = r.addingProduct(n, V16(repeating: -E.ln2Lo))
        var p = V16(repeating: E.c1).addingProduct(V16(repeating: E.c0), r)
        p = V16(repeating: E.c2).addingProduct(p, r)
        p = V16(repeating: E.c3).addingProduct(p, r)
        p = V16(repeating: E.c4).addingProduct(p, r)
        p = V16(repeating: E.c5).addingProduct(p, r)
        let e = r.addingProduct(p, r * r) + V16(repeating: 1)
        let bits = (unsafeBitCast(t, to: SIMD16<UInt32>.self) &+ SIMD16(repeating: E.bias)) &<< 23
        return e * unsafeBitCast(bits, to: V16.self)
    }

    /// erf(x) as a rational function of x on [−4, 4] (Eigen's float erf; max abs error 4.2e-7
    /// against the exact erf) and ±1 beyond (|1 − erf(4)| < 2e-8).
    @inline(__always) public static func erf(_ x: SIMD16<Float>) -> SIMD16<Float> {
        typealias E = ErfCoefficients
        let x = vmin(vmax(x, V16(repeating: -4)), V16(repeating: 4))
        let x2 = x * x
        var p = V16(repeating: E.a3).addingProduct(x2, V16(repeating: E.a1))
        p = V16(repeating: E.a5).addingProduct(x2, p)
        p = V16(repeating: E.a7).addingProduct(x2, p)
        p = V16(repeating: E.a9).addingProduct(x2, p)
        p = V16(repeating: E.a11).addingProduct(x2, p)
        p = V16(repeating: E.a13).addingProduct(x2, p)
        var q = V16(repeating: E.b2).addingProduct(x2, V16(repeating: E.b0))
        q = V16(repeating: E.b4).addingProduct(x2, q)
        q = V16(repeating: E.b6).addingProduct(x2, q)
        q = V16(repeating: E.b8).addingProduct(x2, q)
        return x * p / q
    }

    /// BERT's GELU in place: `x · ½ · (1 + erf(x / √2))`.
    public static func gelu(_ x: UnsafeMutablePointer<Float>, _ count: Int) {
        let r = V16(repeating: ErfCoefficients.invSqrt2), half = V16(repeating: 0.5), one = V16(repeating: 1)
        var i = 0
        while i + 16 <= count {
            let v = load(x + i)
            store(v * half * (one + erf(v * r)), x + i)
            i += 16
        }
        while i < count {
            x[i] = NeuralKernelsScalar.geluOne(x[i])
            i += 1
        }
    }

    /// Mean of `rows` rows of `width` into `out`: rows added in order, then times 1 / rows.
    public static func meanPool(_ x: UnsafePointer<Float>, rows: Int, width: Int, into out: UnsafeMutablePointer<Float>) {
        let inv = 1 / Float(rows)
        var i = 0
        while i + 16 <= width {
            var acc = V16()
            for r in 0..<rows { acc += load(x + r * width + i) }
            store(acc * inv, out + i)
            i += 16
        }
        while i < width {
            var acc: Float = 0
            for r in 0..<rows { acc += x[r * width + i] }
            out[i] = acc * inv
            i += 1
        }
    }

    /// `x / max(‖x‖, 1e-12)` in place, the squares summed lane-wise as `sum` does.
    public static func l2Normalise(_ x: UnsafeMutablePointer<Float>, _ count: Int) {
        var acc = V16()
        var i = 0
        while i + 16 <= count { let v = load(x + i); acc = acc.addingProduct(v, v); i += 16 }
        var sq = laneSum(acc)
        while i < count { sq = sq.addingProduct(x[i], x[i]); i += 1 }
        let inv = 1 / Swift.max(sq.squareRoot(), 1e-12)
        i = 0
        while i + 16 <= count { store(load(x + i) * inv, x + i); i += 16 }
        while i < count { x[i] *= inv; i += 1 }
    }
}

enum ExpCoefficients {
    static let low: Float = -87, high: Float = 88
    static let magic: Float = 12_582_912, log2e: Float = 1.44269504088896341
    static let ln2Hi: Float = 0.693359375, ln2Lo: Float = -2.12194440e-4
    static let c0: Float = 1.9875691500e-4, c1: Float = 1.3981999507e-3, c2: Float = 8.3334519073e-3
    static let c3: Float = 4.1665795894e-2, c4: Float = 1.6666665459e-1, c5: Float = 5.0000001201e-1
    /// Takes `magic`'s bits to n + 127 (the biased exponent), wrapping: 127 − 0x4B40_0000.
    static let bias: UInt32 = 0xB4C0_007F
}

/// Eigen's `generic_fast_erf_float`: erf(x) ≈ x · P(x²) / Q(x²) on [−4, 4].
enum ErfCoefficients {
    static let a1: Float = -2.72614225801306e-10, a3: Float = 2.77068142495902e-08
    static let a5: Float = -2.10102402082508e-06, a7: Float = -5.69250639462346e-05
    static let a9: Float = -7.34990630326855e-04, a11: Float = -2.95459980854025e-03
    static let a13: Float = -1.60960333262415e-02
    static let b0: Float = -1.45660718464996e-05, b2: Float = -2.13374055278905e-04
    static let b4: Float = -1.68282697438203e-03, b6: Float = -7.37332916720468e-03
    static let b8: Float = -1.42647390514189e-02
    static let invSqrt2: Float = 0.70710678118654752
}
