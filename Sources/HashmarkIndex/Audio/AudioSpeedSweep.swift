import HashmarkFingerprint

/// A query's speed sweep, prepared once per query for every recording it aligns: each speed's
/// scaled query frames (`round(t · speed)`, as `align` scales them), the order the speeds are
/// tried in (nearest 1 first, then earlier in the list), and groups of neighbouring speeds whose
/// votes are bounded together.
///
/// A group's bound counts the votes at its middle speed in windows widened by the group's drift
/// (the most any frame's scaled time moves between the middle speed and another in the group):
/// a window at any speed of the group lies inside such a wider window at the middle one. A
/// recording that merely shares chance votes with the query is then dismissed for a whole group
/// by one count instead of one per speed.
@_spi(Testing) public struct AudioSpeedSweep {
    public let speeds: [Double]
    /// Speed indices, nearest 1 first (ties: earlier in `speeds`).
    let order: [Int]
    /// The first query frame the tables cover.
    let firstFrame: Int
    /// Per speed, `round(t · speed)` for query frames `firstFrame...` (as many as the query spans).
    let scaled: [[Int32]]
    /// Per speed, its group; per group, its middle speed and drift in frames.
    public let group: [Int]
    public let groups: [(middle: Int, drift: Int)]
    /// Speeds per group.
    static let groupSize = 3

    /// `frames`: the span of the query's anchor frames.
    public init(speeds: [Double], frames: ClosedRange<Int>) {
        self.speeds = speeds
        order = speeds.indices.sorted { (abs(speeds[$0] - 1), $0) < (abs(speeds[$1] - 1), $1) }
        firstFrame = frames.lowerBound
        scaled = speeds.map { s in frames.map { Int32(clamping: Int((Double($0) * s).rounded())) } }
        let byValue = speeds.indices.sorted { (speeds[$0], $0) < (speeds[$1], $1) }
        var group = [Int](repeating: 0, count: speeds.count), groups: [(middle: Int, drift: Int)] = []
        for start in stride(from: 0, to: byValue.count, by: Self.groupSize) {
            let members = byValue[start..<min(byValue.count, start + Self.groupSize)]
            let middle = members[members.startIndex + members.count / 2]
            var drift = 0
            for m in members {
                group[m] = groups.count
                for (a, b) in zip(scaled[m], scaled[middle]) { drift = max(drift, abs(Int(a) - Int(b))) }
            }
            groups.append((middle, drift))
        }
        self.group = group
        self.groups = groups
    }

    /// The sweep of `fingerprint`'s landmarks.
    init(speeds: [Double], landmarks: [Landmark]) {
        let times = landmarks.map { Int($0.time) }
        self.init(speeds: speeds, frames: (times.min() ?? 0)...(times.max() ?? 0))
    }

    /// Query frame `t` scaled by speed `s` (`t` within the query's frames).
    public func scaledTime(_ t: Int, speed s: Int) -> Int { Int(scaled[s][t - firstFrame]) }

    /// At least the votes that any `width` consecutive offsets hold at speed `s`: the offsets
    /// counted in bins of `⌈width / 2⌉` frames from the smallest, since such a window lies within
    /// three neighbouring bins. `Int.max` (no bound) when the offsets spread over more than four
    /// bins a vote, where counting would cost more than sorting. `counts`: scratch space.
    public func windowBound(_ votes: [AudioVote], speed s: Int, width: Int, counts: inout [Int32]) -> Int {
        let table = scaled[s], first = firstFrame
        var lo = Int.max, hi = Int.min
        for v in votes {
            let o = v.recordingTime - Int(table[v.queryTime - first])
            lo = min(lo, o); hi = max(hi, o)
        }
        guard lo <= hi else { return 0 }
        let bin = (width + 1) / 2, bins = (hi - lo) / bin + 3
        guard bins <= 4 * votes.count + 3 else { return Int.max }
        if counts.count < bins { counts = [Int32](repeating: 0, count: bins) }
        return counts.withUnsafeMutableBufferPointer { c in
            UnsafeMutableBufferPointer(rebasing: c[0..<bins]).update(repeating: 0)
            table.withUnsafeBufferPointer { t in
                for v in votes { c[(v.recordingTime - Int(t[v.queryTime - first]) - lo) / bin] += 1 }
            }
            var bound: Int32 = 0
            for b in 0..<(bins - 2) { bound = max(bound, c[b] + c[b + 1] + c[b + 2]) }
            return Int(bound)
        }
    }
}
