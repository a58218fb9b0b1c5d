import HashmarkFingerprint

/// Shortlists candidate works for local-feature verification without scanning every corpus
/// descriptor: bit-sampling LSH tables probed with the query's exact keys, and one ratio-tested vote
/// per query descriptor.
///
/// Rule (answered exactly; `bruteForce` computes it by a linear scan). With `p` the parameters:
/// - Stop-words (descriptors within `p.stopDistance` of the ramp descriptor, see `isInformative`)
///   are left out on both sides.
/// - `key_t(h)` (table t) is the `p.keyBits` bits of `h` at `p.bitPositions[t]`, first position most
///   significant. `bucket_t(k)` is the set of corpus descriptors whose `key_t` is `k`.
/// - The colliding set of a query descriptor `q` is the union over tables of `bucket_t(key_t(q))`,
///   leaving out every bucket with more than `p.maxBucket` descriptors.
/// - In that set, `d1` is the smallest distance to `q`, reached by work `w1`; `d2` is the smallest
///   distance of a descriptor of any other work (infinite if none; equal to `d1` on a tie between
///   works). `q` votes for `w1` when `d1 ≤ p.maxDistance` and `d1 < p.ratio × d2`.
/// - A work's `votes` is the number of query descriptors voting for it; the shortlist is every work
///   with votes ≥ `minVotes`, sorted by votes (descending) then work id.
///
/// Why: a vote that is "any descriptor within radius r" (the previous rule) is met by chance by
/// every work of a large corpus. A query descriptor here votes at most once, and only for a work
/// that it matches distinctly better than every other work (Lowe 2004's ratio test, applied across
/// the corpus as in image retrieval), so chance votes scatter instead of piling up.
public struct LocalShortlistIndex: Sendable {
    public struct Candidate: Sendable, Hashable {
        public var work: Int64
        public var votes: Int
        public init(work: Int64, votes: Int) { self.work = work; self.votes = votes }
    }

    /// What a query touched: for benchmarks, and to show that a query is not a scan.
    public struct QueryStatistics: Sendable, Hashable {
        /// Corpus descriptors whose distance to a query descriptor was computed.
        public var visited = 0
        /// Buckets skipped because they held more than `maxBucket` descriptors.
        public var skippedBuckets = 0
        /// Query descriptors that voted.
        public var votes = 0
        public init() {}
    }

    static let slots = 1 << 16

    public let parameters: LocalShortlistParameters
    public var maxDistance: Int { parameters.maxDistance }
    public var stopDistance: Int { parameters.stopDistance }
    static let ramp = BRIEFPattern.standard.rampDescriptor

    /// False for stop-word descriptors: smooth gradients, which steering turns into the same bits in
    /// every image. Kept, they would collide with every work. Pairwise verification still uses them.
    public static func isInformative(_ d: Hash256, stopDistance: Int) -> Bool { d.distance(to: ramp) > stopDistance }

    /// The callers' descriptor arrays, shared (copy-on-write), not copied: at 100k works of 512
    /// descriptors a copy would be 1.6 GB. Stop-words stay in them but not in the tables.
    let descriptors: [[Hash256]]
    /// Global number of each work's first descriptor (prefix sums over `descriptors`).
    let start: [UInt32]
    /// Work slot of each global descriptor number.
    let owner: [UInt32]
    let works: [Int64]
    let indexed: Int
    /// Per table, the key function.
    let keys: [ByteKeys]
    /// Per table, `slots + 1` offsets (CSR over the key's top 16 bits) into that table's section
    /// of `ids` / `lows`; within a slot, entries are sorted by the key's low bits, then by id.
    let directory: [UInt32]
    let ids: [UInt32]
    /// The key's low `keyBits − 16` bits of each entry (0 when `keyBits` is 16).
    let lows: [UInt8]

    /// Number of indexed (informative) descriptors.
    public var count: Int { indexed }
    /// Bytes the index adds to the callers' descriptor arrays (owners, tables), for capacity planning.
    public var memoryBytes: Int {
        start.count * 4 + owner.count * 4 + directory.count * 4 + ids.count * 4 + lows.count
    }

    /// The previous initialiser's shape: `parameters` from `.standard` with these two values.
    public init?(works input: [(work: Int64, descriptors: [Hash256])], maxDistance: Int = LocalShortlistParameters.standard.maxDistance,
                 stopDistance: Int = LocalShortlistParameters.standard.stopDistance) {
        var p = LocalShortlistParameters.standard
        p.maxDistance = maxDistance; p.stopDistance = stopDistance
        self.init(works: input, parameters: p)
    }

    /// `nil` when the parameters are invalid (`isValid`) or the corpus holds 2³² − 1 descriptors
    /// or more.
    public init?(works input: [(work: Int64, descriptors: [Hash256])], parameters p: LocalShortlistParameters) {
        guard p.isValid else { return nil }
        let total = input.reduce(0) { $0 + $1.descriptors.count }
        guard total < Int(UInt32.max), input.count < Int(UInt32.max) else { return nil }
        var own: [UInt32] = [], starts: [UInt32] = [], informative: [UInt32] = []
        own.reserveCapacity(total); starts.reserveCapacity(input.count)
        for (slot, w) in input.enumerated() {
            starts.append(UInt32(truncatingIfNeeded: own.count))
            for d in w.descriptors {
                if Self.isInformative(d, stopDistance: p.stopDistance) { informative.append(UInt32(truncatingIfNeeded: own.count)) }
                own.append(UInt32(truncatingIfNeeded: slot))
            }
        }
        keys = p.bitPositions.map(ByteKeys.init(positions:))
        let tables = LocalShortlistTables(works: input.map(\.descriptors), informative: informative, keys: keys,
                                          parameters: p)
        parameters = p; descriptors = input.map(\.descriptors); start = starts; owner = own; works = input.map(\.work)
        indexed = informative.count
        directory = tables.directory; self.ids = tables.ids; lows = tables.lows
    }

    /// Works with at least `minVotes` votes under the rule above.
    public func candidates(for query: [Hash256], minVotes: Int = 1) -> [Candidate] {
        var stats = QueryStatistics()
        return candidates(for: query, minVotes: minVotes, statistics: &stats)
    }

    /// As `candidates(for:minVotes:)`, also reporting what the query touched.
    public func candidates(for query: [Hash256], minVotes: Int, statistics: inout QueryStatistics) -> [Candidate] {
        var votes = [Int](repeating: 0, count: works.count)
        for q in query where Self.isInformative(q, stopDistance: parameters.stopDistance) {
            let (d1, w1, d2) = nearest(q, statistics: &statistics)
            if w1 >= 0, Self.votes(d1: d1, d2: d2, maxDistance: parameters.maxDistance, ratio: parameters.ratio) {
                votes[w1] += 1
                statistics.votes += 1
            }
        }
        return Self.ranked(votes: votes, works: works, minVotes: minVotes)
    }

    /// Over the colliding set of `q`: the smallest distance `d1`, its work slot `w1` (−1 if the set
    /// is empty) and the smallest distance `d2` of any other work (`Int.max` if none).
    func nearest(_ q: Hash256, statistics: inout QueryStatistics) -> (d1: Int, w1: Int, d2: Int) {
        let n = indexed, bits = parameters.keyBits
        let lowBits = UInt32(bits - 16), lowMask = (UInt32(1) << lowBits) - 1
        var d1 = Int.max, w1 = -1, d2 = Int.max
        lows.withUnsafeBufferPointer { lows in
            for t in 0..<parameters.tables {
                let key = keys[t].key(q)
                let slot = Int(key >> lowBits), low = Int(key & lowMask)
                let section = t * n, base = t * (Self.slots + 1)
                let lo = section + Int(directory[base + slot]), hi = section + Int(directory[base + slot + 1])
                let a = Self.lowerBound(lows, lo, hi, low), b = Self.lowerBound(lows, a, hi, low + 1)
                if b - a > parameters.maxBucket { statistics.skippedBuckets += 1; continue }
                statistics.visited += b - a
                for e in a..<b {
                    let id = Int(ids[e]), w = Int(owner[id])
                    let d = q.distance(to: descriptors[w][id - Int(start[w])])
                    // Order-independent: d2 ends as the minimum over works other than the final w1.
                    if w == w1 {
                        d1 = min(d1, d)
                    } else if d < d1 {
                        d2 = d1; d1 = d; w1 = w
                    } else {
                        d2 = min(d2, d)
                    }
                }
            }
        }
        return (d1, w1, d2)
    }

    /// The vote test, shared by the index and its oracle.
    @inline(__always) static func votes(d1: Int, d2: Int, maxDistance: Int, ratio: Double) -> Bool {
        d1 <= maxDistance && (d2 == Int.max || Double(d1) < ratio * Double(d2))
    }

    /// First index in `lo..<hi` whose low key bits are ≥ `value` (entries sorted within a slot).
    @inline(__always) static func lowerBound(_ lows: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int, _ value: Int) -> Int {
        var lo = lo, hi = hi
        while lo < hi {
            let mid = (lo + hi) >> 1
            if Int(lows[mid]) < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    static func ranked(votes: [Int], works: [Int64], minVotes: Int) -> [Candidate] {
        var out: [Candidate] = []
        for (slot, v) in votes.enumerated() where v >= max(1, minVotes) {
            out.append(Candidate(work: works[slot], votes: v))
        }
        out.sort { $0.votes != $1.votes ? $0.votes > $1.votes : $0.work < $1.work }
        return out
    }
}
