import HashmarkFingerprint

/// The hash tables of `LocalShortlistIndex`, built by two stable counting sorts per table (LSD
/// radix: the key's low bits, then its top 16 bits), so a bucket is one contiguous run.
///
/// Memory: 5 bytes per descriptor per table (UInt32 id + UInt8 low key bits) plus a 256 KiB
/// directory per table, whatever the corpus size (no 2^keyBits array).
struct LocalShortlistTables {
    var directory: [UInt32]
    var ids: [UInt32]
    var lows: [UInt8]

    /// `informative`: ascending global numbers (works' descriptors concatenated) of the descriptors
    /// to index; the entries store those numbers.
    init(works: [[Hash256]], informative: [UInt32], keys keys_: [ByteKeys], parameters p: LocalShortlistParameters) {
        let n = informative.count, bits = p.keyBits, slots = LocalShortlistIndex.slots
        let lowBits = UInt32(bits - 16), lowMask = (UInt32(1) << lowBits) - 1
        var directory = [UInt32](repeating: 0, count: p.tables * (slots + 1))
        var ids = [UInt32](repeating: 0, count: p.tables * n)
        var lows = [UInt8](repeating: 0, count: p.tables * n)
        var keys = [UInt32](repeating: 0, count: n)
        var byLow = [UInt32](repeating: 0, count: n)
        for t in 0..<p.tables {
            let lut = keys_[t]
            lut.table.withUnsafeBufferPointer { table in
                var g = 0, k = 0
                for w in works {
                    for d in w {
                        if k < n, Int(informative[k]) == g { keys[k] = lut.key(d, table); k += 1 }
                        g += 1
                    }
                }
            }
            // Pass 1: entries ordered by the low key bits (stable, so ids ascend within equal lows).
            var lowCounts = [Int](repeating: 0, count: 257)
            for k in keys { lowCounts[Int(k & lowMask) + 1] += 1 }
            for i in 0..<256 { lowCounts[i + 1] += lowCounts[i] }
            for i in 0..<n {
                let l = Int(keys[i] & lowMask)
                byLow[lowCounts[l]] = UInt32(i)
                lowCounts[l] += 1
            }
            // Pass 2: stable by the top 16 bits; the prefix sums are the table's directory.
            var counts = [Int](repeating: 0, count: slots + 1)
            for k in keys { counts[Int(k >> lowBits) + 1] += 1 }
            for s in 0..<slots { counts[s + 1] += counts[s] }
            let base = t * (slots + 1), section = t * n
            for s in 0...slots { directory[base + s] = UInt32(truncatingIfNeeded: counts[s]) }
            for i in byLow {
                let k = keys[Int(i)], s = Int(k >> lowBits)
                ids[section + counts[s]] = informative[Int(i)]
                lows[section + counts[s]] = UInt8(truncatingIfNeeded: k & lowMask)
                counts[s] += 1
            }
        }
        self.directory = directory; self.ids = ids; self.lows = lows
    }

}

/// A table's key computed a byte at a time (one lookup per descriptor byte holding sampled bits
/// instead of one shift per bit): building 8 tables over 50M descriptors is dominated by this.
/// The index and its tables both use it; the oracle test checks it against `Hash256[bit:]`.
struct ByteKeys: Sendable {
    /// Descriptor bytes (0…31, byte b = bits 8b…8b+7) that hold sampled bits.
    let bytes: [Int]
    /// `bytes.count` × 256: the key bits contributed by each value of each of those bytes.
    let table: [UInt32]

    init(positions: [Int]) {
        let k = positions.count
        bytes = Array(Set(positions.map { $0 >> 3 })).sorted()
        var table = [UInt32](repeating: 0, count: bytes.count * 256)
        for (i, b) in bytes.enumerated() {
            for v in 0..<256 {
                var c: UInt32 = 0
                for (j, pos) in positions.enumerated() where pos >> 3 == b && (v >> (7 - (pos & 7))) & 1 == 1 {
                    c |= 1 << UInt32(k - 1 - j)
                }
                table[i * 256 + v] = c
            }
        }
        self.table = table
    }

    func key(_ d: Hash256) -> UInt32 { table.withUnsafeBufferPointer { key(d, $0) } }

    @inline(__always) func key(_ d: Hash256, _ table: UnsafeBufferPointer<UInt32>) -> UInt32 {
        var key: UInt32 = 0
        let w = d.words
        for (i, b) in bytes.enumerated() {
            let v = Int((w[b >> 3] >> UInt64(56 - 8 * (b & 7))) & 0xFF)
            key |= table[i * 256 + v]
        }
        return key
    }
}

extension LocalShortlistIndex {
    /// The oracle: the same rule by scanning every corpus descriptor for each query descriptor. Keys
    /// come from `Hash256[bit:]` and bucket sizes from a count over the whole corpus, independently
    /// of the tables.
    public static func bruteForce(works input: [(work: Int64, descriptors: [Hash256])], query: [Hash256],
                                  parameters p: LocalShortlistParameters, minVotes: Int = 1) -> [Candidate] {
        let positions = p.bitPositions
        func key(_ h: Hash256, _ t: Int) -> Int {
            var k = 0
            for b in positions[t] { k = (k << 1) | (h[bit: b] ? 1 : 0) }
            return k
        }
        var corpus: [Hash256] = [], slots: [Int] = [], keys: [Int] = []  // keys: tables per descriptor
        for (slot, w) in input.enumerated() {
            for d in w.descriptors where isInformative(d, stopDistance: p.stopDistance) {
                corpus.append(d); slots.append(slot)
                for t in 0..<p.tables { keys.append(key(d, t)) }
            }
        }
        var sizes = [[Int: Int]](repeating: [:], count: p.tables)
        for i in corpus.indices { for t in 0..<p.tables { sizes[t][keys[i * p.tables + t], default: 0] += 1 } }
        var votes = [Int](repeating: 0, count: input.count)
        for q in query where isInformative(q, stopDistance: p.stopDistance) {
            // Open tables: -1 marks a skipped (over-full) bucket, which no key equals.
            let qk = (0..<p.tables).map { t in
                let k = key(q, t)
                return sizes[t][k, default: 0] <= p.maxBucket ? k : -1
            }
            var distance = [Int](repeating: Int.max, count: input.count)  // nearest colliding, per work
            for i in corpus.indices {
                var hit = false
                for t in 0..<p.tables where keys[i * p.tables + t] == qk[t] { hit = true; break }
                if hit { distance[slots[i]] = min(distance[slots[i]], q.distance(to: corpus[i])) }
            }
            guard let d1 = distance.min(), d1 < Int.max, let w1 = distance.firstIndex(of: d1) else { continue }
            var d2 = Int.max
            for (w, d) in distance.enumerated() where w != w1 { d2 = min(d2, d) }
            if Self.votes(d1: d1, d2: d2, maxDistance: p.maxDistance, ratio: p.ratio) { votes[w1] += 1 }
        }
        return ranked(votes: votes, works: input.map(\.work), minVotes: minVotes)
    }
}
