import Foundation
@_spi(Testing) import HashmarkMedia
import Testing

/// The integer-factor decimator: its SIMD kernel equals the scalar twin bit for bit, streaming
/// equals one call, the length and timing are exact, the pass band passes and aliases are stopped.
@Suite("Decimator")
struct DecimatorTests {
    static func run(_ d: Decimator, _ x: [Float], chunks: [Int] = [], simd: Bool = true) -> [Float] {
        var out: [Float] = []
        var at = 0
        for c in chunks where at < x.count {
            let n = min(c, x.count - at)
            x.withUnsafeBufferPointer { d.process(UnsafeBufferPointer(rebasing: $0[at..<at + n]), end: false, into: &out, simd: simd) }
            at += n
        }
        x.withUnsafeBufferPointer { d.process(UnsafeBufferPointer(rebasing: $0[at...]), end: true, into: &out, simd: simd) }
        return out
    }

    static func noise(_ n: Int, seed: UInt64) -> [Float] {
        var s = seed
        return (0..<n).map { _ in
            s = s &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: s) >> 40) / Float(1 << 23)
        }
    }

    @Test func onlyIntegerFactorsFrom2To8() {
        #expect(Decimator(from: 22_050, to: 11_025)?.factor == 2)
        #expect(Decimator(from: 44_100, to: 11_025)?.factor == 4)
        #expect(Decimator(from: 88_200, to: 11_025)?.factor == 8)
        #expect(Decimator(from: 48_000, to: 11_025) == nil)
        #expect(Decimator(from: 11_025, to: 11_025) == nil)
        #expect(Decimator(from: 176_400, to: 11_025) == nil)
    }

    @Test(arguments: [0, 1, 63, 64, 65, 1_000, 44_101])
    func simdEqualsScalarAndStreamingEqualsOneCall(_ n: Int) throws {
        for rate in [22_050, 44_100] {
            let x = Self.noise(n, seed: UInt64(n + rate))
            let one = Self.run(try #require(Decimator(from: rate, to: 11_025)), x)
            let scalar = Self.run(try #require(Decimator(from: rate, to: 11_025)), x, simd: false)
            let chunked = Self.run(try #require(Decimator(from: rate, to: 11_025)), x, chunks: [1, 7, 300, 8_192, 5])
            #expect(one == scalar, "\(n) at \(rate)")
            #expect(one == chunked, "\(n) at \(rate)")
            let factor = rate / 11_025
            #expect(one.count == (n + factor - 1) / factor, "\(n) at \(rate): \(one.count)")
        }
    }

    /// An impulse at input sample 4,000 comes out centred on output sample 4,000 / factor.
    @Test func noDelay() throws {
        for rate in [22_050, 44_100] {
            var x = [Float](repeating: 0, count: 8_000)
            x[4_000] = 1
            let y = Self.run(try #require(Decimator(from: rate, to: 11_025)), x)
            let peak = y.indices.max { y[$0] < y[$1] }
            #expect(peak == 4_000 / (rate / 11_025))
        }
    }

    /// Gain of a tone at `hz` through the decimator, in dB (RMS of the middle half).
    static func gain(_ hz: Double, rate: Int) throws -> Double {
        let x = (0..<rate).map { Float(0.5 * sin(2 * Double.pi * hz * Double($0) / Double(rate))) }
        let y = run(try #require(Decimator(from: rate, to: 11_025)), x)
        func rms(_ v: ArraySlice<Float>) -> Double { (v.reduce(0.0) { $0 + Double($1 * $1) } / Double(v.count)).squareRoot() }
        return 20 * log10(rms(y[y.count / 4..<y.count * 3 / 4]) / rms(x[x.count / 4..<x.count * 3 / 4]))
    }

    @Test(arguments: [22_050, 44_100])
    func passesTheLandmarkBandAndStopsAliases(_ rate: Int) throws {
        for hz in [43.0, 1_000, 4_000, 4_960] { #expect(abs(try Self.gain(hz, rate: rate)) < 0.1, "\(hz) Hz at \(rate)") }
        // Anything from 6,065 Hz up would fold below 4,960 Hz at 11,025 Hz.
        for hz in [6_065.0, 7_000, 9_000, 10_500] { #expect(try Self.gain(hz, rate: rate) < -70, "\(hz) Hz at \(rate)") }
    }
}
