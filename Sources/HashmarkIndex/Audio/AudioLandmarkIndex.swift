import HashmarkFingerprint

/// Inverted index of audio landmarks: hash → postings (recording, anchor frame; 4 bytes each, see
/// `AudioPostingShard`), built at once from every recording, queried by offset voting. Exact:
/// `query` returns what comparing every query landmark with every stored one would (the tests
/// hold a brute-force oracle to that). A large catalogue's index also holds a candidate stage
/// (`AudioCandidateStage`): its queries align only the recordings that stage shortlists.
///
/// A tempo change spreads the aligned votes over a drifting offset (3 % over a 10 s query: about
/// 13 frames), so only part of them fall in one tolerance window at speed 1 (the synthetic 1.03
/// resample still ranks first, 99 votes against 5); `query(_:limit:speeds:)` votes along a sweep
/// of speeds and reports the best one.
public struct AudioLandmarkIndex: Sendable {
    public let parameters: AudioFingerprint.Parameters
    /// Offsets within this many frames of the best one count as aligned (absorbs the 1-frame
    /// jitter of peaks when the excerpt's frames straddle the recording's).
    public let tolerance: Int
    /// Recordings in order, in shards of at most `shardFrames` frames each (4-byte positions).
    let shards: [AudioPostingShard]
    /// For a large catalogue, queries shortlist recordings by combined keys first; `nil`: every
    /// query is exact.
    public private(set) var candidateStage: AudioCandidateStage?
    /// The combined keys' postings, shard for shard as `shards`.
    let candidateShards: [AudioPostingShard]
    /// Frames of each recording, by recording number.
    public let recordingFrames: [Int]
    /// Stored landmarks, all recordings together.
    public let landmarkCount: Int
    /// Frame line of one shard: positions are `UInt32` (27,700 hours at 43 frames a second).
    static let maxShardFrames = UInt64(UInt32.max)

    public var count: Int { recordingFrames.count }
    /// Combined keys stored for the candidate stage (0 without it).
    public var candidateKeyCount: Int { candidateShards.reduce(0) { $0 + $1.positions.count } }
    @_spi(Testing) public var shardCount: Int { shards.count }

    /// An index of `recordings`, numbered in order. `recordings` is called twice (the first pass
    /// sizes every posting list, the second fills them, so the index is built in its final size
    /// without a copy of every landmark) and must yield the same fingerprints both times.
    /// Refuses fingerprints made with other parameters or with landmarks before frame 0.
    /// With `candidateStage`, the combined keys are indexed too (see `AudioCandidateStage`).
    public init<S: Sequence<AudioFingerprint>>(parameters: AudioFingerprint.Parameters = .init(), tolerance: Int = 1,
                                               candidateStage: AudioCandidateStage? = nil,
                                               recordings: () -> S) throws(HashmarkIndexError) {
        try self.init(parameters: parameters, tolerance: tolerance, shardFrames: Self.maxShardFrames,
                      candidateStage: candidateStage, recordings: recordings)
    }

    /// As `init(parameters:tolerance:candidateStage:recordings:)` for fingerprints at hand.
    public init(parameters: AudioFingerprint.Parameters = .init(), tolerance: Int = 1,
                candidateStage: AudioCandidateStage? = nil, recordings: [AudioFingerprint]) throws(HashmarkIndexError) {
        try self.init(parameters: parameters, tolerance: tolerance, candidateStage: candidateStage, recordings: { recordings })
    }

    /// `shardFrames`: a smaller frame line per shard (tests: many shards from few recordings).
    @_spi(Testing) public init<S: Sequence<AudioFingerprint>>(parameters: AudioFingerprint.Parameters, tolerance: Int,
                                                              shardFrames: UInt64, candidateStage: AudioCandidateStage? = nil,
                                                              recordings: () -> S) throws(HashmarkIndexError) {
        self.parameters = parameters
        self.tolerance = max(0, tolerance)
        self.candidateStage = candidateStage
        let combiner = candidateStage?.combiner
        var builders: [AudioPostingShard.Builder] = [], candidates: [AudioPostingShard.Builder] = []
        var frames: [Int] = []
        var landmarks = 0
        for f in recordings() {
            guard f.parameters == parameters else { throw Self.mismatch() }
            let extent = max(f.frames, Int(f.landmarks.map(\.time).max() ?? 0) + 1)
            guard f.landmarks.allSatisfy({ $0.time >= 0 }), UInt64(extent) <= shardFrames else {
                throw HashmarkIndexError(.malformedFingerprint, "recording \(frames.count): landmark times outside 0..<\(shardFrames)")
            }
            if builders.isEmpty || builders[builders.count - 1].end + UInt64(extent) > shardFrames {
                builders.append(.init(firstRecording: frames.count))
                if let combiner { candidates.append(.init(firstRecording: frames.count, denseBits: combiner.keyBits)) }
            }
            builders[builders.count - 1].count(f.landmarks, extent: extent)
            if let combiner { candidates[candidates.count - 1].count(combiner.combined(f.landmarks), extent: extent) }
            frames.append(f.frames)
            landmarks += f.landmarks.count
        }
        for b in builders.indices { builders[b].layOut() }
        for b in candidates.indices { candidates[b].layOut() }
        var shard = 0, seen = 0
        for f in recordings() {
            while shard < builders.count, seen >= builders[shard].firstRecording + builders[shard].recordings { shard += 1 }
            guard shard < builders.count, f.parameters == parameters,
                  builders[shard].fill(f.landmarks, local: seen - builders[shard].firstRecording) else {
                throw HashmarkIndexError(.malformedFingerprint, "the recordings changed between the two passes (recording \(seen))")
            }
            if let combiner, !candidates[shard].fill(combiner.combined(f.landmarks), local: seen - builders[shard].firstRecording) {
                throw HashmarkIndexError(.malformedFingerprint, "the recordings changed between the two passes (recording \(seen))")
            }
            seen += 1
        }
        guard seen == frames.count, builders.allSatisfy(\.complete), candidates.allSatisfy(\.complete) else {
            throw HashmarkIndexError(.malformedFingerprint, "the recordings changed between the two passes")
        }
        shards = builders.map { $0.shard() }
        candidateShards = candidates.map { $0.shard() }
        recordingFrames = frames
        landmarkCount = landmarks
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
    ///
    /// An index with a `candidateStage` aligns only the recordings that stage shortlists, unless
    /// `exhaustive`.
    ///
    /// `boundFloor` (at least `minVotes`): without the stage, a recording whose vote bound is under
    /// it is not aligned at all. Alignments from `minVotes` up are reported, but a low `minVotes`
    /// also aligns every recording bounded that high, which at 100 hours is most of them.
    ///
    /// `settled`: through the stage, the rarest-pair source is skipped once the combined keys'
    /// shortlist has aligned a recording with at least this many distinct hashes (a clear match
    /// needs no search for a buried one); `nil`: always searched.
    public func query(_ fingerprint: AudioFingerprint, limit: Int, speeds: [Double], minVotes: Int = 1, boundFloor: Int? = nil,
                      settled: Int? = nil, exhaustive: Bool = false) throws(HashmarkIndexError) -> [AudioMatch] {
        try check(fingerprint)
        let speeds = speeds.filter { $0 > 0 }
        guard limit > 0, !speeds.isEmpty else { return [] }
        let bound = voteBound(fingerprint, speeds: speeds), sweep = AudioSpeedSweep(speeds: speeds, landmarks: fingerprint.landmarks)
        if let stage = candidateStage, !exhaustive {
            return shortlisted(fingerprint, stage: stage, bound: bound, limit: limit, sweep: sweep, minVotes: minVotes,
                               settled: settled ?? .max)
        }
        let floor = max(1, minVotes, boundFloor ?? 1)
        let tables = shards.map { AudioVoteTable(fingerprint.landmarks, shard: $0) }
        var order: [(bound: Int, recording: Int, shard: Int)] = []
        for (s, votes) in tables.enumerated() {
            votes.forEachBound(floor: { floor }, bound) { r, b in
                if b >= floor { order.append((b, shards[s].firstRecording + r, s)) }
            }
        }
        order.sort { ($1.bound, $0.recording) < ($0.bound, $1.recording) }
        let spf = parameters.layout.secondsPerFrame
        var found: [AudioMatch] = []
        for (b, r, s) in order {
            if found.count >= limit, let last = found.last, b < last.votes { break }
            guard let m = align(tables[s].votes(r - shards[s].firstRecording), recording: r, sweep: sweep, secondsPerFrame: spf,
                                minVotes: minVotes) else { continue }
            found.append(m)
            found.sort { ($1.votes, $0.recording) < ($0.votes, $1.recording) }
            if found.count > limit { found.removeLast() }
        }
        return found
    }

    /// This index with another candidate stage of the same combiner (benchmarks: two stages on one index).
    @_spi(Testing) public func replacingStage(_ stage: AudioCandidateStage) -> AudioLandmarkIndex? {
        guard let current = candidateStage, current.combiner == stage.combiner else { return nil }
        var copy = self
        copy.candidateStage = stage
        return copy
    }

    /// The largest window of offsets that an alignment at any of `speeds` can collect votes from.
    func voteBound(_ fingerprint: AudioFingerprint, speeds: [Double]) -> AudioVoteBound {
        let maxQueryTime = fingerprint.landmarks.map { Int($0.time) }.max() ?? 0
        let drift = Int((speeds.map { abs($0 - 1) }.max() ?? 0) * Double(maxQueryTime) + 1)
        return AudioVoteBound(window: 2 * tolerance + 1 + drift)
    }

    /// The best alignment of one recording's votes over the sweep's speeds (most votes; on ties
    /// the speed nearest 1, then the earlier in `speeds`), if it has at least `minVotes`.
    ///
    /// The speeds are tried nearest 1 first, so a later one replaces the best only with more
    /// votes, and one whose window bound cannot exceed the best so far (nor reach `minVotes`) is
    /// skipped without sorting its offsets: first by its group's bound (`AudioSpeedSweep`), then
    /// by its own. That skips most of the sweep once one speed has aligned the copy, and all of it,
    /// a group at a time, for a recording that merely shares chance votes with the query.
    func align(_ list: [AudioVote], recording: Int, sweep: AudioSpeedSweep, secondsPerFrame spf: Double, minVotes: Int) -> AudioMatch? {
        var best: AudioMatch? = nil
        let width = 2 * tolerance + 1, floor = max(1, minVotes)
        var groupBound = [Int?](repeating: nil, count: sweep.groups.count), counts: [Int32] = []
        for i in sweep.order {
            let needed = max(best?.votes ?? 0, floor - 1), g = sweep.group[i]
            if groupBound[g] == nil {
                groupBound[g] = sweep.windowBound(list, speed: sweep.groups[g].middle, width: width + 2 * sweep.groups[g].drift,
                                                  counts: &counts)
            }
            if groupBound[g]! <= needed || sweep.windowBound(list, speed: i, width: width, counts: &counts) <= needed { continue }
            let speed = sweep.speeds[i]
            let scaled = speed == 1 ? list : list.map {
                AudioVote(queryTime: sweep.scaledTime($0.queryTime, speed: i), recordingTime: $0.recordingTime, hash: $0.hash)
            }
            guard var m = AudioMatch.best(recording: recording, votes: scaled, tolerance: tolerance, secondsPerFrame: spf)
            else { continue }
            if m.votes > (best?.votes ?? 0) {
                m.rescale(speed: speed, secondsPerFrame: spf)
                best = m
            }
        }
        return best.flatMap { $0.votes >= floor ? $0 : nil }
    }

    static func mismatch() -> HashmarkIndexError {
        HashmarkIndexError(.parameterMismatch, "fingerprint parameters differ from the index's (\(AudioFingerprint.algorithm))")
    }

    func check(_ f: AudioFingerprint) throws(HashmarkIndexError) {
        guard f.parameters == parameters else { throw Self.mismatch() }
    }
}
