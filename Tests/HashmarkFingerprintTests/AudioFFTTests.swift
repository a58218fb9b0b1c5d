import Foundation
import HashmarkTestSupport
import Testing
@_spi(Testing) import HashmarkFingerprint

/// The real FFT against numpy's `rfft` (Tests/Fixtures/audio-fp), against a float64 DFT, and its
/// SIMD butterflies against the scalar twin.
@Suite("AudioFFT")
struct AudioFFTTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/audio-fp")

    struct Golden { let input: [Float]; let re: [Double]; let im: [Double] }

    static func golden(_ name: String) throws -> Golden {
        let text = try String(contentsOf: directory.appendingPathComponent(name + ".txt"), encoding: .utf8)
        var lines = text.split(separator: "\n")[...]
        let header = lines.popFirst()?.split(separator: " ") ?? []
        let n = header.count == 2 ? Int(header[1]) ?? 0 : 0
        let input = lines.prefix(n).compactMap { Float($0) }
        var re: [Double] = [], im: [Double] = []
        for line in lines.dropFirst(n) {
            let p = line.split(separator: " ").compactMap { Double($0) }
            if p.count == 2 { re.append(p[0]); im.append(p[1]) }
        }
        return Golden(input: input, re: re, im: im)
    }

    /// max |X − ref| / max |ref| over all bins.
    static func relativeError(_ re: [Float], _ im: [Float], _ rre: [Double], _ rim: [Double]) -> Double {
        var err = 0.0, peak = 0.0
        for k in rre.indices {
            peak = max(peak, (rre[k] * rre[k] + rim[k] * rim[k]).squareRoot())
            let dr = Double(re[k]) - rre[k], di = Double(im[k]) - rim[k]
            err = max(err, (dr * dr + di * di).squareRoot())
        }
        return err / max(peak, 1e-30)
    }

    @Test(arguments: ["random-512", "sine-512", "impulse-512", "random-1024", "sine-1024", "impulse-1024"])
    func matchesNumpyRFFT(_ name: String) throws {
        let g = try Self.golden(name)
        #expect(g.input.count == 512 || g.input.count == 1024, "\(name): fixture unreadable")
        #expect(g.re.count == g.input.count / 2 + 1)
        let plan = try #require(FFTPlan(size: g.input.count))
        let outputs: [(String, (re: [Float], im: [Float]))] = [("simd", plan.forward(g.input)), ("scalar", plan.forwardScalar(g.input))]
        for (label, out) in outputs {
            let e = Self.relativeError(out.re, out.im, g.re, g.im)
            #expect(e <= 1e-4, "\(name) \(label): relative error \(e)")
        }
    }

    /// Every size from 4 to 4096 (both the scalar-only stages and the SIMD ones) against a
    /// float64 DFT on seeded random input.
    @Test func matchesADoubleDFT() throws {
        var rng = TestRandom(seed: 18)
        for bits in 2...12 {
            let n = 1 << bits
            let x = rng.floats(n, -1...1)
            let plan = try #require(FFTPlan(size: n))
            let (re, im) = plan.forward(x)
            var rre: [Double] = [], rim: [Double] = []
            for k in 0...(n / 2) {
                var sr = 0.0, si = 0.0
                for t in 0..<n {
                    let a = -2 * Double.pi * Double((k * t) % n) / Double(n)
                    sr += Double(x[t]) * cos(a)
                    si += Double(x[t]) * sin(a)
                }
                rre.append(sr); rim.append(si)
            }
            let e = Self.relativeError(re, im, rre, rim)
            #expect(e <= 1e-5, "n \(n): relative error \(e), \(rng.replay)")
        }
    }

    @Test func simdAgreesWithTheScalarTwin() throws {
        var rng = TestRandom(seed: 19)
        for bits in 2...12 {
            let n = 1 << bits
            let plan = try #require(FFTPlan(size: n))
            // Full, empty, one sample, and short/long inputs (zero-padded or truncated).
            for len in [n, 0, 1, n / 2 + 1, n - 1, n + 3] {
                let x = rng.floats(len, -1...1)
                let a = plan.forward(x), b = plan.forwardScalar(x)
                let e = Self.relativeError(a.re, a.im, b.re.map(Double.init), b.im.map(Double.init))
                #expect(e <= 1e-5, "n \(n) len \(len): \(e), \(rng.replay)")
                #expect(a.re.count == n / 2 + 1 && a.im.count == n / 2 + 1)
            }
        }
    }

    @Test func refusesSizesThatAreNotPowersOfTwo() {
        for n in [-8, 0, 1, 2, 3, 6, 1000, 1 << 21] { #expect(FFTPlan(size: n) == nil, "size \(n)") }
        #expect(FFTPlan(size: 1024)?.size == 1024)
    }
}
