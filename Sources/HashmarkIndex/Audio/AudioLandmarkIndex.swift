import HashmarkFingerprint

/// Inverted index of audio landmarks: hash → postings (recording, anchor frame), queried by
/// offset voting. Exact: `query` returns what comparing every query landmark with every stored
/// one would (the tests hold a brute-force oracle to that).
///
/// A tempo change spreads the aligned votes over a drifting offset (3 % over a 10 s query: about
/// 13 frames), so only part of them fall in one tolerance window at speed 1 (the synthetic 1.03
/// resample still ranks first, 99 votes against 5); `query(_:limit:speeds:)` votes along a sweep
/// of speeds and reports the best one.
public struct AudioLandmarkIndex: Sendable {
    /// One stored landmark.
    struct Posting: Sendable {
        let recording: Int32
        let time: Int32
    }

    public let parameters: AudioFingerprint.Parameters
    /// Offsets within this many frames of the best one count as aligned (absorbs the 1-frame
    /// jitter of peaks when the excerpt's frames straddle the recording's).
    public let tolerance: Int
    var postings: [UInt32: [Posting]] = [:]
    /// Frames of each recording, by recording number.
    public private(set) var recordingFrames: [Int] = []

    public init(parameters: AudioFingerprint.Parameters = .init(), tolerance: Int = 1) {
        self.parameters = parameters
        self.tolerance = max(0, tolerance)
    }

    public var count: Int { recordingFrames.count }
    /// Stored landmarks, all recordings together.
    public private(set) var landmarkCount = 0

    /// Adds a recording; returns its number. Refuses a fingerprint made with other parameters.
    @discardableResult
    public mutating func add(_ fingerprint: AudioFingerprint) throws(HashmarkIndexError) -> Int {
        try check(fingerprint)
        let id = recordingFrames.count
        recordingFrames.append(fingerprint.frames)
        landmarkCount += fingerprint.landmarks.count
        for l in fingerprint.landmarks {
            postings[l.hash, default: []].append(Posting(recording: Int32(truncatingIfNeeded: id), time: l.time))
        }
        return id
    }

    /// The `limit` recordings with the most aligned votes, best first (ties: lower number first).
    public func query(_ fingerprint: AudioFingerprint, limit: Int = 5) throws(HashmarkIndexError) -> [AudioMatch] {
        try query(fingerprint, limit: limit, speeds: [1])
    }

    /// As `query(_:limit:)`, each recording aligned at the best of several playback speeds.
    ///
    /// At speed `s` (the query plays `s` times faster than the recording) query frame `t` is voted
    /// at `round(t · s)`: offsets of a sped-up copy then stay put instead of drifting by `(s − 1)·t`,
    /// which over a 10 s query at 3 % is 13 frames, far beyond the tolerance. The postings are
    /// looked up once; only the voting is repeated per speed. `AudioMatch.queryFrames` are the
    /// query's own frames, `offsetFrames` are recording frames at the scaled query time.
    ///
    /// Exact, but not every recording is aligned: each gets an upper bound on the votes any
    /// alignment at any of `speeds` can collect (`AudioVoteBound`), recordings are aligned from the
    /// highest bound down, and the search stops once a bound falls below the `limit`-th best
    /// alignment found (or below `minVotes`). Recordings that merely share common hashes with the
    /// query, whose votes scatter over many offsets, are never aligned.
    public func query(_ fingerprint: AudioFingerprint, limit: Int, speeds: [Double],
                      minVotes: Int = 1) throws(HashmarkIndexError) -> [AudioMatch] {
        try check(fingerprint)
        let speeds = speeds.filter { $0 > 0 }
        guard limit > 0, !speeds.isEmpty else { return [] }
        let votes = AudioVoteTable(fingerprint.landmarks, postings: postings, recordings: recordingFrames.count)
        let maxQueryTime = fingerprint.landmarks.map { Int($0.time) }.max() ?? 0
        let drift = Int((speeds.map { abs($0 - 1) }.max() ?? 0) * Double(maxQueryTime) + 1)
        let bound = AudioVoteBound(window: 2 * tolerance + 1 + drift)
        var order: [(bound: Int, recording: Int)] = []
        for r in 0..<recordingFrames.count where votes.count(r) >= max(1, minVotes) {
            let b = bound.bound(votes, recording: r)
            if b >= max(1, minVotes) { order.append((b, r)) }
        }
        order.sort { ($1.bound, $0.recording) < ($0.bound, $1.recording) }
        let spf = parameters.layout.secondsPerFrame
        var found: [AudioMatch] = []
        for (b, r) in order {
            if found.count >= limit, let last = found.last, b < last.votes { break }
            guard let m = align(votes.votes(r), recording: r, speeds: speeds, secondsPerFrame: spf),
                  m.votes >= minVotes else { continue }
            found.append(m)
            found.sort { ($1.votes, $0.recording) < ($0.votes, $1.recording) }
            if found.count > limit { found.removeLast() }
        }
        return found
    }

    /// The best alignment of one recording's votes over `speeds` (most votes; on ties the speed
    /// nearest 1, then the earlier in `speeds`).
    func align(_ list: [AudioVote], recording: Int, speeds: [Double], secondsPerFrame spf: Double) -> AudioMatch? {
        var best: AudioMatch? = nil
        for speed in speeds {
            let scaled = speed == 1 ? list : list.map {
                AudioVote(queryTime: Int((Double($0.queryTime) * speed).rounded()), recordingTime: $0.recordingTime)
            }
            guard var m = AudioMatch.best(recording: recording, votes: scaled, tolerance: tolerance, secondsPerFrame: spf)
            else { continue }
            if m.votes > (best?.votes ?? 0) || (m.votes == best?.votes && abs(speed - 1) < abs((best?.speed ?? 1) - 1)) {
                m.rescale(speed: speed, secondsPerFrame: spf)
                best = m
            }
        }
        return best
    }

    func check(_ f: AudioFingerprint) throws(HashmarkIndexError) {
        guard f.parameters == parameters else {
            throw HashmarkIndexError(.parameterMismatch,
                                     "fingerprint parameters differ from the index's (\(AudioFingerprint.algorithm))")
        }
    }
}
