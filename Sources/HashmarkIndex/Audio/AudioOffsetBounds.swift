import HashmarkFingerprint

extension AudioVoteTable {
    /// Offset buckets that `offsetBounds` counts at a time: 4 bytes each, 512 KB, in the core's
    /// cache. At 1,000 hours chunks of 2^20 took the walk 10.1 ms against 4.0 (cache misses, and a
    /// floor that rises only from chunk to chunk), chunks of 2^15 6.2 ms (every list resumed more often).
    static let offsetChunkBits = 17

    /// Vote bounds for a walk over many recordings with few votes each (the rarest-pair source),
    /// found without looking up every vote's recording. A vote's offset on the shard's frame
    /// line is `position − query frame` (a recording's own offsets, shifted by where it starts on
    /// the line), counted in buckets of `bound.bucket` frames; a window is `span` consecutive
    /// buckets (`span` as `AudioVoteBound`'s: any `bound.window` offsets lie within one). A
    /// recording's bound is the most of its own votes in one window.
    ///
    /// An upper bound on the votes any alignment of a recording can collect, as `AudioVoteBound`'s
    /// (both count whole buckets; the buckets differ). The walk counts every vote on the line
    /// alone (one counter update in cache a vote): a window whose votes, of any recordings,
    /// reach the floor holds a bucket with ⌈floor / span⌉ of them, so only windows around such
    /// buckets are summed, and only the votes of windows that reach the floor are looked up in
    /// their recordings, on a second pass that tests one bit a vote.
    ///
    /// Returns the recordings (shard-local) with the `capacity` highest bounds of at least
    /// `minBound` (ties: lower recording), best first, each with the window that holds its bound
    /// (the first such, as offsets `position − query frame` on the frame line). `chunkBits`:
    /// buckets counted at a time (tests: small chunks, many of them). `stop`: asked before each
    /// chunk; once it says so, the walk ends there (what it found so far, which is no bound).
    func offsetBounds(_ bound: AudioVoteBound, capacity: Int, minBound: Int, chunkBits: Int = offsetChunkBits,
                      stop: () -> Bool = { false }) -> [(recording: Int, bound: Int, window: Range<Int>)] {
        precondition(bound.bucket > 0 && bound.bucket & (bound.bucket - 1) == 0, "buckets of a power of two frames")
        guard !lists.isEmpty, capacity > 0 else { return [] }
        let shift = bound.bucket.trailingZeroBitCount, span = bound.span, margin = span - 1
        let latest = Int(lists.map(\.time).max()!)
        // A vote's bucket: (position + latest − query frame) >> shift, never negative.
        let lead = lists.map { latest - Int($0.time) }, ends = lists.map(\.range.upperBound)
        let chunk = 1 << chunkBits, lastBucket = (Int(shard.bases[shard.recordings]) + latest) >> shift
        // Per bucket: the chunk's epoch (high 16 bits) and its votes (low 16), so no chunk clears
        // the table; and whether it lies in a window that reaches the floor.
        var cells = [UInt32](repeating: 0, count: chunk + 2 * margin)
        var marked = [UInt64](repeating: 0, count: (chunk + 2 * margin + 63) / 64)
        var from = lists.map(\.range.lowerBound), to = from, next = from
        var hot: [Int] = [], marks: [Int] = [], votes: [(recording: Int, bucket: Int)] = []
        var found: [Int: (votes: Int, end: Int)] = [:], floor = max(1, minBound), pruneAt = 4 * capacity + 64
        shard.positions.withUnsafeBufferPointer { positions in
            cells.withUnsafeMutableBufferPointer { c in
                var epoch: UInt32 = 0
                for first in stride(from: 0, through: lastBucket, by: chunk) {
                    if stop() { break }
                    epoch = epoch == 0xFFFF ? 1 : epoch + 1
                    if epoch == 1 { c.update(repeating: 0) }
                    let stamp = epoch << 16, hotAt = UInt32((floor + span - 1) / span)
                    // Buckets first − margin ..< first + chunk + margin are counted (at index
                    // bucket − origin), so every window holding a bucket of this chunk is whole.
                    let origin = first - margin, countEnd = first + chunk + margin, coreEnd = first + chunk
                    hot.removeAll(keepingCapacity: true)
                    for l in lists.indices {
                        var i = from[l]
                        next[l] = -1
                        while i < ends[l] {
                            let b = (Int(positions[i]) + lead[l]) >> shift
                            if b >= countEnd { break }
                            if next[l] < 0, b >= coreEnd - margin { next[l] = i }
                            let v = c[b - origin], n = v & 0xFFFF_0000 == stamp ? min(v + 1, stamp | 0xFFFF) : stamp | 1
                            c[b - origin] = n
                            if n & 0xFFFF == hotAt, b >= first, b < coreEnd { hot.append(b) }
                            i += 1
                        }
                        to[l] = i
                        if next[l] < 0 { next[l] = i }
                    }
                    func count(_ b: Int) -> Int {
                        let v = c[b - origin]
                        return v & 0xFFFF_0000 == stamp ? Int(v & 0xFFFF) : 0
                    }
                    // Mark the buckets of every window around a hot bucket that reaches the floor.
                    marks.removeAll(keepingCapacity: true)
                    for b in hot {
                        var sum = 0
                        for j in (b - margin)...b { sum += count(j) }
                        for x in (b - margin)...b {
                            if x > b - margin { sum += count(x + margin) - count(x - 1) }
                            guard sum >= floor else { continue }
                            for j in x...(x + margin) where marked[(j - origin) >> 6] & (1 << ((j - origin) & 63)) == 0 {
                                marked[(j - origin) >> 6] |= 1 << ((j - origin) & 63)
                                marks.append(j - origin)
                            }
                        }
                    }
                    if !marks.isEmpty {
                        // The marked buckets' votes by recording, then each recording's fullest window.
                        votes.removeAll(keepingCapacity: true)
                        marked.withUnsafeBufferPointer { m in
                            for l in lists.indices {
                                for i in from[l]..<to[l] {
                                    let k = ((Int(positions[i]) + lead[l]) >> shift) - origin
                                    if m[k >> 6] & (1 << (k & 63)) != 0 { votes.append((shard.recording(at: positions[i]), k + origin)) }
                                }
                            }
                        }
                        votes.sort { ($0.recording, $0.bucket) < ($1.recording, $1.bucket) }
                        var start = 0
                        for i in votes.indices {
                            if votes[i].recording != votes[start].recording { start = i }
                            while votes[i].bucket - votes[start].bucket >= span { start += 1 }
                            let n = i - start + 1
                            if n >= floor, n > found[votes[i].recording]?.votes ?? 0 { found[votes[i].recording] = (n, votes[i].bucket) }
                        }
                        for k in marks { marked[k >> 6] = 0 }
                        if found.count >= pruneAt {
                            floor = Self.prune(&found, capacity: capacity, floor: floor)
                            pruneAt = max(pruneAt, 2 * found.count)
                        }
                    }
                    from = next
                }
            }
        }
        return found.map { r, f in
            (recording: r, bound: f.votes, window: ((f.end - margin) << shift) - latest ..< ((f.end + 1) << shift) - latest)
        }
        .sorted { ($1.bound, $0.recording) < ($0.bound, $1.recording) }
        .prefix(capacity).map { $0 }
    }

    /// Drops the bounds below the `capacity`-th highest, which becomes the floor (recordings
    /// tied with it stay: the lower one wins the tie at the end).
    private static func prune(_ found: inout [Int: (votes: Int, end: Int)], capacity: Int, floor: Int) -> Int {
        let kth = found.values.map(\.votes).sorted(by: >)[capacity - 1]
        guard kth > floor else { return floor }
        found = found.filter { $0.value.votes >= kth }
        return kth
    }
}
