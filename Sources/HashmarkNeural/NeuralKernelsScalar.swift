import Foundation

/// Plain scalar twins of `NeuralKernels`, on arrays: the same IEEE operations in the same order
/// (fused multiply-adds where the SIMD code uses them; sums kept in 16 lanes and folded 8, 4, 2, 1),
/// so a test can require bit-for-bit agreement. The matrix product reads the file's own row-major
/// `[out, in]` int8 values and scales, not the re-laid-out panels.
@_spi(Testing) public enum NeuralKernelsScalar {
    /// `sum` of `NeuralKernels`: lane `i` takes elements `i, i+16, …`; lanes folded; tail added.
    static func sum(_ x: ArraySlice<Float>) -> Float {
        let base = x.startIndex, count = x.count
        var lanes = [Float](repeating: 0, count: 16)
        var i = 0
        while i + 16 <= count {
            for l in 0..<16 { lanes[l] += x[base + i + l] }
            i += 16
        }
        var total = fold(lanes)
        while i < count { total += x[base + i]; i += 1 }
        return total
    }

    static func fold(_ lanes: [Float]) -> Float {
        var v = lanes
        for width in [8, 4, 2] {
            for l in 0..<width { v[l] = v[l] + v[l + width] }
        }
        return v[0] + v[1]
    }

    /// The int16 path of `NeuralKernels.linear`: `x` already quantised (`quantiseRows`), each
    /// group's integer sum exact, the groups added in order by fused multiply-adds from zero, then
    /// `bias[o] + f · xscale[t]` fused.
    public static func linearInt16(_ x: [Int16], xscale: [Float], tokens: Int, values: [Int8], scales: [Float], rows: Int,
                                   cols: Int, groupSize: Int, bias: [Float]) -> [Float] {
        var y = [Float](repeating: 0, count: tokens * rows)
        let groups = cols / groupSize
        for t in 0..<tokens {
            for o in 0..<rows {
                var f: Float = 0
                for g in 0..<groups {
                    var acc: Int32 = 0
                    for k in (g * groupSize)..<((g + 1) * groupSize) {
                        acc += Int32(values[o * cols + k]) * Int32(x[t * cols + k])
                    }
                    f = f.addingProduct(Float(acc), scales[o * groups + g])
                }
                y[t * rows + o] = bias[o].addingProduct(f, xscale[t])
            }
        }
        return y
    }

    /// `y[t, o] = (Σ_k x[t, k] · (Float(q[o, k]) · s[o, k / group])) + bias[o]`, the sum from zero
    /// over k in order with fused multiply-adds.
    public static func linear(_ x: [Float], tokens: Int, values: [Int8], scales: [Float], rows: Int, cols: Int,
                              groupSize: Int, bias: [Float]) -> [Float] {
        var y = [Float](repeating: 0, count: tokens * rows)
        let groups = cols / groupSize
        for t in 0..<tokens {
            for o in 0..<rows {
                var acc: Float = 0
                for k in 0..<cols {
                    let w = Float(values[o * cols + k]) * scales[o * groups + k / groupSize]
                    acc = acc.addingProduct(x[t * cols + k], w)
                }
                y[t * rows + o] = acc + bias[o]
            }
        }
        return y
    }

    public static func layerNorm(_ x: [Float], rows: Int, width: Int, gamma: [Float], beta: [Float],
                                 eps: Float) -> [Float] {
        var y = x
        let n = Float(width)
        for r in 0..<rows {
            let row = Array(x[(r * width)..<((r + 1) * width)])
            let mean = sum(row[...]) / n
            var lanes = [Float](repeating: 0, count: 16)
            var i = 0
            while i + 16 <= width {
                for l in 0..<16 { let d = row[i + l] - mean; lanes[l] = lanes[l].addingProduct(d, d) }
                i += 16
            }
            var sq = fold(lanes)
            while i < width { let d = row[i] - mean; sq = sq.addingProduct(d, d); i += 1 }
            let inv = 1 / (sq / n + eps).squareRoot()
            for j in 0..<width { y[r * width + j] = (row[j] - mean) * inv * gamma[j] + beta[j] }
        }
        return y
    }

    public static func softmax(_ x: [Float]) -> [Float] {
        guard let peak = x.max() else { return x }
        let e = x.map { Self.exp($0 - peak) }  // the polynomial twin below, not the C library's
        let inv = 1 / sum(e[...])
        return e.map { $0 * inv }
    }

    /// The same eˣ as `NeuralKernels.exp`, one value.
    public static func exp(_ x: Float) -> Float {
        typealias E = ExpCoefficients
        let x = Swift.min(Swift.max(x, E.low), E.high)
        let t = E.magic.addingProduct(x, E.log2e)
        let n = t - E.magic
        var r = x.addingProduct(n, -E.ln2Hi)
        r = r.addingProduct(n, -E.ln2Lo)
        var p = E.c1.addingProduct(E.c0, r)
        p = E.c2.addingProduct(p, r)
        p = E.c3.addingProduct(p, r)
        p = E.c4.addingProduct(p, r)
        p = E.c5.addingProduct(p, r)
        let e = r.addingProduct(p, r * r) + 1
        return e * Float(bitPattern: (t.bitPattern &+ E.bias) &<< 23)
    }

    /// The same rational erf as `NeuralKernels.erf`, one value.
    public static func erf(_ x: Float) -> Float {
        typealias E = ErfCoefficients
        let x = Swift.min(Swift.max(x, -4), 4)
        let x2 = x * x
        var p = E.a3.addingProduct(x2, E.a1)
        p = E.a5.addingProduct(x2, p)
        p = E.a7.addingProduct(x2, p)
        p = E.a9.addingProduct(x2, p)
        p = E.a11.addingProduct(x2, p)
        p = E.a13.addingProduct(x2, p)
        var q = E.b2.addingProduct(x2, E.b0)
        q = E.b4.addingProduct(x2, q)
        q = E.b6.addingProduct(x2, q)
        q = E.b8.addingProduct(x2, q)
        return x * p / q
    }

    static func geluOne(_ v: Float) -> Float {
        v * 0.5 * (1 + erf(v * ErfCoefficients.invSqrt2))
    }

    public static func gelu(_ x: [Float]) -> [Float] { x.map(geluOne) }

    public static func meanPool(_ x: [Float], rows: Int, width: Int) -> [Float] {
        let inv = 1 / Float(rows)
        return (0..<width).map { i in
            var acc: Float = 0
            for r in 0..<rows { acc += x[r * width + i] }
            return acc * inv
        }
    }

    public static func l2Normalise(_ x: [Float]) -> [Float] {
        var lanes = [Float](repeating: 0, count: 16)
        var i = 0
        while i + 16 <= x.count {
            for l in 0..<16 { lanes[l] = lanes[l].addingProduct(x[i + l], x[i + l]) }
            i += 16
        }
        var sq = fold(lanes)
        while i < x.count { sq = sq.addingProduct(x[i], x[i]); i += 1 }
        let inv = 1 / Swift.max(sq.squareRoot(), 1e-12)
        return x.map { $0 * inv }
    }
}
