#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A seedable pseudo-random generator: xoshiro256** (Blackman & Vigna, 2018), its state
/// filled from the seed by SplitMix64.
///
/// Why not the standard library: `SystemRandomNumberGenerator` cannot be seeded, and the
/// algorithms behind `Int.random(in:using:)` / `shuffle(using:)` are not promised to stay the
/// same across Swift releases. Every draw the transforms make goes through the methods below,
/// so a seed reproduces the same bytes on every run and toolchain (floating-point maths
/// aside: `sin`/`exp` come from the platform's libm).
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    public init(seed: UInt64) {
        var sm = seed
        s0 = SeededGenerator.splitMix64(&sm)
        s1 = SeededGenerator.splitMix64(&sm)
        s2 = SeededGenerator.splitMix64(&sm)
        s3 = SeededGenerator.splitMix64(&sm)
    }

    /// One SplitMix64 step: also a good 64-bit mixer for deriving seeds from several values.
    public static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A seed derived from a base seed and a stream number (e.g. a case index or a work id
    /// hash), so independent streams do not overlap in practice.
    public static func derive(_ seed: UInt64, _ stream: UInt64) -> UInt64 {
        var state = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        return splitMix64(&state)
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform integer in `0..<bound` (Lemire's multiply-and-reject; no modulo bias).
    /// Returns 0 when `bound <= 1`.
    public mutating func nextInt(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold {
                m = next().multipliedFullWidth(by: b)
            }
        }
        return Int(m.high)
    }

    /// Uniform integer in a closed range.
    public mutating func nextInt(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + nextInt(below: range.upperBound - range.lowerBound + 1)
    }

    /// Standard normal variate (Box–Muller; uses two uniforms per call, no cached spare, so
    /// the stream position depends only on the number of calls).
    public mutating func nextGaussian() -> Double {
        let u1 = 1.0 - nextUnit()  // (0, 1]
        let u2 = nextUnit()
        return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }

    /// `true` with probability `p`.
    public mutating func nextBool(probability p: Double) -> Bool {
        nextUnit() < p
    }

    /// Fisher–Yates shuffle driven only by `nextInt(below:)`.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = nextInt(below: i + 1)
            if i != j { array.swapAt(i, j) }
        }
    }

    /// `count` distinct indices from `0..<n`, in increasing order (partial Fisher–Yates).
    public mutating func sample(_ count: Int, from n: Int) -> [Int] {
        let k = max(0, min(count, n))
        var pool = Array(0..<n)
        for i in 0..<k {
            let j = i + nextInt(below: n - i)
            if i != j { pool.swapAt(i, j) }
        }
        return pool[0..<k].sorted()
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
