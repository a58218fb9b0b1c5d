import HashmarkFingerprint

/// A query's votes in one shard: for every query landmark the shard holds, its anchor frame, hash
/// and the range of `shard.positions` with the same hash (each vote is a posting in such a range).
///
/// `forEachBound` visits the votes a block of recordings at a time (each list ascends by
/// recording, so every list is cut where the block ends), grouping a block's offsets by recording
/// in buffers that stay in cache; no per-query array grows with the number of votes. The votes of
/// the few recordings then aligned are gathered again by interpolation search (`votes(_:)`). The
/// rarest-pair walk, thin over many recordings, bounds by offset on the frame line instead
/// (`offsetBounds`), and counts the next rarest postings in its candidates' windows only
/// (`windowVotes`).
struct AudioVoteTable {
    /// A query landmark's frame and hash, and the range of `shard.positions` that holds the hash.
    typealias List = (time: Int32, hash: UInt32, range: Range<Int>)
    let shard: AudioPostingShard
    let lists: [List]
    /// The first and last position of every list (`votes(_:)` interpolates between them).
    private let ends: [(first: UInt32, last: UInt32)]
    /// Postings a block of `forEachBound` holds about: its buffers (10 bytes a posting) stay in cache.
    static let postingsPerBlock = 32_768

    /// Recordings per block of `forEachBound`: 256, or as many more (a power of two, at most
    /// 65,536: owners are 16 bits) as keep a block's share of `postings` within `postingsPerBlock`.
    /// Every list is cut where a block ends, and each cut is a cache miss: a budgeted walk (a
    /// million postings over the 150,000 recordings of 10,000 hours) holds a few postings of each
    /// list per 256 recordings, so its cuts, not its postings, would cost the most.
    static func block(postings: Int, recordings: Int) -> Int {
        var block = 256
        while block < 65_536, postings * 2 * block <= postingsPerBlock * recordings { block *= 2 }
        return block
    }

    /// `budget`: at most this many postings in all, and at most `share` of the lists' postings;
    /// when the lists hold more, the shortest are kept (a query's rarest hashes carry the most
    /// evidence per posting). `gathered`: as for `init(shard:lists:gathered:)`.
    init(_ landmarks: [Landmark], shard: AudioPostingShard, budget: Int = .max, share: Double = 1, gathered: Bool = true) {
        let lists = Self.lists(landmarks, shard: shard)
        let total = lists.reduce(0) { $0 + $1.range.count }
        if total <= Self.cap(budget: budget, share: share, total: total) {
            self.init(shard: shard, lists: lists, gathered: gathered)
        } else {
            let rarest = Self.rarestFirst(lists)
            self.init(shard: shard, lists: Array(rarest[..<Self.cut(rarest[...], budget: budget, share: share, total: total)]),
                      gathered: gathered)
        }
    }

    /// The votes of `lists` (ranges of `shard.positions`). `gathered`: whether `votes(_:)` will be
    /// asked (it needs each list's ends, two reads a list that the walks never use).
    init(shard: AudioPostingShard, lists: [List], gathered: Bool = true) {
        self.shard = shard
        self.lists = lists
        ends = gathered ? lists.map { (shard.positions[$0.range.lowerBound], shard.positions[$0.range.upperBound - 1]) } : []
    }

    /// The lists of `landmarks` that `shard` holds, in the landmarks' order.
    static func lists(_ landmarks: [Landmark], shard: AudioPostingShard) -> [List] {
        landmarks.compactMap { l in shard.range(of: l.hash).map { (time: l.time, hash: l.hash, range: $0) } }
    }

    /// `lists`, shortest first (ties: earlier query frame, then earlier list).
    static func rarestFirst(_ lists: [List]) -> [List] {
        lists.sorted { ($0.range.count, $0.time, $0.range.lowerBound) < ($1.range.count, $1.time, $1.range.lowerBound) }
    }

    /// Postings allowed: `budget`, and at most `share` of `total`.
    static func cap(budget: Int, share: Double, total: Int) -> Int {
        share < 1 ? min(budget, Int(Double(total) * max(0, share))) : budget
    }

    /// How many of `rarest` (shortest first) fit within `cap(budget:share:total:)` postings.
    static func cut(_ rarest: ArraySlice<List>, budget: Int, share: Double, total: Int) -> Int {
        let cap = cap(budget: budget, share: share, total: total)
        var used = 0, keep = 0
        for l in rarest {
            guard used + l.range.count <= cap else { break }
            used += l.range.count
            keep += 1
        }
        return keep
    }

    var recordings: Int { shard.recordings }

    /// Calls `body(recording, bound)` for each shard-local recording with at least `floor()` votes,
    /// in recording order, with `bound.bound` of its offsets (recording frame minus query frame).
    /// `floor` is asked again for every recording: a caller that keeps only the best bounds raises
    /// it as it goes, and recordings with fewer votes than that skip the bound's histogram.
    func forEachBound(floor: () -> Int, _ bound: AudioVoteBound, _ body: (Int, Int) -> Void) {
        var cursor = lists.map(\.range.lowerBound), stop = cursor
        var owner: [UInt16] = [], offset: [Int32] = [], grouped: [Int32] = [], histogram: [Int32] = []
        let block = Self.block(postings: lists.reduce(0) { $0 + $1.range.count }, recordings: shard.recordings)
        var start = [Int](repeating: 0, count: block + 1)
        let shift = UInt32(AudioPostingShard.blockShift)
        shard.positions.withUnsafeBufferPointer { positions in
            shard.bases.withUnsafeBufferPointer { bases in
                shard.blockRecording.withUnsafeBufferPointer { blockRecording in
                    for first in stride(from: 0, to: shard.recordings, by: block) {
                        let count = min(block, shard.recordings - first), end = bases[first + count]
                        // Each list's stretch in this block, so the buffers are sized before filling.
                        var total = 0
                        for l in lists.indices {
                            stop[l] = positions.gallop(atLeast: end, in: cursor[l]..<lists[l].range.upperBound)
                            total += stop[l] - cursor[l]
                        }
                        if owner.count < total {
                            owner = [UInt16](repeating: 0, count: total)
                            offset = [Int32](repeating: 0, count: total)
                            grouped = offset
                        }
                        for i in 0...count { start[i] = 0 }
                        var k = 0
                        owner.withUnsafeMutableBufferPointer { owner in
                            offset.withUnsafeMutableBufferPointer { offset in
                                start.withUnsafeMutableBufferPointer { start in
                                    for l in lists.indices {
                                        let time = lists[l].time
                                        var r = first, rEnd: UInt32 = 0
                                        for i in cursor[l]..<stop[l] {
                                            let p = positions[i]
                                            if p >= rEnd {
                                                r = Int(blockRecording[Int(p >> shift)])
                                                while bases[r + 1] <= p { r += 1 }
                                                rEnd = bases[r + 1]
                                            }
                                            owner[k] = UInt16(truncatingIfNeeded: r - first)
                                            offset[k] = Int32(bitPattern: p &- bases[r]) &- time
                                            start[r - first + 1] += 1
                                            k += 1
                                        }
                                        cursor[l] = stop[l]
                                    }
                                    for i in 0..<count { start[i + 1] += start[i] }
                                }
                            }
                        }
                        var fill = start
                        owner.withUnsafeBufferPointer { owner in
                            offset.withUnsafeBufferPointer { offset in
                                grouped.withUnsafeMutableBufferPointer { grouped in
                                    fill.withUnsafeMutableBufferPointer { fill in
                                        for j in 0..<total {
                                            let o = Int(owner[j])
                                            grouped[fill[o]] = offset[j]
                                            fill[o] += 1
                                        }
                                    }
                                }
                            }
                        }
                        grouped.withUnsafeBufferPointer { g in
                            for i in 0..<count where start[i + 1] - start[i] >= floor() {
                                body(first + i, bound.bound(UnsafeBufferPointer(rebasing: g[start[i]..<start[i + 1]]),
                                                            histogram: &histogram))
                            }
                        }
                    }
                }
            }
        }
    }

    /// The votes of recording `r`: each list's stretch inside the recording, found by
    /// interpolation between the list's ends (a table made `gathered`).
    func votes(_ r: Int) -> [AudioVote] {
        precondition(ends.count == lists.count, "votes(_:) of a table made without its lists' ends")
        let lo = shard.bases[r], hi = shard.bases[r + 1]
        var out: [AudioVote] = []
        shard.positions.withUnsafeBufferPointer { positions in
            for ((time, hash, range), (first, last)) in zip(lists, ends) {
                var i = positions.interpolate(atLeast: lo, in: range, first: first, last: last)
                while i < range.upperBound, positions[i] < hi {
                    out.append(AudioVote(queryTime: Int(time), recordingTime: Int(positions[i] - lo), hash: hash))
                    i += 1
                }
            }
        }
        return out
    }
}

@_spi(Testing) extension RandomAccessCollection where Element == UInt32, Index == Int {
    /// As `firstIndex(atLeast:in:)`, probing 1, 2, 4, … ahead of the range's start first: near
    /// answers (a list's stretch in one block) stay within a few cache lines.
    public func gallop(atLeast value: UInt32, in range: Range<Int>) -> Int {
        var lo = range.lowerBound, step = 1
        while lo < range.upperBound, self[lo] < value {
            let probe = lo + step
            guard probe < range.upperBound, self[probe] < value else {
                return firstIndex(atLeast: value, in: (lo + 1)..<Swift.min(probe, range.upperBound))
            }
            lo = probe + 1
            step *= 2
        }
        return lo
    }

    /// As `firstIndex(atLeast:in:)`, starting where `value` would sit if the range's elements
    /// (`first` and `last` are its ends) were spread evenly, and galloping from there either way:
    /// a posting list spreads its positions about evenly over the frame line, so the answer is
    /// usually a few elements from the guess, against the ~log2(count) cache lines of bisection.
    public func interpolate(atLeast value: UInt32, in range: Range<Int>, first: UInt32, last: UInt32) -> Int {
        guard range.count > 4 else { return firstIndex(atLeast: value, in: range) }
        guard value > first else { return range.lowerBound }
        guard value <= last else { return range.upperBound }
        let fraction = Double(value - first) / (Double(last - first) + 1)
        let guess = range.lowerBound + Swift.min(range.count - 1, Int(fraction * Double(range.count)))
        if self[guess] < value { return gallop(atLeast: value, in: (guess + 1)..<range.upperBound) }
        var hi = guess, step = 1
        while hi > range.lowerBound {
            let probe = Swift.max(range.lowerBound, hi - step)
            if self[probe] < value { return firstIndex(atLeast: value, in: (probe + 1)..<hi) }
            hi = probe
            step *= 2
        }
        return range.lowerBound
    }

    /// The first index of `range` whose element is at least `value` (elements of `range` below
    /// `value` all come before those at or above it).
    public func firstIndex(atLeast value: UInt32, in range: Range<Int>) -> Int {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// An upper bound on the votes of one recording that any alignment can collect, at any speed
/// of a sweep: the most votes in `window` consecutive offsets (speed 1), where `window` is the
/// tolerance window widened by the largest drift a sweep speed can cause over the query.
///
/// Offsets are counted in buckets of `bucket` frames; every run of `window` consecutive offsets
/// lies inside `window / bucket + 2` consecutive buckets, whose largest sum is the bound. Few
/// offsets spread over many buckets (a rare hash's chance votes) are sorted by bucket instead of
/// counted in a histogram as wide as the recording: the same bound.
@_spi(Testing) public struct AudioVoteBound {
    public let window: Int
    /// Frames a bucket holds: a power of two.
    public let bucket: Int

    public init(window: Int, bucket: Int = 16) {
        self.window = window
        self.bucket = bucket
    }

    /// Buckets that hold any `window` consecutive offsets.
    public var span: Int { window / bucket + 2 }

    /// `histogram`: scratch space, reused from recording to recording.
    public func bound(_ offsets: UnsafeBufferPointer<Int32>, histogram: inout [Int32]) -> Int {
        guard var lo = offsets.first, !offsets.isEmpty else { return 0 }
        var hi = lo
        for o in offsets { lo = min(lo, o); hi = max(hi, o) }
        let buckets = Int(hi - lo) / bucket + 1
        let span = min(buckets, span)
        if offsets.count * 8 < buckets {
            if histogram.count < offsets.count { histogram = [Int32](repeating: 0, count: offsets.count) }
            return histogram.withUnsafeMutableBufferPointer { h in
                var sorted = UnsafeMutableBufferPointer(rebasing: h[0..<offsets.count])
                for (i, o) in offsets.enumerated() { sorted[i] = (o - lo) / Int32(bucket) }
                sorted.sort()
                var first = 0, best = 0
                for i in 0..<sorted.count {
                    while sorted[i] - sorted[first] >= span { first += 1 }
                    best = max(best, i - first + 1)
                }
                return best
            }
        }
        if histogram.count < buckets { histogram = [Int32](repeating: 0, count: buckets) }
        return histogram.withUnsafeMutableBufferPointer { h in
            UnsafeMutableBufferPointer(rebasing: h[0..<buckets]).update(repeating: 0)
            for o in offsets { h[Int(o - lo) / bucket] += 1 }
            var sum: Int32 = 0, best: Int32 = 0
            for i in 0..<buckets {
                sum += h[i]
                if i >= span { sum -= h[i - span] }
                best = max(best, sum)
            }
            return Int(best)
        }
    }
}
