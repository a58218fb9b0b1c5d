import HashmarkFingerprint

/// How the local-feature shortlist hashes descriptors and counts votes (see `LocalShortlistIndex`).
///
/// The defaults were measured with `orb-bench scale` (Benchmarks/ORB.md, "Query time against 10k and 100k works"): they keep the
/// right work among the top candidates for the geometric cases while a query against 100k works
/// touches tens of thousands of corpus descriptors, not millions.
public struct LocalShortlistParameters: Sendable, Hashable {
    /// Number of hash tables (independent bit samplings). More tables: higher recall, more memory
    /// (5 bytes per descriptor per table) and more probes.
    public var tables: Int
    /// Bits sampled per key, 16…24. Two descriptors at distance d share a table's key with
    /// probability (1 − d/256)^keyBits.
    public var keyBits: Int
    /// A vote needs the nearest colliding descriptor within this Hamming distance.
    public var maxDistance: Int
    /// Lowe's ratio across works: the nearest colliding descriptor votes only when it is closer than
    /// `ratio` × the nearest colliding descriptor of any other work.
    public var ratio: Double
    /// A table's bucket with more descriptors than this is skipped for that query descriptor (a stop
    /// list of over-frequent keys, as Sivic & Zisserman's Video Google drops frequent visual words):
    /// such keys say little about which work it is and would dominate the query time.
    public var maxBucket: Int
    /// Descriptors within this distance of the ramp descriptor are stop-words on both sides
    /// (`LocalShortlistIndex.isInformative`); a negative value keeps every descriptor.
    public var stopDistance: Int
    /// Seeds the bit sampling; the index and its oracle must use the same value.
    public var seed: UInt64

    public init(tables: Int = 8, keyBits: Int = 24, maxDistance: Int = 64, ratio: Double = 0.8,
                maxBucket: Int = 128, stopDistance: Int = 32, seed: UInt64 = LocalShortlistParameters.defaultSeed) {
        self.tables = tables; self.keyBits = keyBits; self.maxDistance = maxDistance; self.ratio = ratio
        self.maxBucket = maxBucket; self.stopDistance = stopDistance; self.seed = seed
    }

    /// The documented seed: the ASCII bytes "HMLSH256".
    public static let defaultSeed: UInt64 = 0x484D_4C53_4832_3536

    public static let standard = LocalShortlistParameters()

    /// Whether the index can be built with these values.
    public var isValid: Bool {
        (1...32).contains(tables) && (16...24).contains(keyBits) && (0...256).contains(maxDistance)
            && ratio > 0 && ratio <= 1 && maxBucket >= 1
    }

    /// The sampled bit positions (0…255) of each table, most significant key bit first: `keyBits`
    /// distinct positions per table by a partial Fisher–Yates shuffle driven by SplitMix64(`seed`).
    /// The bit-sampling family is the classic LSH for Hamming space (Indyk & Motwani 1998; Gionis,
    /// Indyk, Motwani 1999), the one FLANN's LSH index uses for binary descriptors.
    public var bitPositions: [[Int]] {
        var rng = SplitMix64(seed: seed)
        return (0..<max(0, tables)).map { _ in
            var all = Array(0..<256)
            for j in 0..<min(max(0, keyBits), 256) { all.swapAt(j, j + rng.next(below: 256 - j)) }
            return Array(all.prefix(max(0, keyBits)))
        }
    }
}
