import HashmarkTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seeded synthetic "music" at 11025 Hz for the audio tests: a few voices of decaying notes
/// (each with its second harmonic) over faint noise. Not music, but it has what landmarks need:
/// onsets in time and partials in frequency.
enum AudioSynth {
    static let rate = 11_025.0

    static func recording(seed: UInt64, seconds: Double, voices: Int = 3) -> [Float] {
        var rng = TestRandom(seed: seed)
        let n = Int(seconds * rate)
        var out = rng.floats(n, -0.005...0.005)
        for _ in 0..<voices {
            var start = Double.random(in: 0...0.2, using: &rng)
            while start < seconds {
                let hz = exp(Double.random(in: log(150.0)...log(3_500.0), using: &rng))
                let dur = Double.random(in: 0.08...0.35, using: &rng)
                let amp = Float.random(in: 0.08...0.25, using: &rng)
                let s0 = Int(start * rate), s1 = min(n, Int((start + dur) * rate))
                if s0 < s1 {
                    for i in s0..<s1 {
                        let t = Double(i - s0) / rate
                        let env = min(1, t / 0.005) * exp(-3 * t / dur)
                        let ph = 2 * Double.pi * hz * t
                        out[i] += amp * Float(env * (sin(ph) + 0.5 * sin(2 * ph)))
                    }
                }
                start += dur + Double.random(in: 0...0.05, using: &rng)
            }
        }
        return out
    }

    /// `x` read at positions `i · factor` by linear interpolation: `factor` > 1 is faster and higher.
    static func resample(_ x: [Float], by factor: Double) -> [Float] {
        let n = Int(Double(x.count - 1) / factor)
        return (0..<max(n, 0)).map { i in
            let p = Double(i) * factor
            let k = Int(p), f = Float(p - Double(k))
            return k + 1 < x.count ? x[k] * (1 - f) + x[k + 1] * f : x[k]
        }
    }

    /// `x` plus white noise at the given signal-to-noise ratio (dB, by mean power).
    static func noisy(_ x: [Float], snr: Double, seed: UInt64) -> [Float] {
        var rng = TestRandom(seed: seed)
        let power = x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(x.count, 1))
        // Uniform on [-a, a] has power a²/3.
        let a = Float((3 * power / pow(10, snr / 10)).squareRoot())
        return x.map { $0 + Float.random(in: -a...a, using: &rng) }
    }
}
