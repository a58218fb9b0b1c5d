import HashmarkFingerprint

/// A query's votes grouped by recording in two flat arrays (counted, then filled), so gathering
/// millions of votes allocates two arrays instead of one per recording.
struct AudioVoteTable {
    /// Votes of recording `r` are at `start[r]..<start[r + 1]`.
    private var start: [Int]
    private var queryTimes: [Int32]
    private var recordingTimes: [Int32]

    init(_ landmarks: [Landmark], postings: [UInt32: [AudioLandmarkIndex.Posting]], recordings: Int) {
        let lists = landmarks.compactMap { l in postings[l.hash].map { (l.time, $0) } }
        var start = [Int](repeating: 0, count: recordings + 1)
        for (_, list) in lists { for p in list { start[Int(p.recording) + 1] += 1 } }
        for r in 0..<recordings { start[r + 1] += start[r] }
        var fill = start
        var q = [Int32](repeating: 0, count: start[recordings]), t = q
        for (time, list) in lists {
            for p in list {
                let i = fill[Int(p.recording)]
                q[i] = time
                t[i] = p.time
                fill[Int(p.recording)] = i + 1
            }
        }
        self.start = start
        queryTimes = q
        recordingTimes = t
    }

    func count(_ r: Int) -> Int { start[r + 1] - start[r] }

    func votes(_ r: Int) -> [AudioVote] {
        (start[r]..<start[r + 1]).map { AudioVote(queryTime: Int(queryTimes[$0]), recordingTime: Int(recordingTimes[$0])) }
    }

    /// Calls `body` with recording time minus query time of each vote of `r`.
    func forEachOffset(_ r: Int, _ body: (Int) -> Void) {
        for i in start[r]..<start[r + 1] { body(Int(recordingTimes[i]) - Int(queryTimes[i])) }
    }
}

/// An upper bound on the votes of one recording that any alignment can collect, at any speed
/// of a sweep: the most votes in `window` consecutive offsets (speed 1), where `window` is the
/// tolerance window widened by the largest drift a sweep speed can cause over the query.
///
/// Offsets are counted in buckets of `bucket` frames; every run of `window` consecutive offsets
/// lies inside `window / bucket + 2` consecutive buckets, whose largest sum is the bound.
struct AudioVoteBound {
    let window: Int
    let bucket = 16

    func bound(_ votes: AudioVoteTable, recording r: Int) -> Int {
        var lo = Int.max, hi = Int.min
        votes.forEachOffset(r) { o in lo = min(lo, o); hi = max(hi, o) }
        guard lo <= hi else { return 0 }
        let buckets = (hi - lo) / bucket + 1
        var histogram = [Int32](repeating: 0, count: buckets)
        votes.forEachOffset(r) { o in histogram[(o - lo) / bucket] += 1 }
        let span = min(buckets, window / bucket + 2)
        var sum: Int32 = 0, best: Int32 = 0
        for i in 0..<buckets {
            sum += histogram[i]
            if i >= span { sum -= histogram[i - span] }
            best = max(best, sum)
        }
        return Int(best)
    }
}
