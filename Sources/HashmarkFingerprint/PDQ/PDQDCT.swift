// The 64×64 → 16×16 partial DCT and the image-domain quality metric of Meta's
// pdq/cpp/hashing/pdqhashing.cpp. Sums run over k = 0…63 in order, multiply then add (no fused
// multiply-add), exactly like the reference built for baseline x86-64; the SIMD kernel puts
// independent output columns in lanes so each lane repeats the scalar sequence.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PDQKernels {
    /// Rows 1…16 of the 64-point DCT-II basis, `16 × 64` row-major, scaled by `sqrt(2/64)`:
    /// the float is the rounded double product, as in the reference.
    public static let dctMatrix: [Float] = {
        let scale = Float((2.0 / 64.0).squareRoot())
        var m = [Float](repeating: 0, count: 16 * 64)
        for i in 0..<16 {
            for j in 0..<64 {
                let angle = (Double.pi / 2.0 / 64.0) * Double(i + 1) * Double(2 * j + 1)
                m[i * 64 + j] = Float(Double(scale) * cosine(angle))
            }
        }
        return m
    }()

    /// The same matrix transposed (`64 × 16`), so the second stage loads 8 output columns at once.
    static let dctMatrixTransposed: [Float] = {
        var t = [Float](repeating: 0, count: 64 * 16)
        for i in 0..<16 { for k in 0..<64 { t[k * 16 + i] = dctMatrix[i * 64 + k] } }
        return t
    }()

    /// `B = D · A · Dᵀ` for a 64×64 row-major input; returns 16×16 row-major. SIMD path.
    /// Inputs whose count is not 4096 give 256 zeros.
    public static func dct64To16(_ a: [Float]) -> [Float] {
        guard a.count == 64 * 64 else { return [Float](repeating: 0, count: 256) }
        var t = [Float](repeating: 0, count: 16 * 64)
        var b = [Float](repeating: 0, count: 16 * 16)
        a.withUnsafeBufferPointer { pa in
            dctMatrix.withUnsafeBufferPointer { pd in
                t.withUnsafeMutableBufferPointer { pt in
                    guard let pa0 = pa.baseAddress, let pt0 = pt.baseAddress else { return }
                    let ar = UnsafeRawPointer(pa0)
                    let tr = UnsafeMutableRawPointer(pt0)
                    for i in 0..<16 {
                        for jb in Swift.stride(from: 0, to: 64, by: 8) {
                            var sum = SIMD8<Float>(repeating: 0)
                            for k in 0..<64 {
                                let row = ar.loadUnaligned(fromByteOffset: (k * 64 + jb) * 4, as: SIMD8<Float>.self)
                                sum += SIMD8(repeating: pd[i * 64 + k]) * row
                            }
                            tr.storeBytes(of: sum, toByteOffset: (i * 64 + jb) * 4, as: SIMD8<Float>.self)
                        }
                    }
                }
            }
        }
        t.withUnsafeBufferPointer { pt in
            dctMatrixTransposed.withUnsafeBufferPointer { pdt in
                b.withUnsafeMutableBufferPointer { pb in
                    guard let pdt0 = pdt.baseAddress, let pb0 = pb.baseAddress else { return }
                    let dr = UnsafeRawPointer(pdt0)
                    let br = UnsafeMutableRawPointer(pb0)
                    for i in 0..<16 {
                        var lo = SIMD8<Float>(repeating: 0)
                        var hi = SIMD8<Float>(repeating: 0)
                        for k in 0..<64 {
                            let tv = SIMD8<Float>(repeating: pt[i * 64 + k])
                            lo += tv * dr.loadUnaligned(fromByteOffset: k * 64, as: SIMD8<Float>.self)
                            hi += tv * dr.loadUnaligned(fromByteOffset: k * 64 + 32, as: SIMD8<Float>.self)
                        }
                        br.storeBytes(of: lo, toByteOffset: i * 64, as: SIMD8<Float>.self)
                        br.storeBytes(of: hi, toByteOffset: i * 64 + 32, as: SIMD8<Float>.self)
                    }
                }
            }
        }
        return b
    }

    /// Scalar twin of `dct64To16`: the reference's loops, one output at a time.
    public static func dct64To16Scalar(_ a: [Float]) -> [Float] {
        guard a.count == 64 * 64 else { return [Float](repeating: 0, count: 256) }
        let d = dctMatrix
        var t = [Float](repeating: 0, count: 16 * 64)
        var b = [Float](repeating: 0, count: 16 * 16)
        for i in 0..<16 {
            for j in 0..<64 {
                var sum: Float = 0
                for k in 0..<64 { sum += d[i * 64 + k] * a[k * 64 + j] }
                t[i * 64 + j] = sum
            }
        }
        for i in 0..<16 {
            for j in 0..<16 {
                var sum: Float = 0
                for k in 0..<64 { sum += t[i * 64 + k] * d[j * 64 + k] }
                b[i * 16 + j] = sum
            }
        }
        return b
    }

    /// PDQ quality 0…100: the count of significant gradients in the 64×64 downsample.
    public static func quality(_ a: [Float]) -> Int {
        guard a.count == 64 * 64 else { return 0 }
        var gradientSum = 0
        @inline(__always) func step(_ u: Float, _ v: Float) -> Int {
            // C++: int d = ((u - v) * 100) / 255; then abs. Truncation toward zero.
            let q = ((u - v) * 100) / 255
            guard q.isFinite else { return 0 }
            return Swift.abs(Int(Swift.min(Swift.max(q, -1e9), 1e9)))
        }
        for i in 0..<63 { for j in 0..<64 { gradientSum += step(a[i * 64 + j], a[(i + 1) * 64 + j]) } }
        for i in 0..<64 { for j in 0..<63 { gradientSum += step(a[i * 64 + j], a[i * 64 + j + 1]) } }
        return Swift.min(gradientSum / 90, 100)
    }
}

/// `cos` from the C library (no Foundation): the matrix must round like the reference's `std::cos`,
/// which the golden tests check through every hash bit.
@usableFromInline func cosine(_ x: Double) -> Double { cos(x) }
