#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real-input FFT of one power-of-two size: the twiddles and bit-reversal table computed once.
///
/// A real frame of `size` samples is packed as `size/2` complex values (even samples real, odd
/// imaginary), transformed by an iterative radix-2 decimation-in-time complex FFT, and split into
/// the `size/2 + 1` bins of the real spectrum (the half-size complex trick). The complex FFT runs
/// on split arrays (real parts, imaginary parts) so a stage whose butterfly span is ≥ 8 does eight
/// butterflies per `SIMD8<Float>` operation; `complexScalar` is its plain scalar twin.
public struct FFTPlan: Sendable {
    /// Real input length (a power of two, ≥ 4).
    public let size: Int
    /// Complex FFT length, `size / 2`.
    let half: Int
    /// `bitReverse[i]`: where input `i` of the complex FFT goes before the first stage.
    let bitReverse: [Int32]
    /// Per-stage twiddles, concatenated: the stage with span `h` holds `exp(-iπj/h)`, j < h, at `h - 1`.
    let twiddleRe: [Float]
    let twiddleIm: [Float]
    /// `exp(-2πik/size)`, k ≤ size/2: the rotation of the real-spectrum split.
    let rotationRe: [Float]
    let rotationIm: [Float]

    /// `nil` unless `size` is a power of two between 4 and 2^20.
    public init?(size: Int) {
        guard size >= 4, size <= 1 << 20, size & (size - 1) == 0 else { return nil }
        self.size = size
        let m = size / 2
        half = m
        let bits = m.trailingZeroBitCount
        bitReverse = (0..<m).map { i in
            var r = 0
            for b in 0..<bits where i & (1 << b) != 0 { r |= 1 << (bits - 1 - b) }
            return Int32(r)
        }
        var twRe = [Float](repeating: 0, count: max(m - 1, 0))
        var twIm = twRe
        var h = 1
        while h < m {
            for j in 0..<h {
                let a = -Double.pi * Double(j) / Double(h)
                twRe[h - 1 + j] = Float(cos(a))
                twIm[h - 1 + j] = Float(sin(a))
            }
            h *= 2
        }
        twiddleRe = twRe
        twiddleIm = twIm
        rotationRe = (0...m).map { Float(cos(-2 * Double.pi * Double($0) / Double(size))) }
        rotationIm = (0...m).map { Float(sin(-2 * Double.pi * Double($0) / Double(size))) }
    }

    /// The `size/2 + 1` bins of the real spectrum of `x` (SIMD path). A shorter input is
    /// zero-padded, a longer one truncated to `size` samples.
    public func forward(_ x: [Float]) -> (re: [Float], im: [Float]) {
        transform(x, simd: true)
    }

    /// `forward` through the scalar twin of the complex FFT, for the tests.
    @_spi(Testing) public func forwardScalar(_ x: [Float]) -> (re: [Float], im: [Float]) {
        transform(x, simd: false)
    }

    func transform(_ x: [Float], simd: Bool) -> (re: [Float], im: [Float]) {
        var zr = [Float](repeating: 0, count: half)
        var zi = [Float](repeating: 0, count: half)
        let n = min(x.count, size)
        for i in 0..<n {
            let k = Int(bitReverse[i >> 1])
            if i & 1 == 0 { zr[k] = x[i] } else { zi[k] = x[i] }
        }
        zr.withUnsafeMutableBufferPointer { r in
            zi.withUnsafeMutableBufferPointer { i in
                if simd { butterfliesSIMD(r, i) } else { butterfliesScalar(r, i) }
            }
        }
        var outRe = [Float](repeating: 0, count: half + 1)
        var outIm = outRe
        split(zr, zi, &outRe, &outIm)
        return (outRe, outIm)
    }

    /// X[k] = (Z[k] + conj Z[m-k]) / 2 + w^k (Z[k] − conj Z[m-k]) / 2i, k = 0 … m, Z[m] = Z[0].
    func split(_ zr: [Float], _ zi: [Float], _ outRe: inout [Float], _ outIm: inout [Float]) {
        let m = half
        for k in 0...m {
            let a = k % m, b = (m - k) % m
            let er = 0.5 * (zr[a] + zr[b]), ei = 0.5 * (zi[a] - zi[b])
            let or = 0.5 * (zi[a] + zi[b]), oi = -0.5 * (zr[a] - zr[b])
            let wr = rotationRe[k], wi = rotationIm[k]
            outRe[k] = er + (wr * or - wi * oi)
            outIm[k] = ei + (wr * oi + wi * or)
        }
    }

    /// The complex FFT, in place on bit-reversed input, on split arrays of `half` values.
    /// A plain scalar twin of `butterfliesSIMD`.
    func butterfliesScalar(_ re: UnsafeMutableBufferPointer<Float>, _ im: UnsafeMutableBufferPointer<Float>) {
        var h = 1
        while h < half {
            for s in stride(from: 0, to: half, by: 2 * h) {
                for j in 0..<h {
                    Self.butterfly(re, im, s + j, s + j + h, twiddleRe[h - 1 + j], twiddleIm[h - 1 + j])
                }
            }
            h *= 2
        }
    }

    @inline(__always)
    static func butterfly(_ re: UnsafeMutableBufferPointer<Float>, _ im: UnsafeMutableBufferPointer<Float>,
                          _ p: Int, _ q: Int, _ wr: Float, _ wi: Float) {
        let tr = wr * re[q] - wi * im[q]
        let ti = wr * im[q] + wi * re[q]
        re[q] = re[p] - tr
        im[q] = im[p] - ti
        re[p] += tr
        im[p] += ti
    }

    /// The complex FFT with eight butterflies per SIMD operation where the span allows (h ≥ 8);
    /// the first three stages (h = 1, 2, 4) run as in the scalar twin.
    func butterfliesSIMD(_ re: UnsafeMutableBufferPointer<Float>, _ im: UnsafeMutableBufferPointer<Float>) {
        guard let rb = re.baseAddress, let ib = im.baseAddress else { return }
        var h = 1
        while h < half, h < 8 {
            for s in stride(from: 0, to: half, by: 2 * h) {
                for j in 0..<h {
                    Self.butterfly(re, im, s + j, s + j + h, twiddleRe[h - 1 + j], twiddleIm[h - 1 + j])
                }
            }
            h *= 2
        }
        let r = UnsafeMutableRawPointer(rb), i = UnsafeMutableRawPointer(ib)
        twiddleRe.withUnsafeBytes { twr in
            twiddleIm.withUnsafeBytes { twi in
                while h < half {
                    for s in stride(from: 0, to: half, by: 2 * h) {
                        for j in stride(from: 0, to: h, by: 8) {
                            let p = 4 * (s + j), q = 4 * (s + j + h), w = 4 * (h - 1 + j)
                            let wr = twr.loadUnaligned(fromByteOffset: w, as: SIMD8<Float>.self)
                            let wi = twi.loadUnaligned(fromByteOffset: w, as: SIMD8<Float>.self)
                            let pr = r.loadUnaligned(fromByteOffset: p, as: SIMD8<Float>.self)
                            let pi = i.loadUnaligned(fromByteOffset: p, as: SIMD8<Float>.self)
                            let qr = r.loadUnaligned(fromByteOffset: q, as: SIMD8<Float>.self)
                            let qi = i.loadUnaligned(fromByteOffset: q, as: SIMD8<Float>.self)
                            let tr = wr * qr - wi * qi
                            let ti = wr * qi + wi * qr
                            r.storeBytes(of: pr - tr, toByteOffset: q, as: SIMD8<Float>.self)
                            i.storeBytes(of: pi - ti, toByteOffset: q, as: SIMD8<Float>.self)
                            r.storeBytes(of: pr + tr, toByteOffset: p, as: SIMD8<Float>.self)
                            i.storeBytes(of: pi + ti, toByteOffset: p, as: SIMD8<Float>.self)
                        }
                    }
                    h *= 2
                }
            }
        }
    }
}
