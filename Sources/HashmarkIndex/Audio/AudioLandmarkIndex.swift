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
    public func query(_ fingerprint: AudioFingerprint, limit: Int, speeds: [Double]) throws(HashmarkIndexError) -> [AudioMatch] {
        try check(fingerprint)
        var votes: [Int: [AudioVote]] = [:]
        for l in fingerprint.landmarks {
            guard let list = postings[l.hash] else { continue }
            for p in list {
                votes[Int(p.recording), default: []].append(AudioVote(queryTime: Int(l.time), recordingTime: Int(p.time)))
            }
        }
        let spf = parameters.layout.secondsPerFrame
        let matches = votes.compactMap { recording, list -> AudioMatch? in
            var best: AudioMatch? = nil
            for speed in speeds where speed > 0 {
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
        return Array(matches.sorted { ($1.votes, $0.recording) < ($0.votes, $1.recording) }.prefix(max(0, limit)))
    }

    func check(_ f: AudioFingerprint) throws(HashmarkIndexError) {
        guard f.parameters == parameters else {
            throw HashmarkIndexError(.parameterMismatch,
                                     "fingerprint parameters differ from the index's (\(AudioFingerprint.algorithm))")
        }
    }
}
