#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The 256 point pairs of the steered-BRIEF descriptor.
///
/// Generated, not copied: BRIEF's "G II" sampling (Calonder et al. 2010) — both points of a pair drawn
/// independently from an isotropic Gaussian with σ = S/5 for the S = 31 patch — using SplitMix64 seeded
/// with `seed` and an Irwin–Hall Gaussian (sum of 12 uniforms − 6), rounded to integers, rejecting
/// points outside radius 13 (so any rotation stays inside the 31 × 31 patch) and pairs with p = q.
/// ORB's learned decorrelated pattern (rBRIEF) is not reproduced; steering is as in ORB §4.
public struct BRIEFPattern: Sendable, Hashable {
    /// The documented seed: the ASCII bytes "HMORB256".
    public static let seed: UInt64 = 0x484D_4F52_4232_3536
    public static let standard = BRIEFPattern(seed: BRIEFPattern.seed)

    /// x1, y1, x2, y2 for each of the 256 tests: bit i is set when I(p1) < I(p2).
    public let pairs: [SIMD4<Int32>]

    public init(seed: UInt64) {
        var rng = SplitMix64(state: seed)
        let sigma = 31.0 / 5.0
        func point() -> SIMD2<Int32> {
            while true {
                var gx = -6.0, gy = -6.0
                for _ in 0..<12 { gx += rng.nextUnit(); gy += rng.nextUnit() }
                let x = (gx * sigma).rounded(), y = (gy * sigma).rounded()
                if x * x + y * y <= 169 { return SIMD2(Int32(x), Int32(y)) }
            }
        }
        var out: [SIMD4<Int32>] = []
        out.reserveCapacity(256)
        while out.count < 256 {
            let p = point(), q = point()
            if p != q { out.append(SIMD4(p.x, p.y, q.x, q.y)) }
        }
        pairs = out
    }
}

/// Deterministic 64-bit generator (Steele, Lea, Flood 2014): the BRIEF pattern, the RANSAC
/// sampler, and the tests' reproducible random inputs.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public init(seed: UInt64) { self.state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 bits.
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in 0..<n (n > 0), by multiply-shift.
    public mutating func next(below n: Int) -> Int {
        Int((UInt64(n).multipliedFullWidth(by: next())).high)
    }
}

enum LocalMath {
    static func atan2f(_ y: Float, _ x: Float) -> Float {
        Float(atan2(Double(y), Double(x)))
    }
    static func ipow(_ x: Double, _ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<max(0, n) { r *= x }
        return r
    }
    static func logd(_ x: Double) -> Double { log(x) }
    static func cosf(_ a: Float) -> Float { Float(cos(Double(a))) }
    static func sinf(_ a: Float) -> Float { Float(sin(Double(a))) }
}

extension BRIEFPattern {
    /// The descriptor of an intensity ramp rising along the steering direction: bit i is set when
    /// x1 < x2. Smooth gradients all look like this once steered, whatever the image.
    public var rampDescriptor: Hash256 {
        var words = SIMD4<UInt64>.zero
        for (i, pr) in pairs.enumerated() where pr.x < pr.z {
            words[i >> 6] |= UInt64(1) << UInt64(63 - (i & 63))
        }
        return Hash256(words: words)
    }

    /// The 256-bit descriptor of the patch centred at (cx, cy) of a smoothed level, steered by
    /// `angle`. With `mirror`, the pattern's y is negated: the descriptor the horizontally flipped
    /// image has at the mirrored keypoint (whose centroid angle is π − angle), since
    /// diag(−1, 1) · R(π − θ) = R(θ) · diag(1, −1).
    func describe(_ img: GreyImage, cx: Int, cy: Int, cos c: Float, sin s: Float, mirror: Bool) -> Hash256 {
        var words = SIMD4<UInt64>.zero
        let w = img.width
        let ys: Float = mirror ? -1 : 1
        img.pixels.withUnsafeBufferPointer { px in
            for (i, pr) in pairs.enumerated() {
                let x1 = Float(pr.x), y1 = Float(pr.y) * ys, x2 = Float(pr.z), y2 = Float(pr.w) * ys
                let u1 = cx + Int((c * x1 - s * y1).rounded()), v1 = cy + Int((s * x1 + c * y1).rounded())
                let u2 = cx + Int((c * x2 - s * y2).rounded()), v2 = cy + Int((s * x2 + c * y2).rounded())
                if px[v1 * w + u1] < px[v2 * w + u2] {
                    words[i >> 6] |= UInt64(1) << UInt64(63 - (i & 63))
                }
            }
        }
        return Hash256(words: words)
    }
}
