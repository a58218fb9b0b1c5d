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
    /// The 512 points as Float, test i's points at 2i and 2i + 1 (for the vectorised rotation).
    let xs: [Float]
    let ys: [Float]

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
        xs = out.flatMap { [Float($0.x), Float($0.z)] }
        ys = out.flatMap { [Float($0.y), Float($0.w)] }
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
        return Self.mix(state)
    }

    /// The generator's output finaliser: a bijective 64-bit mix, also a hash of one word.
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
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

}
