#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Convention for random tests: draw only from `TestRandom(seed:)` (never the system generator),
/// seeded by `HASHMARK_TEST_SEED` when set, else by the test's fixed seed, and put `rng.replay` in
/// each expectation's message, so a failure names the `HASHMARK_TEST_SEED=<n>` that replays it.
/// (Test targets only: no product ships this target.)
public struct TestRandom: RandomNumberGenerator {
    /// The seed actually used.
    public let seed: UInt64
    private var state: UInt64

    public init(seed fixed: UInt64) {
        let override = getenv("HASHMARK_TEST_SEED").flatMap { UInt64(String(cString: $0)) }
        seed = override ?? fixed
        state = seed
    }

    /// SplitMix64 (Steele, Lea & Flood, 2014).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// For failure messages: how to replay this run.
    public var replay: String { "seed \(seed) (replay: HASHMARK_TEST_SEED=\(seed))" }

    /// `count` floats drawn uniformly from `range`.
    public mutating func floats(_ count: Int, _ range: ClosedRange<Float> = -3...3) -> [Float] {
        (0..<count).map { _ in Float.random(in: range, using: &self) }
    }
}
