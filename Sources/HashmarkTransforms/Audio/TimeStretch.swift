#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tempo change without pitch change: WSOLA (waveform-similarity overlap-add, Verhelst & Roelands
/// 1993). Output frames of 46 ms overlap by half under a Hann window; each is read from the
/// input near `factor` times its output position, shifted by up to ±6 ms to where it continues the
/// previous frame's waveform best (cross-correlation), so periods line up and pitch is kept.
enum TimeStretch {
    static func wsola(_ x: [Float], factor: Double, rate: Int) throws(TransformError) -> [Float] {
        guard factor > 0.5, factor < 2 else { throw .invalid("tempo factors must be within 0.5…2") }
        let frame = max(64, Int(0.046 * Double(rate)) & ~1)
        let hop = frame / 2
        let search = max(1, Int(0.006 * Double(rate)))
        let window = (0..<frame).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(frame))) }
        let outCount = Int(Double(x.count) / factor)
        var out = [Float](repeating: 0, count: outCount + frame)
        var norm = [Float](repeating: 0, count: outCount + frame)
        func sample(_ i: Int) -> Float { i >= 0 && i < x.count ? x[i] : 0 }
        var previous = 0   // input start of the previous frame
        var k = 0
        while k * hop < outCount {
            let nominal = Int((Double(k * hop) * factor).rounded())
            var start = nominal
            if k > 0 {
                // The previous frame's natural continuation, against candidates near the nominal place.
                let target = previous + hop
                var best = -Float.infinity
                for d in stride(from: -search, through: search, by: 2) {
                    let c = nominal + d
                    var s: Float = 0
                    for i in stride(from: 0, to: hop, by: 2) { s += sample(target + i) * sample(c + i) }
                    if s > best { best = s; start = c }
                }
            }
            for i in 0..<frame {
                out[k * hop + i] += window[i] * sample(start + i)
                norm[k * hop + i] += window[i]
            }
            previous = start
            k += 1
        }
        return (0..<outCount).map { norm[$0] > 1e-3 ? out[$0] / norm[$0] : out[$0] }
    }
}
