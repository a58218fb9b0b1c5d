import Foundation
@_spi(Testing) import HashmarkNeural
import HashmarkTestSupport
import Testing

func bits(_ a: [Float]) -> [UInt32] { a.map(\.bitPattern) }

/// Every SIMD kernel of the MiniLM forward pass against its scalar twin, bit for bit.
@Suite("Neural kernels: SIMD vs scalar twin")
struct NeuralKernelTests {
    /// Lengths around the SIMD width and the model's own (384, 1536).
    static let lengths = [0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 384, 1536]

    @Test(arguments: [(1, 32, 32, 32), (5, 64, 32, 32), (6, 384, 64, 32), (7, 96, 128, 16), (13, 1536, 32, 32),
                      (30, 384, 1536, 32), (31, 384, 96, 128)])
    func linearMatchesScalarTwin(tokens: Int, cols: Int, rows: Int, group: Int) throws {
        var rng = TestRandom(seed: UInt64(tokens * 1000 + cols))
        let values = (0..<(rows * cols)).map { _ in Int8.random(in: -127...127, using: &rng) }
        let scales = rng.floats(rows * cols / group, 0.0001...0.05)
        let x = rng.floats(tokens * cols), bias = rng.floats(rows)
        let expected = NeuralKernelsScalar.linear(x, tokens: tokens, values: values, scales: scales, rows: rows,
                                                  cols: cols, groupSize: group, bias: bias)
        for once in [false, true] {
            let matrix = try #require(values.withUnsafeBufferPointer { v in
                scales.withUnsafeBufferPointer { s in
                    Int8GroupMatrix(values: v, scales: s, rows: rows, cols: cols, groupSize: group, dequantiseOnce: once)
                }
            })
            var y = [Float](repeating: .nan, count: tokens * rows)
            var panel = [Float](repeating: 0, count: cols * 32)
            NeuralKernels.linear(x, tokens: tokens, matrix: matrix, bias: bias, into: &y, panelScratch: &panel)
            #expect(bits(y) == bits(expected), "\(tokens)×\(cols)→\(rows) once \(once) \(rng.replay)")
        }
    }

    /// The int16 path (AVX-512 VNNI, C) against its Swift twin, on the same quantised inputs.
    @Test(.enabled(if: NeuralKernels.int16Available, "this CPU has no AVX-512 VNNI: the float path is used"),
          arguments: [(1, 32, 32, 32), (5, 64, 32, 32), (6, 384, 64, 32), (7, 96, 128, 16), (13, 1536, 32, 32),
                      (30, 384, 1536, 32), (31, 384, 96, 128), (8, 1024, 32, 512)])
    func int16LinearMatchesScalarTwin(tokens: Int, cols: Int, rows: Int, group: Int) throws {
        var rng = TestRandom(seed: UInt64(tokens * 1000 + cols + 7))
        // Extreme int8 values too, and a group of 512: the largest whose int32 sums cannot overflow.
        let values = (0..<(rows * cols)).map { i in i % 97 == 0 ? Int8.min : Int8.random(in: -127...127, using: &rng) }
        let scales = rng.floats(rows * cols / group, 0.0001...0.05)
        var x = rng.floats(tokens * cols, -8...8)
        x[0] = 1e-30  // tiny beside the row's largest: rounds to 0
        if tokens > 2 { for k in 0..<cols { x[cols + k] = 0 } }  // an all-zero row: the bias alone
        let bias = rng.floats(rows)
        var q = [Int16](repeating: 0, count: tokens * cols), xscale = [Float](repeating: 0, count: tokens)
        #expect(NeuralKernels.quantiseRows(x, tokens: tokens, cols: cols, into: &q, scales: &xscale))
        let expected = NeuralKernelsScalar.linearInt16(q, xscale: xscale, tokens: tokens, values: values, scales: scales,
                                                       rows: rows, cols: cols, groupSize: group, bias: bias)
        let matrix = try #require(values.withUnsafeBufferPointer { v in
            scales.withUnsafeBufferPointer { s in
                Int8GroupMatrix(values: v, scales: s, rows: rows, cols: cols, groupSize: group, dequantiseOnce: false)
            }
        })
        var y = [Float](repeating: .nan, count: tokens * rows)
        var panel = [Float](repeating: 0, count: cols * 32)
        NeuralKernels.linear(x, tokens: tokens, matrix: matrix, bias: bias, into: &y, panelScratch: &panel, int16: true)
        #expect(bits(y) == bits(expected), "\(tokens)×\(cols)→\(rows) group \(group) \(rng.replay)")
        // And close to the float product (16-bit activations: ~1e-4 of the row's scale).
        let float = NeuralKernelsScalar.linear(x, tokens: tokens, values: values, scales: scales, rows: rows, cols: cols,
                                               groupSize: group, bias: bias)
        let worst = (zip(y, float).map { abs($0 - $1) }.max() ?? 0) / (float.map(abs).max() ?? 1)
        #expect(worst < 1e-4, "largest difference to float32, relative to the largest output: \(worst)")
    }

    /// Rows rounded so that the largest magnitude is 32767, ties to even, tails past 16 lanes
    /// included; an all-zero row gets zeros and scale 0; a row with a NaN or infinity is refused.
    @Test func quantisedRowsAreTheRoundedScaledValues() {
        var rng = TestRandom(seed: 11)
        for cols in [1, 15, 16, 17, 40, 384] {
            var x = rng.floats(3 * cols, -5...5)
            for k in 0..<cols { x[cols + k] = 0 }
            var q = [Int16](repeating: 7, count: 3 * cols), s = [Float](repeating: 7, count: 3)
            #expect(NeuralKernels.quantiseRows(x, tokens: 3, cols: cols, into: &q, scales: &s))
            for t in [0, 2] {
                let row = x[(t * cols)..<((t + 1) * cols)], m = row.map(abs).max()!
                #expect(s[t] == m / 32767)
                let want = row.map { Int16(($0 * (32767 / m)).rounded(.toNearestOrEven)) }
                #expect(Array(q[(t * cols)..<((t + 1) * cols)]) == want, "cols \(cols) row \(t) \(rng.replay)")
                #expect(want.contains(32767) || want.contains(-32767))
            }
            #expect(s[1] == 0 && q[cols..<(2 * cols)].allSatisfy { $0 == 0 })
        }
        // Halfway values, in the 16 lanes and in the tail: ties go to the even integer.
        let halves: [Float] = [32767, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5] + [Float](repeating: 0, count: 8) + [0.5, 1.5, -2.5]
        var q = [Int16](repeating: 9, count: halves.count), s: [Float] = [0]
        #expect(NeuralKernels.quantiseRows(halves, tokens: 1, cols: halves.count, into: &q, scales: &s))
        #expect(q == [32767, 0, 2, 2, 0, -2, -2, 4] + [Int16](repeating: 0, count: 8) + [0, 2, -2])
        for bad: Float in [.nan, .infinity] {
            #expect(!NeuralKernels.quantiseRows([1, bad, 2], tokens: 1, cols: 3, into: &q, scales: &s))
        }
    }

    @Test func matrixRejectsSizesThatDoNotFit() {
        let v = [Int8](repeating: 1, count: 48 * 32), s = [Float](repeating: 1, count: 48)
        let m = v.withUnsafeBufferPointer { v in
            s.withUnsafeBufferPointer { s in
                Int8GroupMatrix(values: v, scales: s, rows: 48, cols: 32, groupSize: 32, dequantiseOnce: false)
            }
        }
        #expect(m == nil)
        // An odd group cannot be laid out in pairs.
        let odd = [Int8](repeating: 1, count: 32 * 30), oddScales = [Float](repeating: 1, count: 32 * 2)
        #expect(odd.withUnsafeBufferPointer { v in
            oddScales.withUnsafeBufferPointer { s in
                Int8GroupMatrix(values: v, scales: s, rows: 32, cols: 30, groupSize: 15, dequantiseOnce: false)
            }
        } == nil)
    }

    @Test func layerNormMatchesScalarTwin() {
        var rng = TestRandom(seed: 2)
        for width in Self.lengths where width > 0 {
            for rows in [1, 3] {
                let x = rng.floats(rows * width, -20...20), g = rng.floats(width), b = rng.floats(width)
                var simd = x
                NeuralKernels.layerNorm(&simd, rows: rows, width: width, gamma: g, beta: b, eps: 1e-12)
                let scalar = NeuralKernelsScalar.layerNorm(x, rows: rows, width: width, gamma: g, beta: b, eps: 1e-12)
                #expect(bits(simd) == bits(scalar), "width \(width) rows \(rows) \(rng.replay)")
            }
        }
    }

    @Test func softmaxMatchesScalarTwin() {
        var rng = TestRandom(seed: 3)
        for count in Self.lengths {
            let x = rng.floats(count, -30...30)
            var simd = x
            NeuralKernels.softmax(&simd, count)
            #expect(bits(simd) == bits(NeuralKernelsScalar.softmax(x)), "count \(count) \(rng.replay)")
            if count > 0 { #expect(abs(simd.reduce(0, +) - 1) < 1e-5) }
        }
    }

    @Test func expMatchesScalarTwinAndTheCLibrary() {
        var rng = TestRandom(seed: 6)
        let x = [0, -0.0, -87, 88, -1000, 1000, -.infinity, 1e-20, -1e-20, 0.5, -0.5, -86.9, 87.9, 1, -1, 2] + rng.floats(4096, -90...90)
        var worst: Float = 0
        for start in stride(from: 0, to: x.count - 15, by: 16) {
            let v = NeuralKernels.exp(SIMD16<Float>(x[start..<(start + 16)]))
            for l in 0..<16 {
                let s = NeuralKernelsScalar.exp(x[start + l])
                #expect(v[l].bitPattern == s.bitPattern, "exp(\(x[start + l])) \(rng.replay)")
                let clamped = min(max(x[start + l], -87), 88)
                worst = max(worst, abs(s - Foundation.exp(clamped)) / Foundation.exp(clamped))
            }
        }
        #expect(worst < 3e-7, "exp max relative error \(worst)")
    }

    @Test func geluMatchesScalarTwinAndErf() {
        var rng = TestRandom(seed: 4)
        let edges: [Float] = [0, -0.0, 1e-30, -1e-30, 5.65, -5.66, Float(4 * 2.0.squareRoot()), 100, -100, 3e38, -3e38]
        for count in Self.lengths {
            let x = rng.floats(count, -8...8) + edges
            var simd = x
            NeuralKernels.gelu(&simd, x.count)
            #expect(bits(simd) == bits(NeuralKernelsScalar.gelu(x)), "count \(count) \(rng.replay)")
        }
        // The rational erf against the C library's, and GELU against its double-precision definition.
        var worst: Double = 0
        for i in -80_000...80_000 {
            let v = Float(i) / 10_000
            worst = max(worst, abs(Double(NeuralKernelsScalar.erf(v)) - Foundation.erf(Double(v))))
        }
        #expect(worst < 5e-7, "erf max abs error \(worst)")
    }

    @Test func meanPoolAndL2NormaliseMatchScalarTwins() {
        var rng = TestRandom(seed: 5)
        for width in Self.lengths where width > 0 {
            for rows in [1, 2, 30, 256] {
                let x = rng.floats(rows * width)
                var pooled = [Float](repeating: .nan, count: width)
                NeuralKernels.meanPool(x, rows: rows, width: width, into: &pooled)
                #expect(bits(pooled) == bits(NeuralKernelsScalar.meanPool(x, rows: rows, width: width)),
                        "width \(width) rows \(rows) \(rng.replay)")
            }
            let v = rng.floats(width)
            var simd = v
            NeuralKernels.l2Normalise(&simd, width)
            #expect(bits(simd) == bits(NeuralKernelsScalar.l2Normalise(v)), "width \(width) \(rng.replay)")
        }
        var zero = [Float](repeating: 0, count: 20)
        NeuralKernels.l2Normalise(&zero, 20)
        #expect(zero.allSatisfy { $0 == 0 })
    }
}
