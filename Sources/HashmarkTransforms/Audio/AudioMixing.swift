#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Levels, mixes and placements of mono recordings.
enum AudioMixing {
    static func rms(_ x: [Float]) -> Float {
        guard !x.isEmpty else { return 0 }
        var sum: Double = 0
        for v in x { sum += Double(v) * Double(v) }
        return Float((sum / Double(x.count)).squareRoot())
    }

    /// Scaled down so no sample exceeds 0.99 (never scaled up).
    static func normalised(_ x: [Float]) -> [Float] {
        let peak = x.reduce(0) { max($0, abs($1)) }
        guard peak > 0.99 else { return x }
        let s = 0.99 / peak
        return x.map { $0 * s }
    }

    /// `y` repeated (or cut) to `count` samples.
    static func looped(_ y: [Float], count: Int) -> [Float] {
        guard !y.isEmpty, count > 0 else { return [Float](repeating: 0, count: max(0, count)) }
        return (0..<count).map { y[$0 % y.count] }
    }

    /// `x` plus `other` (looped to `x`'s length) scaled to `otherGainDB` relative to `x`'s RMS.
    static func mix(_ x: [Float], _ other: [Float], otherGainDB: Double) -> [Float] {
        let bed = looped(other, count: x.count)
        let target = Double(rms(x)) * exp(otherGainDB / 20 * log(10.0))
        let scale = Float(target / max(1e-9, Double(rms(bed))))
        return zip(x, bed).map { $0 + scale * $1 }
    }

    /// Where an excerpt went: its first sample in the result and in the work.
    struct Placement: Equatable {
        var atSample: Int
        var fromSample: Int
        var count: Int
    }

    /// `seconds` of `x` from a seeded start, over a seeded place of `trackSeconds` of `other`
    /// (looped), replacing it, with 50 ms fades in and out. A work shorter than `seconds` + 1 s
    /// gives all but its last second.
    static func excerpt(_ x: [Float], seconds: Double, inside other: [Float], trackSeconds: Double, rate: Int,
                        rng: inout SeededGenerator) -> [Float] {
        excerptPlaced(x, seconds: seconds, inside: other, trackSeconds: trackSeconds, rate: rate, rng: &rng).samples
    }

    static func excerptPlaced(_ x: [Float], seconds: Double, inside other: [Float], trackSeconds: Double, rate: Int,
                              rng: inout SeededGenerator) -> (samples: [Float], placement: Placement) {
        let count = max(1, min(Int(seconds * Double(rate)), x.count - rate))
        let trackCount = max(count, Int(trackSeconds * Double(rate)))
        var track = looped(other, count: trackCount)
        // The bed at the work's level, so neither hides the other.
        let scale = rms(track) > 0 ? rms(x) / rms(track) : 1
        for i in track.indices { track[i] *= scale }
        let from = x.count > count ? rng.nextInt(below: x.count - count + 1) : 0
        let at = trackCount > count ? rng.nextInt(below: trackCount - count + 1) : 0
        let fade = min(count / 2, rate / 20)
        for i in 0..<count {
            var g: Float = 1
            if i < fade { g = Float(i) / Float(fade) } else if i >= count - fade { g = Float(count - 1 - i) / Float(fade) }
            track[at + i] = g * x[from + i] + (1 - g) * track[at + i]
        }
        return (track, Placement(atSample: at, fromSample: from, count: count))
    }
}

/// RBJ cookbook biquads (Butterworth Q), run in direct form I.
struct Biquad {
    var b0: Double, b1: Double, b2: Double, a1: Double, a2: Double

    static func lowPass(_ f: Double, rate: Double, q: Double = 0.5.squareRoot()) -> Biquad {
        let w = 2 * Double.pi * f / rate, alpha = sin(w) / (2 * q), c = cos(w), a0 = 1 + alpha
        return Biquad(b0: (1 - c) / 2 / a0, b1: (1 - c) / a0, b2: (1 - c) / 2 / a0, a1: -2 * c / a0, a2: (1 - alpha) / a0)
    }

    static func highPass(_ f: Double, rate: Double, q: Double = 0.5.squareRoot()) -> Biquad {
        let w = 2 * Double.pi * f / rate, alpha = sin(w) / (2 * q), c = cos(w), a0 = 1 + alpha
        return Biquad(b0: (1 + c) / 2 / a0, b1: -(1 + c) / a0, b2: (1 + c) / 2 / a0, a1: -2 * c / a0, a2: (1 - alpha) / a0)
    }

    func run(_ x: [Float]) -> [Float] {
        var x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0
        return x.map { v in
            let x0 = Double(v)
            let y0 = b0 * x0 + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
            x2 = x1; x1 = x0; y2 = y1; y1 = y0
            return Float(y0)
        }
    }

    /// Two high passes at `low` and two low passes at `high`: 24 dB per octave each side.
    static func bandPass(_ x: [Float], rate: Double, low: Double, high: Double) -> [Float] {
        let hp = highPass(low, rate: rate), lp = lowPass(high, rate: rate)
        return lp.run(lp.run(hp.run(hp.run(x))))
    }
}
