import HashmarkFingerprint

/// Inverted index of audio landmarks: hash → postings (recording, anchor frame), queried by
/// offset voting. Exact: `query` returns what comparing every query landmark with every stored
/// one would (the tests hold a brute-force oracle to that).
///
/// A tempo change spreads the aligned votes over a drifting offset (3 % over a 10 s query: about
/// 13 frames), so only part of them fall in one tolerance window; the synthetic 1.03 resample
/// still ranks first with 97 votes against 5. Voting along a sweep of tempo factors is the next
/// step when the factor itself must be reported.
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

    /// Adds a recording; returns its number. Refuses a fingerprint made with other parameters.
    @discardableResult
    public mutating func add(_ fingerprint: AudioFingerprint) throws(HashmarkIndexError) -> Int {
        try check(fingerprint)
        let id = recordingFrames.count
        recordingFrames.append(fingerprint.frames)
        for l in fingerprint.landmarks {
            postings[l.hash, default: []].append(Posting(recording: Int32(truncatingIfNeeded: id), time: l.time))
        }
        return id
    }

    /// The `limit` recordings with the most aligned votes, best first (ties: lower number first).
    public func query(_ fingerprint: AudioFingerprint, limit: Int = 5) throws(HashmarkIndexError) -> [AudioMatch] {
        try check(fingerprint)
        var votes: [Int: [AudioVote]] = [:]
        for l in fingerprint.landmarks {
            guard let list = postings[l.hash] else { continue }
            for p in list {
                votes[Int(p.recording), default: []].append(AudioVote(queryTime: Int(l.time), recordingTime: Int(p.time)))
            }
        }
        let spf = parameters.layout.secondsPerFrame
        let matches = votes.compactMap { AudioMatch.best(recording: $0.key, votes: $0.value, tolerance: tolerance, secondsPerFrame: spf) }
        return Array(matches.sorted { ($1.votes, $0.recording) < ($0.votes, $1.recording) }.prefix(max(0, limit)))
    }

    func check(_ f: AudioFingerprint) throws(HashmarkIndexError) {
        guard f.parameters == parameters else {
            throw HashmarkIndexError(.parameterMismatch,
                                     "fingerprint parameters differ from the index's (\(AudioFingerprint.algorithm))")
        }
    }
}
