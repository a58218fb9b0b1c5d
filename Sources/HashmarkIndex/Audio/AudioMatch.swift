import HashmarkFingerprint

/// One recording found by offset voting, with its evidence.
public struct AudioMatch: Sendable, Hashable {
    /// The recording's number in the index (the order it was added).
    public let recording: Int
    /// Recording frame minus scaled query frame at the best alignment: query frame `t` sits at
    /// recording frame `round(t · speed) + offsetFrames`.
    public let offsetFrames: Int
    public let offsetSeconds: Double
    /// Aligned landmark pairs: equal hashes whose offset lies within the tolerance of `offsetFrames`.
    public let votes: Int
    /// Different hashes among the aligned pairs. A recording that repeats itself (a loop, a
    /// croaking frog, a held chord) repeats its hashes, and another recording that repeats a
    /// similar sound at the same period aligns every repeat at once: `votes` then counts the
    /// repetition, this the different landmark shapes that agree.
    public let distinctHashes: Int
    /// The most votes any other alignment of this recording collects at the same speed: a window
    /// as wide as the best one, all of its offsets more than `AudioMatch.sidelobeGuard` frames
    /// outside the best window. Chance alignments are many of nearly equal height, and two
    /// recordings that share a sound at one period align it at every period; a copy's alignment
    /// stands far above the rest (`AudioRule.minIsolationMargin`).
    public var sidelobeVotes: Int = 0
    /// Anchor frames of the aligned landmarks, first to last, in the query and in the recording.
    public private(set) var queryFrames: ClosedRange<Int>
    public let recordingFrames: ClosedRange<Int>
    /// The same ranges in seconds (anchor starts; the last frame's start is the upper bound).
    public private(set) var querySeconds: ClosedRange<Double>
    public let recordingSeconds: ClosedRange<Double>
    /// How much faster the query plays than the recording at this alignment (1: as recorded).
    public private(set) var speed: Double = 1

    public init(recording: Int, offsetFrames: Int, votes: Int, distinctHashes: Int, queryFrames: ClosedRange<Int>,
                recordingFrames: ClosedRange<Int>, secondsPerFrame: Double) {
        self.recording = recording
        self.offsetFrames = offsetFrames
        self.votes = votes
        self.distinctHashes = distinctHashes
        self.queryFrames = queryFrames
        self.recordingFrames = recordingFrames
        offsetSeconds = Double(offsetFrames) * secondsPerFrame
        querySeconds = Double(queryFrames.lowerBound) * secondsPerFrame...Double(queryFrames.upperBound) * secondsPerFrame
        recordingSeconds = Double(recordingFrames.lowerBound) * secondsPerFrame...Double(recordingFrames.upperBound) * secondsPerFrame
    }
}

extension AudioMatch {
    /// A match found with query times scaled by `speed` (see `AudioLandmarkIndex.query`): its
    /// query range back in the query's own frames, and the speed recorded.
    @_spi(Testing) public mutating func rescale(speed: Double, secondsPerFrame: Double) {
        guard speed != 1 else { return }
        self.speed = speed
        queryFrames = Int((Double(queryFrames.lowerBound) / speed).rounded())...Int((Double(queryFrames.upperBound) / speed).rounded())
        querySeconds = Double(queryFrames.lowerBound) * secondsPerFrame...Double(queryFrames.upperBound) * secondsPerFrame
    }
}

/// A vote: one query landmark and one stored landmark with the same hash.
@_spi(Testing) public struct AudioVote: Sendable, Hashable {
    public let queryTime: Int
    public let recordingTime: Int
    public let hash: UInt32
    public var offset: Int { recordingTime - queryTime }
    public init(queryTime: Int, recordingTime: Int, hash: UInt32) {
        self.queryTime = queryTime
        self.recordingTime = recordingTime
        self.hash = hash
    }
}

extension AudioMatch {
    /// The best alignment of one recording's votes: the offset `o` with the most votes within
    /// `tolerance` frames (`|offset − o| ≤ tolerance`), the smallest such `o` on ties; `nil`
    /// without votes. The best `o` is always some vote's offset minus `tolerance` (moving the
    /// window left from the smallest best `o` must lose a vote at its right edge), so only those
    /// are tried, by two pointers over the sorted offsets.
    @_spi(Testing) public static func best(recording: Int, votes: [AudioVote], tolerance: Int,
                                           secondsPerFrame: Double) -> AudioMatch? {
        guard !votes.isEmpty else { return nil }
        // The window is found on the offsets alone; its votes are then picked out for the ranges.
        let sorted = votes.map(\.offset).sorted()
        var bestCount = 0, bestRight = 0
        var left = 0
        for right in sorted.indices {
            while sorted[left] < sorted[right] - 2 * tolerance { left += 1 }
            // Extend over equal offsets so the window holds every vote at its right edge.
            if right + 1 < sorted.count, sorted[right + 1] == sorted[right] { continue }
            let count = right - left + 1
            if count > bestCount { bestCount = count; bestRight = right }
        }
        let high = sorted[bestRight], low = high - 2 * tolerance
        var qLo = Int.max, qHi = Int.min, rLo = Int.max, rHi = Int.min
        var hashes: [UInt32] = []
        hashes.reserveCapacity(bestCount)
        for v in votes where v.offset >= low && v.offset <= high {
            qLo = min(qLo, v.queryTime); qHi = max(qHi, v.queryTime)
            rLo = min(rLo, v.recordingTime); rHi = max(rHi, v.recordingTime)
            hashes.append(v.hash)
        }
        hashes.sort()
        var distinct = 0
        for i in hashes.indices where i == 0 || hashes[i] != hashes[i - 1] { distinct += 1 }
        var m = AudioMatch(recording: recording, offsetFrames: high - tolerance, votes: bestCount, distinctHashes: distinct,
                           queryFrames: qLo...qHi, recordingFrames: rLo...rHi, secondsPerFrame: secondsPerFrame)
        m.sidelobeVotes = sidelobe(sorted, excluding: (low - sidelobeGuard)...(high + sidelobeGuard), width: 2 * tolerance + 1)
        return m
    }

    /// Frames either side of the best window whose offsets the sidelobe does not count: a copy's
    /// own votes scatter a frame or two beyond the window (peak jitter, the speed sweep's steps).
    public static let sidelobeGuard = 4

    /// The most of `sorted` offsets that any window of `width` consecutive offsets outside
    /// `excluded` holds (two pointers; offsets inside `excluded` split the line).
    static func sidelobe(_ sorted: [Int], excluding excluded: ClosedRange<Int>, width: Int) -> Int {
        var best = 0, left = 0
        for right in sorted.indices where !excluded.contains(sorted[right]) {
            while sorted[left] <= sorted[right] - width || excluded.contains(sorted[left]) { left += 1 }
            best = max(best, right - left + 1)
        }
        return best
    }
}
