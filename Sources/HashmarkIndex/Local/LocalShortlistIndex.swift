import HashmarkFingerprint

/// Shortlists candidate works for local-feature verification without scanning every corpus
/// descriptor.
///
/// Rule (answered exactly): a work's `votes` is the number of distinct query descriptors that have at
/// least one descriptor of that work within Hamming distance `maxDistance`; the shortlist is every work
/// with votes ≥ `minVotes`, sorted by votes (descending) then work id.
///
/// Exactness by multi-index hashing (Norouzi, Punjani, Fleet, "Fast search in Hamming space with
/// multi-index hashing", CVPR 2012): the 256 bits are cut into 16 chunks of 16 bits; if two
/// descriptors differ in ≤ t bits, some chunk differs in ≤ ⌊t / 16⌋ bits (pigeonhole). So probing,
/// per chunk, every key within that radius of the query's chunk finds every descriptor within t, and
/// each found descriptor is checked with the full distance. `bruteForce` is the linear-scan oracle.
///
/// Stop-words: descriptors within `stopDistance` of `BRIEFPattern.standard.rampDescriptor` (smooth
/// gradients, which steering turns into the same bits in every image) are left out on both sides —
/// kept, they vote for every work. Pairwise verification still uses them.
public struct LocalShortlistIndex: Sendable {
    public struct Candidate: Sendable, Hashable {
        public var work: Int64
        public var votes: Int
        public init(work: Int64, votes: Int) { self.work = work; self.votes = votes }
    }

    static let chunks = 16
    static let buckets = 1 << 16

    public let maxDistance: Int
    public let stopDistance: Int
    static let ramp = BRIEFPattern.standard.rampDescriptor

    /// False for stop-word descriptors (see the type's documentation).
    public static func isInformative(_ d: Hash256, stopDistance: Int) -> Bool { d.distance(to: ramp) > stopDistance }
    /// All corpus descriptors, work by work.
    let descriptors: [Hash256]
    /// Work slot of each descriptor.
    let owner: [Int32]
    let works: [Int64]
    /// Per chunk: `buckets + 1` offsets into `entries[chunk]` (CSR layout, descriptor ids by key).
    let offsets: [[UInt32]]
    let entries: [[UInt32]]

    /// Number of indexed descriptors.
    public var count: Int { descriptors.count }

    /// `nil` when `maxDistance` is outside 0…47 (probing radius above 2 would enumerate too many keys)
    /// or the corpus holds more than 2³² − 1 descriptors.
    public init?(works input: [(work: Int64, descriptors: [Hash256])], maxDistance: Int = 31, stopDistance: Int = 32) {
        guard (0...47).contains(maxDistance) else { return nil }
        var desc: [Hash256] = [], own: [Int32] = [], ids: [Int64] = []
        for (slot, w) in input.enumerated() {
            ids.append(w.work)
            let kept = w.descriptors.filter { Self.isInformative($0, stopDistance: stopDistance) }
            desc.append(contentsOf: kept)
            own.append(contentsOf: repeatElement(Int32(truncatingIfNeeded: slot), count: kept.count))
        }
        guard desc.count < Int(UInt32.max), input.count < Int(Int32.max) else { return nil }
        var offs: [[UInt32]] = [], ents: [[UInt32]] = []
        for k in 0..<Self.chunks {
            var counts = [UInt32](repeating: 0, count: Self.buckets + 1)
            for d in desc { counts[Int(Self.chunk(d, k)) + 1] += 1 }
            for i in 0..<Self.buckets { counts[i + 1] += counts[i] }
            var fill = counts
            var e = [UInt32](repeating: 0, count: desc.count)
            for (i, d) in desc.enumerated() {
                let key = Int(Self.chunk(d, k))
                e[Int(fill[key])] = UInt32(i)
                fill[key] += 1
            }
            offs.append(counts); ents.append(e)
        }
        self.maxDistance = maxDistance; self.stopDistance = stopDistance; descriptors = desc; owner = own; works = ids
        offsets = offs; entries = ents
    }

    /// Chunk `k` (0…15): bits 16k…16k+15 in `Hash256` bit order.
    @inline(__always) static func chunk(_ h: Hash256, _ k: Int) -> UInt16 {
        UInt16(truncatingIfNeeded: h.words[k >> 2] >> UInt64(48 - 16 * (k & 3)))
    }

    /// All 16-bit keys within Hamming `radius` (0…2) of `key`.
    static func neighbours(_ key: UInt16, radius: Int) -> [UInt16] {
        var out = [key]
        if radius >= 1 { for i in 0..<16 { out.append(key ^ (1 << UInt16(i))) } }
        if radius >= 2 {
            for i in 0..<16 { for j in (i + 1)..<16 { out.append(key ^ (1 << UInt16(i)) ^ (1 << UInt16(j))) } }
        }
        return out
    }

    /// Works with at least `minVotes` votes under the rule above.
    public func candidates(for query: [Hash256], minVotes: Int = 1) -> [Candidate] {
        let radius = maxDistance / Self.chunks
        var votes = [Int](repeating: 0, count: works.count)
        var stamp = [Int](repeating: -1, count: works.count)
        for (qi, q) in query.enumerated() where Self.isInformative(q, stopDistance: stopDistance) {
            for k in 0..<Self.chunks {
                for key in Self.neighbours(Self.chunk(q, k), radius: radius) {
                    let lo = Int(offsets[k][Int(key)]), hi = Int(offsets[k][Int(key) + 1])
                    var i = lo
                    while i < hi {
                        let id = Int(entries[k][i])
                        let w = Int(owner[id])
                        if stamp[w] != qi, q.distance(to: descriptors[id]) <= maxDistance {
                            stamp[w] = qi
                            votes[w] += 1
                        }
                        i += 1
                    }
                }
            }
        }
        return Self.ranked(votes: votes, works: works, minVotes: minVotes)
    }

    /// The oracle: the same rule by scanning every corpus descriptor.
    public static func bruteForce(works input: [(work: Int64, descriptors: [Hash256])], query: [Hash256],
                                  maxDistance: Int, stopDistance: Int = 32, minVotes: Int = 1) -> [Candidate] {
        let votes = input.map { w in
            query.reduce(0) { acc, q in
                acc + (isInformative(q, stopDistance: stopDistance) && w.descriptors.contains {
                    isInformative($0, stopDistance: stopDistance) && q.distance(to: $0) <= maxDistance } ? 1 : 0)
            }
        }
        return ranked(votes: votes, works: input.map(\.work), minVotes: minVotes)
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
