#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Downsampling by an integer factor (22,050 or 44,100 Hz to 11,025 Hz): a Blackman-windowed
/// sinc low pass evaluated only at the samples kept, streaming, one `SIMD8` dot product per
/// output sample (`filterScalar` is its scalar twin, equal bit for bit).
///
/// The pass band ends at 90 % of the output's Nyquist frequency and the filter reaches its
/// stop band (about −74 dB) where aliases would fold back into it, so the 43 Hz–5 kHz band the
/// landmarks use is clean. In its place libsamplerate's `SRC_SINC_FASTEST` took 60 % of
/// `hashmark hash` on 22,050 Hz FLAC; with it the whole run is 2.3× faster (Benchmarks/AUDIO.md).
/// Other ratios keep using libsamplerate.
@_spi(Testing) public final class Decimator {
    public let factor: Int
    /// Odd length, symmetric, unit DC gain.
    public let taps: [Float]
    private var pending: [Float]
    /// Absolute input index of `pending[0]` (negative while the leading zeros are in it).
    private var base: Int
    /// Absolute input index at the centre of the next output sample.
    private var centre = 0
    private var consumed = 0

    /// `nil` unless `sourceRate` is `targetRate` times 2…8.
    public init?(from sourceRate: Int, to targetRate: Int) {
        guard targetRate > 0, sourceRate % targetRate == 0, (2...8).contains(sourceRate / targetRate) else { return nil }
        factor = sourceRate / targetRate
        taps = Self.design(factor: factor)
        let half = taps.count / 2
        pending = [Float](repeating: 0, count: half)
        base = -half
    }

    /// A low pass with its cut-off midway between 90 % of the output Nyquist and the first alias
    /// that folds below it, long enough for that transition (Blackman: ~5.5 / N wide).
    static func design(factor: Int) -> [Float] {
        let nyquist = 0.5 / Double(factor)            // of the output, in cycles per input sample
        let pass = 0.9 * nyquist, stop = 2 * nyquist - pass
        let cutoff = (pass + stop) / 2
        var n = Int((5.5 / (stop - pass)).rounded(.up))
        if n % 2 == 0 { n += 1 }
        let m = Double(n - 1)
        var h = (0..<n).map { i -> Double in
            let x = Double(i) - m / 2
            let sinc = x == 0 ? 2 * cutoff : sin(2 * Double.pi * cutoff * x) / (Double.pi * x)
            let w = 0.42 - 0.5 * cos(2 * Double.pi * Double(i) / m) + 0.08 * cos(4 * Double.pi * Double(i) / m)
            return sinc * w
        }
        let sum = h.reduce(0, +)
        h = h.map { $0 / sum }
        return h.map(Float.init)
    }

    /// Filters `input` and appends the output samples it completes; `end` flushes the tail
    /// (the input continued by zeros), so the whole output has ⌈input / factor⌉ samples.
    public func process(_ input: UnsafeBufferPointer<Float>, end: Bool, into output: inout [Float], simd: Bool = true) {
        pending.append(contentsOf: input)
        consumed += input.count
        let half = taps.count / 2
        if end { pending.append(contentsOf: repeatElement(0, count: half)) }
        let last = end ? consumed - 1 : Int.max
        pending.withUnsafeBufferPointer { p in
            taps.withUnsafeBufferPointer { t in
                while centre <= last, centre + half < base + p.count {
                    let at = centre - half - base
                    output.append(simd ? Self.filter(p, at, t) : Self.filterScalar(p, at, t))
                    centre += factor
                }
            }
        }
        let drop = min(pending.count, max(0, centre - half - base))
        pending.removeFirst(drop)
        base += drop
    }

    /// Σ taps[i] · x[at + i] in eight lanes, then the lanes summed in order, then the remainder.
    @inline(__always)
    static func filter(_ x: UnsafeBufferPointer<Float>, _ at: Int, _ t: UnsafeBufferPointer<Float>) -> Float {
        let n = t.count, blocks = n / 8
        var acc = SIMD8<Float>(repeating: 0)
        let xs = UnsafeRawPointer(x.baseAddress! + at), ts = UnsafeRawPointer(t.baseAddress!)
        for b in 0..<blocks {
            let xv = xs.loadUnaligned(fromByteOffset: 32 * b, as: SIMD8<Float>.self)
            let tv = ts.loadUnaligned(fromByteOffset: 32 * b, as: SIMD8<Float>.self)
            acc = acc.addingProduct(xv, tv)
        }
        var sum: Float = 0
        for lane in 0..<8 { sum += acc[lane] }
        for i in (blocks * 8)..<n { sum = sum.addingProduct(x[at + i], t[i]) }
        return sum
    }

    /// The scalar twin of `filter`: the same products summed in the same order.
    static func filterScalar(_ x: UnsafeBufferPointer<Float>, _ at: Int, _ t: UnsafeBufferPointer<Float>) -> Float {
        let n = t.count, blocks = n / 8
        var lanes = [Float](repeating: 0, count: 8)
        for b in 0..<blocks {
            for lane in 0..<8 { lanes[lane] = lanes[lane].addingProduct(x[at + 8 * b + lane], t[8 * b + lane]) }
        }
        var sum: Float = 0
        for lane in 0..<8 { sum += lanes[lane] }
        for i in (blocks * 8)..<n { sum = sum.addingProduct(x[at + i], t[i]) }
        return sum
    }
}
