import Foundation
import HashmarkFingerprint
import HashmarkMedia
import HashmarkTransforms
import Testing

/// The evaluation's audio edits do what their names say, measured on synthetic signals.
@Suite("Audio edits")
struct AudioEditTests {
    static let rate = 22_050

    static func tone(_ hz: Double, seconds: Double, amplitude: Float = 0.5) -> [Float] {
        let w = 2 * Double.pi * hz / Double(rate)
        return (0..<Int(seconds * Double(rate))).map { i -> Float in amplitude * Float(sin(w * Double(i))) }
    }

    /// A music-like signal: a few partials whose notes change every 250 ms, seeded.
    static func music(seconds: Double, seed: UInt64 = 7) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        let note = rate / 4
        var out = [Float](repeating: 0, count: Int(seconds * Double(rate)))
        var start = 0
        while start < out.count {
            let f = 110 * pow(2, Double(rng.nextInt(below: 36)) / 12)
            for i in start..<min(out.count, start + note) {
                let t = Double(i) / Double(rate), env = Float(exp(-3 * Double(i - start) / Double(note)))
                out[i] = env * Float(0.4 * sin(2 * .pi * f * t) + 0.2 * sin(4 * .pi * f * t) + 0.1 * sin(6 * .pi * f * t))
            }
            start += note
        }
        return out
    }

    static func rms(_ x: ArraySlice<Float>) -> Double {
        (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, x.count))).squareRoot()
    }

    /// The strongest frequency of the middle 2^15 samples (bin refined by a parabola).
    static func peakHz(_ x: [Float]) -> Double {
        let n = 1 << 15
        let mid = Array(x[(x.count - n) / 2..<(x.count + n) / 2])
        let plan = FFTPlan(size: n)!
        let (re, im) = plan.forward(zip(mid, Spectrogram.hann(n)).map { $0 * $1 })
        let mag = zip(re, im).map { ($0 * $0 + $1 * $1).squareRoot() }
        let k = (1..<mag.count - 1).max { mag[$0] < mag[$1] }!
        let a = Double(logf(mag[k - 1])), b = Double(logf(mag[k])), c = Double(logf(mag[k + 1]))
        return (Double(k) + 0.5 * (a - c) / (a - 2 * b + c)) * Double(rate) / Double(n)
    }

    static func apply(_ edit: AudioEdit, _ x: [Float], other: [Float] = [], seed: UInt64 = 1) throws -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return try edit.apply(x, rate: rate, other: other, rng: &rng)
    }

    @Test func editsAreDeterministicForASeed() throws {
        let x = Self.music(seconds: 4), other = Self.music(seconds: 6, seed: 9)
        for edit in AudioEditSuite.standard.cases.map(\.edit) {
            #expect(try Self.apply(edit, x, other: other, seed: 5) == (try Self.apply(edit, x, other: other, seed: 5)), "\(edit)")
        }
        #expect(try Self.apply(.noise(snrDB: 10), x, seed: 5) != (try Self.apply(.noise(snrDB: 10), x, seed: 6)))
    }

    @Test(arguments: [10.0, 15.0, 20.0])
    func noiseHasTheAskedSNR(_ snr: Double) throws {
        let x = Self.music(seconds: 5)
        let y = try Self.apply(.noise(snrDB: snr), x)
        let noise = zip(y, x).map { $0 - $1 }
        let measured = 20 * log10(Self.rms(x[...]) / Self.rms(noise[...]))
        #expect(abs(measured - snr) < 0.5, "\(measured)")
    }

    @Test func bandLimitPassesSpeechAndStopsTheRest() throws {
        for (hz, passes) in [(150.0, false), (1000.0, true), (6800.0, false)] {  // an octave beyond each edge: 24 dB
            let x = Self.tone(hz, seconds: 2)
            let y = try Self.apply(.bandLimit(lowHz: 300, highHz: 3400), x)
            let gain = 20 * log10(Self.rms(y[Self.rate...]) / Self.rms(x[Self.rate...]))
            if passes { #expect(abs(gain) < 1, "\(hz) Hz: \(gain) dB") } else { #expect(gain < -20, "\(hz) Hz: \(gain) dB") }
        }
    }

    @Test(arguments: [0.95, 1.05])
    func tempoChangesDurationNotPitch(_ factor: Double) throws {
        let x = Self.tone(440, seconds: 4)
        let y = try Self.apply(.tempo(factor), x)
        #expect(abs(Double(y.count) / Double(x.count) - 1 / factor) < 0.01)
        #expect(abs(Self.peakHz(y) / 440 - 1) < 0.01, "\(Self.peakHz(y))")
    }

    @Test(arguments: [0.95, 1.05])
    func pitchChangesPitchNotDuration(_ factor: Double) throws {
        let x = Self.tone(440, seconds: 4)
        let y = try Self.apply(.pitch(factor), x)
        #expect(abs(Double(y.count) / Double(x.count) - 1) < 0.01, "\(y.count) of \(x.count)")
        #expect(abs(Self.peakHz(y) / (440 * factor) - 1) < 0.01, "\(Self.peakHz(y))")
    }

    @Test(arguments: [0.95, 1.05])
    func speedChangesBoth(_ factor: Double) throws {
        let x = Self.tone(440, seconds: 4)
        let y = try Self.apply(.speed(factor), x)
        #expect(abs(Double(y.count) / Double(x.count) - 1 / factor) < 0.01)
        #expect(abs(Self.peakHz(y) / (440 * factor) - 1) < 0.01, "\(Self.peakHz(y))")
    }

    /// A re-encoding decodes back aligned with the input (no codec delay left in), same length.
    @Test(arguments: [MediaType.mp3, .ogg])
    func reencodingStaysAligned(_ format: MediaType) throws {
        let x = Self.music(seconds: 4)
        let y = try Self.apply(.reencode(format, quality: 0.1), x)
        #expect(abs(Double(y.count) / Double(x.count) - 1) < 0.05, "\(y.count) of \(x.count)")
        var best = (lag: 0, corr: -1.0)
        for lag in -2_000...2_000 {
            var sxy = 0.0, sxx = 0.0, syy = 0.0
            for i in stride(from: 4_000, to: x.count - 4_000, by: 3) {
                let a = Double(x[i]), b = Double(y[min(y.count - 1, max(0, i + lag))])
                sxy += a * b; sxx += a * a; syy += b * b
            }
            let c = sxy / (sxx * syy).squareRoot()
            if c > best.corr { best = (lag, c) }
        }
        #expect(best.corr > 0.9, "\(best)")
        // A codec delay shifts the copy; the matcher's offset absorbs it, the report states it.
        #expect(abs(best.lag) < 1_600, "\(best)")
    }

    /// The work is a ramp (every sample tells where it came from): the result must hold one run
    /// of 10 s of consecutive work samples (less the 50 ms fades), inside the 40 s track.
    @Test func anExcerptSitsInsideTheOtherRecording() throws {
        let step: Float = 1.0 / 1_048_576
        let x = (0..<(20 * Self.rate)).map { Float($0) * step }
        let other = Self.tone(220, seconds: 7, amplitude: 0.9)
        let y = try Self.apply(.excerpt(seconds: 10, trackSeconds: 40), x, other: other, seed: 3)
        #expect(y.count == 40 * Self.rate)
        var longest = 0, run = 0, runStart = 0, start = 0
        for j in 1..<y.count {
            let isWork = y[j] - y[j - 1] == step && (y[j] / step).rounded() == y[j] / step
            run = isWork ? run + 1 : 0
            if run == 1 { runStart = j - 1 }
            if run > longest { longest = run; start = runStart }
        }
        let fade = Self.rate / 20
        #expect(longest >= 10 * Self.rate - 2 * fade - 2 && longest <= 10 * Self.rate, "\(longest)")
        let from = Int((y[start] / step).rounded())
        #expect(from >= fade && from + longest <= x.count, "from \(from)")
        #expect(throws: TransformError.self) { _ = try Self.apply(.excerpt(seconds: 10, trackSeconds: 40), x) }
    }

    @Test func mixLevelsAreRelativeToTheWork() throws {
        let x = Self.tone(440, seconds: 2), other = Self.tone(660, seconds: 1, amplitude: 0.05)
        let y = try Self.apply(.mix(gainDB: 3), x, other: other)
        let added = zip(y, x).map { $0 - $1 }
        let gain = 20 * log10(Self.rms(added[...]) / Self.rms(x[...]))
        #expect(abs(gain - 3) < 0.1, "\(gain)")
    }
}
