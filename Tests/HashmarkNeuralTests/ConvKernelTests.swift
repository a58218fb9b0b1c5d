@_spi(Testing) import HashmarkNeural
import HashmarkTestSupport
import Testing

/// The image descriptor's SIMD kernels against their scalar twins, bit for bit, on seeded random
/// inputs around the SIMD width and the tails of the 8-pixel blocks.
@Suite("Convolution kernels: SIMD vs scalar twin")
struct ConvKernelTests {
    @Test(arguments: [(1, 1, 1), (7, 27, 16), (8, 16, 24), (9, 24, 40), (17, 40, 17), (63, 96, 32), (64, 3, 80),
                      (65, 144, 16), (200, 1152, 48)])
    func pointwiseMatchesScalarTwin(pixels: Int, cin: Int, cout: Int) {
        var rng = TestRandom(seed: UInt64(pixels * 10_000 + cin * 100 + cout))
        let x = rng.floats(pixels * cin, -3...3), w = rng.floats(cout * cin, -1...1), bias = rng.floats(cout)
        let skip = rng.floats(pixels * cout)
        let weights = PanelWeights(w: w, bias: bias, cout: cout, cin: cin)
        for (act, residual) in [(false, false), (true, false), (false, true)] {
            let expected = ConvKernelsScalar.pointwise(x, pixels: pixels, w: w, bias: bias, cout: cout, cin: cin,
                                                       relu6: act, residual: residual ? skip : nil)
            var y = [Float](repeating: .nan, count: pixels * cout)
            x.withUnsafeBufferPointer { xp in
                skip.withUnsafeBufferPointer { sp in
                    ConvKernels.pointwise(xp.baseAddress!, pixels: pixels, weights: weights, relu6: act,
                                          residual: residual ? sp.baseAddress : nil, into: &y)
                }
            }
            #expect(bits(y) == bits(expected), "\(pixels)×\(cin)→\(cout) relu6 \(act) residual \(residual)")
        }
    }

    @Test(arguments: [(1, 1, 16, 3, 1), (1, 1, 16, 5, 2), (5, 4, 32, 3, 2), (8, 8, 16, 5, 1), (9, 7, 48, 5, 2),
                      (10, 11, 96, 3, 1), (20, 20, 144, 3, 2)])
    func depthwiseMatchesScalarTwin(h: Int, w: Int, c: Int, k: Int, s: Int) {
        var rng = TestRandom(seed: UInt64(h * 1000 + w * 100 + c + k * 7 + s))
        let x = rng.floats(h * w * c, -3...3), weights = rng.floats(c * k * k, -1...1), bias = rng.floats(c)
        let expected = ConvKernelsScalar.depthwise(x, height: h, width: w, channels: c, kernel: k, stride: s,
                                                   w: weights, bias: bias)
        // The SIMD kernel takes the weights as [k, k, c].
        var relaid = [Float](repeating: 0, count: weights.count)
        for ch in 0..<c { for t in 0..<(k * k) { relaid[t * c + ch] = weights[ch * k * k + t] } }
        var y = [Float](repeating: .nan, count: expected.count)
        ConvKernels.depthwise(x, height: h, width: w, channels: c, kernel: k, stride: s, weights: relaid, bias: bias,
                              into: &y)
        #expect(bits(y) == bits(expected), "\(h)×\(w)×\(c) k\(k) s\(s)")
    }

    @Test(arguments: [(1, 16), (25, 32), (100, 1280)])
    func gemMatchesScalarTwin(pixels: Int, c: Int) {
        var rng = TestRandom(seed: UInt64(pixels + c))
        var x = rng.floats(pixels * c, -1...6)
        x[0] = 0  // clamped to 1e-6
        var y = [Float](repeating: .nan, count: c)
        ConvKernels.gem3(x, pixels: pixels, channels: c, into: &y)
        #expect(bits(y) == bits(ConvKernelsScalar.gem3(x, pixels: pixels, channels: c)))
    }
}
