/// A proportion with its 95 % Wilson score interval: the interval evaluators expect for
/// detection rates on a few hundred cases (it stays inside 0…1 and is sane at 0 and n).
public struct RateEstimate: Sendable, Codable, Equatable {
    public var successes: Int
    public var trials: Int
    /// `successes / trials`, 0 when there were no trials.
    public var rate: Double
    public var low: Double
    public var high: Double

    public init(successes: Int, trials: Int, z: Double = 1.959963984540054) {
        self.successes = successes
        self.trials = trials
        let interval = Wilson.interval(successes: successes, trials: trials, z: z)
        rate = trials > 0 ? Double(successes) / Double(trials) : 0
        low = interval.low
        high = interval.high
    }
}

public enum Wilson {
    /// The Wilson score interval for `successes` out of `trials` (`z` = 1.96 for 95 %).
    /// No trials: the whole range 0…1.
    public static func interval(successes: Int, trials: Int,
                                z: Double = 1.959963984540054) -> (low: Double, high: Double) {
        guard trials > 0 else { return (0, 1) }
        let n = Double(trials)
        let p = Double(min(max(successes, 0), trials)) / n
        let z2 = z * z
        let centre = p + z2 / (2 * n)
        let spread = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        let denominator = 1 + z2 / n
        // Exact ends at 0 and n (the closed form misses them by rounding).
        let low = successes <= 0 ? 0 : max(0, (centre - spread) / denominator)
        let high = successes >= trials ? 1 : min(1, (centre + spread) / denominator)
        return (low, high)
    }
}
