import HashmarkFingerprint
import HashmarkTestSupport
import Testing
@_spi(Testing) import HashmarkIndex

/// The inverted index's offset voting against a brute-force oracle that compares every query
/// landmark with every stored landmark and tries every offset.
@Suite("AudioIndexOracle")
struct AudioIndexOracleTests {
    /// Votes of recording `stored` for `query` at every integer offset; the best (most votes,
    /// smallest offset), its vote count, the different hashes among its votes, the anchor
    /// ranges of its aligned pairs, and the sidelobe: the most votes of any other window, counting
    /// no offset within `AudioMatch.sidelobeGuard` frames of the best window.
    static func oracle(_ query: [Landmark], _ stored: [Landmark], recording: Int, tolerance: Int,
                       secondsPerFrame: Double) -> AudioMatch? {
        var pairs: [(q: Int, s: Int, hash: UInt32)] = []
        for a in query { for b in stored where a.hash == b.hash { pairs.append((Int(a.time), Int(b.time), a.hash)) } }
        guard let lo = pairs.map({ $0.s - $0.q }).min(), let hi = pairs.map({ $0.s - $0.q }).max() else { return nil }
        var best: (o: Int, votes: Int) = (0, 0)
        for o in (lo - tolerance)...(hi + tolerance) {
            let v = pairs.filter { abs($0.s - $0.q - o) <= tolerance }.count
            if v > best.votes { best = (o, v) }
        }
        let aligned = pairs.filter { abs($0.s - $0.q - best.o) <= tolerance }
        guard let q0 = aligned.map(\.q).min(), let q1 = aligned.map(\.q).max(),
              let s0 = aligned.map(\.s).min(), let s1 = aligned.map(\.s).max() else { return nil }
        var m = AudioMatch(recording: recording, offsetFrames: best.o, votes: best.votes,
                           distinctHashes: Set(aligned.map(\.hash)).count, queryFrames: q0...q1,
                           recordingFrames: s0...s1, secondsPerFrame: secondsPerFrame)
        let guardBand = (best.o - tolerance - AudioMatch.sidelobeGuard)...(best.o + tolerance + AudioMatch.sidelobeGuard)
        for o in (lo - tolerance)...(hi + tolerance) {
            let v = pairs.filter { abs($0.s - $0.q - o) <= tolerance && !guardBand.contains($0.s - $0.q) }.count
            m.sidelobeVotes = max(m.sidelobeVotes, v)
        }
        return m
    }

    static func oracleRanking(_ query: [Landmark], _ stored: [[Landmark]], tolerance: Int, spf: Double) -> [AudioMatch] {
        stored.enumerated().compactMap { oracle(query, $0.element, recording: $0.offset, tolerance: tolerance, secondsPerFrame: spf) }
            .sorted { $0.votes != $1.votes ? $0.votes > $1.votes : $0.recording < $1.recording }
    }

    /// Tolerances 0–2 in one shard; tolerance 1 with shards of 1,000 frames (two or three
    /// recordings each) and with hashes beyond the builder's flat counter table.
    @Test(arguments: [(0, UInt64(UInt32.max), UInt32(0)), (1, UInt64(UInt32.max), 0), (2, UInt64(UInt32.max), 0),
                      (1, 1_000, 0), (1, 1_000, 0xFFFF_FF00)])
    func randomLandmarksEqualTheOracle(tolerance: Int, shardFrames: UInt64, hashBase: UInt32) throws {
        var rng = TestRandom(seed: 181 + UInt64(tolerance) + shardFrames % 7)
        let params = AudioFingerprint.Parameters()
        // A small hash space so that hashes collide and votes pile up on many offsets.
        func random(_ n: Int, frames: Int) -> [Landmark] {
            (0..<n).map { _ in
                Landmark(hash: hashBase + UInt32.random(in: 0..<40, using: &rng), time: Int32.random(in: 0..<Int32(frames), using: &rng))
            }.sorted { $0.time < $1.time }
        }
        var stored: [[Landmark]] = []
        for _ in 0..<12 { stored.append(random(Int.random(in: 0...300, using: &rng), frames: 400)) }
        let index = try AudioLandmarkIndex(parameters: params, tolerance: tolerance, shardFrames: shardFrames) {
            stored.map { AudioFingerprint(parameters: params, frames: 400, landmarks: $0) }
        }
        #expect(index.shardCount == (shardFrames == 1_000 ? 6 : 1))
        #expect(index.landmarkCount == stored.reduce(0) { $0 + $1.count })
        for _ in 0..<10 {
            let q = random(Int.random(in: 0...80, using: &rng), frames: 150)
            let got = try index.query(AudioFingerprint(parameters: params, frames: 150, landmarks: q), limit: 100)
            let want = Self.oracleRanking(q, stored, tolerance: tolerance, spf: params.layout.secondsPerFrame)
            #expect(got == want, "tolerance \(tolerance), \(rng.replay)")
        }
    }

    /// More recordings than one block of the vote scan (`AudioVoteTable.block`), some of them
    /// empty: every block's lists are cut and resumed where the previous block ended. (A query
    /// meets ~40,000 postings among the first shard's 444 recordings: blocks of 256, the fewest.)
    @Test func manyBlocksEqualTheOracle() throws {
        var rng = TestRandom(seed: 4_242)
        let params = AudioFingerprint.Parameters(), spf = params.layout.secondsPerFrame
        let stored: [[Landmark]] = (0..<700).map { _ in
            (0..<Int.random(in: 0...160, using: &rng)).map { _ in
                Landmark(hash: UInt32.random(in: 0..<25, using: &rng), time: Int32.random(in: 0..<90, using: &rng))
            }.sorted { $0.time < $1.time }
        }
        let index = try AudioLandmarkIndex(parameters: params, tolerance: 1, shardFrames: 40_000) {
            stored.map { AudioFingerprint(parameters: params, frames: 90, landmarks: $0) }
        }
        #expect(index.shardCount == 2)
        for round in 0..<6 {
            let q = (0..<30).map { _ in
                Landmark(hash: UInt32.random(in: 0..<25, using: &rng), time: Int32.random(in: 0..<60, using: &rng))
            }.sorted { $0.time < $1.time }
            let got = try index.query(AudioFingerprint(parameters: params, frames: 60, landmarks: q), limit: 40, speeds: [1],
                                      minVotes: 3)
            let want = Array(Self.oracleRanking(q, stored, tolerance: 1, spf: spf).filter { $0.votes >= 3 }.prefix(40))
            #expect(got == want, "round \(round), \(rng.replay)")
        }
    }

    /// Galloping and interpolation find the same first index as bisection, wherever it lies, on
    /// evenly spread values and on clustered ones (where the interpolated guess is far off).
    @Test func gallopAndInterpolationEqualBisection() {
        var rng = TestRandom(seed: 77)
        for round in 0..<400 {
            let clustered = round % 2 == 1
            let values = (0..<Int.random(in: 0...300, using: &rng)).map { _ in
                clustered && Bool.random(using: &rng) ? UInt32.random(in: 400..<420, using: &rng) : UInt32.random(in: 0..<1_000, using: &rng)
            }.sorted()
            let from = Int.random(in: 0...values.count, using: &rng), to = Int.random(in: from...values.count, using: &rng)
            let v = UInt32.random(in: 0..<1_100, using: &rng)
            let want = values[from..<to].firstIndex { $0 >= v } ?? to
            #expect(values.gallop(atLeast: v, in: from..<to) == want, "\(rng.replay)")
            #expect(values.firstIndex(atLeast: v, in: from..<to) == want, "\(rng.replay)")
            if from < to {
                #expect(values.interpolate(atLeast: v, in: from..<to, first: values[from], last: values[to - 1]) == want,
                        "round \(round), \(rng.replay)")
            }
        }
    }

    @Test func synthesisedMixEqualsTheOracle() throws {
        let song = AudioSynth.recording(seed: 1, seconds: 12)
        let other = AudioSynth.recording(seed: 2, seconds: 12)
        var mix = AudioSynth.recording(seed: 3, seconds: 30).map { $0 * 0.3 }
        let at = Int(9.7 * AudioSynth.rate)
        for i in song.indices where at + i < mix.count { mix[at + i] += song[i] }
        let fps = [song, other].map { AudioFingerprint(samples: $0) }
        let index = try AudioLandmarkIndex(tolerance: 1, recordings: fps)
        let q = AudioFingerprint(samples: mix)
        let got = try index.query(q, limit: 10)
        let want = Self.oracleRanking(q.landmarks, fps.map(\.landmarks), tolerance: 1, spf: index.parameters.layout.secondsPerFrame)
        #expect(got == want)
        #expect(got.first?.recording == 0)
    }

    /// The speed sweep with the bound's pruning: equal to the oracle run at every speed on scaled
    /// query times, best speed per recording (ties: nearest 1, then earlier in the list), at
    /// least `minVotes`, best `limit` first.
    @Test(arguments: [(1, 1), (3, 4), (20, 1), (5, 12)])
    func speedSweepEqualsTheOracle(limit: Int, minVotes: Int) throws {
        var rng = TestRandom(seed: 977 + UInt64(limit))
        let params = AudioFingerprint.Parameters(), spf = params.layout.secondsPerFrame
        let speeds = [1.0, 0.95, 1.05, 0.98, 1.02]
        var stored: [[Landmark]] = []
        for _ in 0..<15 {
            stored.append((0..<Int.random(in: 50...400, using: &rng)).map { _ in
                Landmark(hash: UInt32.random(in: 0..<60, using: &rng), time: Int32.random(in: 0..<600, using: &rng))
            }.sorted { $0.time < $1.time })
        }
        // Shards of 2,000 frames: three recordings each, so the best of several shards is merged.
        let index = try AudioLandmarkIndex(parameters: params, tolerance: 1, shardFrames: 2_000) {
            stored.map { AudioFingerprint(parameters: params, frames: 600, landmarks: $0) }
        }
        #expect(index.shardCount == 5)
        for round in 0..<8 {
            // A stretch of one recording played at a sweep speed, with random landmarks around it.
            let source = stored[round % stored.count], speed = speeds[round % speeds.count]
            var q = source.filter { $0.time >= 100 && $0.time < 300 }
                .map { Landmark(hash: $0.hash, time: Int32((Double($0.time - 100) / speed).rounded())) }
            q += (0..<40).map { _ in Landmark(hash: UInt32.random(in: 0..<60, using: &rng), time: Int32.random(in: 0..<210, using: &rng)) }
            q.sort { $0.time < $1.time }
            let got = try index.query(AudioFingerprint(parameters: params, frames: 210, landmarks: q), limit: limit,
                                      speeds: speeds, minVotes: minVotes)
            var want: [AudioMatch] = []
            for (r, l) in stored.enumerated() {
                var best: AudioMatch? = nil
                for s in speeds {
                    let scaled = q.map { Landmark(hash: $0.hash, time: Int32((Double($0.time) * s).rounded())) }
                    guard var m = Self.oracle(scaled, l, recording: r, tolerance: 1, secondsPerFrame: spf) else { continue }
                    if m.votes > (best?.votes ?? 0) || (m.votes == best?.votes && abs(s - 1) < abs((best?.speed ?? 1) - 1)) {
                        m.rescale(speed: s, secondsPerFrame: spf)
                        best = m
                    }
                }
                if let best, best.votes >= minVotes { want.append(best) }
            }
            want = Array(want.sorted { ($1.votes, $0.recording) < ($0.votes, $1.recording) }.prefix(limit))
            #expect(got == want, "round \(round), \(rng.replay)")
            #expect(got.first?.recording == round % stored.count)
        }
    }

    /// `boundFloor` only leaves out recordings bounded under it: the alignments from the floor up
    /// are exactly the exhaustive ones, and those under it (down to `minVotes`) are true ones.
    @Test func boundFloorOnlySkipsRecordingsBoundedUnderIt() throws {
        var rng = TestRandom(seed: 5151)
        let params = AudioFingerprint.Parameters()
        let speeds = [1.0, 0.97, 1.03]
        let stored: [[Landmark]] = (0..<25).map { _ in
            (0..<Int.random(in: 50...300, using: &rng)).map { _ in
                Landmark(hash: UInt32.random(in: 0..<16, using: &rng), time: Int32.random(in: 0..<500, using: &rng))
            }.sorted { $0.time < $1.time }
        }
        let index = try AudioLandmarkIndex(parameters: params, tolerance: 1, recordings: stored.map {
            AudioFingerprint(parameters: params, frames: 500, landmarks: $0)
        })
        var under = 0   // alignments found under the bound floor: the test must see some
        for round in 0..<10 {
            let source = stored[round % stored.count]
            var q = source.filter { $0.time >= 50 && $0.time < 200 }.map { Landmark(hash: $0.hash, time: $0.time - 50) }
            q += (0..<60).map { _ in Landmark(hash: UInt32.random(in: 0..<16, using: &rng), time: Int32.random(in: 0..<160, using: &rng)) }
            q.sort { $0.time < $1.time }
            let fp = AudioFingerprint(parameters: params, frames: 160, landmarks: q)
            let all = try index.query(fp, limit: 1_000, speeds: speeds, minVotes: 10)
            let floor = 30
            let got = try index.query(fp, limit: 5, speeds: speeds, minVotes: 10, boundFloor: floor)
            #expect(got.filter { $0.votes >= floor } == Array(all.filter { $0.votes >= floor }.prefix(5)), "round \(round)")
            #expect(got.count <= 5 && got.allSatisfy { m in m.votes >= 10 && all.contains(m) }, "round \(round)")
            under += got.count { $0.votes < floor }
        }
        #expect(under > 0)
    }

    /// The sidelobe of a copy buried in chance votes: far below its alignment, the copy's own
    /// stragglers beside the window not counted, a second cluster counted; random votes against
    /// the oracle.
    @Test func sidelobeIsTheBestWindowAwayFromTheAlignment() {
        func votes(_ offsets: [Int]) -> [AudioVote] {
            offsets.enumerated().map { i, o in AudioVote(queryTime: i, recordingTime: i + o, hash: UInt32(i)) }
        }
        let copy = [Int](repeating: 200, count: 20) + [201, 199, 203, 196, 204] + [260, 261, 262, 90, 91]
        let m = AudioMatch.best(recording: 0, votes: votes(copy), tolerance: 1, secondsPerFrame: 0.023)
        #expect(m?.votes == 22 && m?.offsetFrames == 200)
        // 203 and 196/204 sit within 4 frames of the window 199…201; 260…262 is the next cluster.
        #expect(m?.sidelobeVotes == 3)
        #expect(AudioMatch.best(recording: 0, votes: votes([5, 5, 6]), tolerance: 1, secondsPerFrame: 0.023)?.sidelobeVotes == 0)
        var rng = TestRandom(seed: 4242)
        for round in 0..<200 {
            let n = 1 + Int(rng.next() % 120), spread = [12, 40, 300][round % 3], tolerance = round % 3
            let q = (0..<n).map { _ in Landmark(hash: UInt32(rng.next() % 8), time: Int32(rng.next() % 200)) }
            let stored = (0..<n).map { _ in Landmark(hash: UInt32(rng.next() % 8), time: Int32(rng.next() % UInt64(200 + spread))) }
            var pairs: [AudioVote] = []
            for a in q { for b in stored where a.hash == b.hash {
                pairs.append(AudioVote(queryTime: Int(a.time), recordingTime: Int(b.time), hash: a.hash))
            } }
            let got = AudioMatch.best(recording: 0, votes: pairs, tolerance: tolerance, secondsPerFrame: 0.023)
            let want = Self.oracle(q, stored, recording: 0, tolerance: tolerance, secondsPerFrame: 0.023)
            #expect(got?.votes == want?.votes && got?.sidelobeVotes == want?.sidelobeVotes, "round \(round)")
        }
    }

    /// The bounds that let the sweep skip a speed, or a group of speeds, are never below the votes
    /// of the best window at that speed, or at any speed of the group (clustered votes, scattered
    /// ones, one vote, none), and give up (`Int.max`) on offsets too spread to count cheaply.
    @Test func windowBoundsNeverUndercountTheBestWindow() {
        var rng = TestRandom(seed: 909)
        let sweep = AudioSpeedSweep(speeds: [1.0, 0.94, 1.03, 1.06, 0.985, 1.0 + 1e-9, 0.5], frames: 0...429)
        #expect(sweep.groups.count == 3 && sweep.groups.map(\.drift) == [188, 13, 0])
        var counts: [Int32] = []
        for round in 0..<300 {
            let n = round % 50 == 0 ? round % 3 : 1 + Int(rng.next() % 400)
            let spread = [8, 60, 900][round % 3]
            let votes = (0..<n).map { _ in
                let q = Int(rng.next() % 430)
                return AudioVote(queryTime: q, recordingTime: q + Int(rng.next() % UInt64(spread)), hash: UInt32(rng.next() % 64))
            }
            let tolerance = round % 3, width = 2 * tolerance + 1
            for (s, speed) in sweep.speeds.enumerated() {
                let scaled = votes.map {
                    AudioVote(queryTime: Int((Double($0.queryTime) * speed).rounded()), recordingTime: $0.recordingTime, hash: $0.hash)
                }
                let best = AudioMatch.best(recording: 0, votes: scaled, tolerance: tolerance, secondsPerFrame: 0.023)?.votes ?? 0
                let bound = sweep.windowBound(votes, speed: s, width: width, counts: &counts)
                let (middle, drift) = sweep.groups[sweep.group[s]]
                let groupBound = sweep.windowBound(votes, speed: middle, width: width + 2 * drift, counts: &counts)
                #expect(bound >= best && groupBound >= best, "round \(round), speed \(speed): bounds \(bound), \(groupBound) < \(best)")
                if n == 0 { #expect(bound == 0) }
            }
        }
        let far = [AudioVote(queryTime: 0, recordingTime: 0, hash: 1), AudioVote(queryTime: 0, recordingTime: 10_000, hash: 2)]
        #expect(sweep.windowBound(far, speed: 0, width: 3, counts: &counts) == Int.max)
    }

    @Test func refusesOtherParameters() throws {
        var p = AudioFingerprint.Parameters()
        p.hasher.fanOut = 3
        let index = try AudioLandmarkIndex(recordings: [])
        let f = AudioFingerprint(parameters: p, frames: 1, landmarks: [])
        #expect(throws: HashmarkIndexError.self) { try AudioLandmarkIndex(recordings: [f]) }
        #expect(throws: HashmarkIndexError.self) { try index.query(f) }
        #expect(index.count == 0)
        #expect(try index.query(AudioFingerprint(parameters: .init(), frames: 1, landmarks: [])).isEmpty)
    }

    /// Landmarks before frame 0, a recording longer than a shard, and recordings that differ
    /// between the build's two passes are refused, not stored wrongly.
    @Test func refusesWhatItCannotHold() throws {
        let params = AudioFingerprint.Parameters()
        let early = AudioFingerprint(parameters: params, frames: 10, landmarks: [Landmark(hash: 1, time: -1)])
        let long = AudioFingerprint(parameters: params, frames: 5_000, landmarks: [Landmark(hash: 1, time: 4_999)])
        #expect(throws: HashmarkIndexError.self) { try AudioLandmarkIndex(recordings: [early]) }
        #expect(throws: HashmarkIndexError.self) {
            try AudioLandmarkIndex(parameters: params, tolerance: 1, shardFrames: 1_000) { [long] }
        }
        // A landmark beyond the stated length widens the recording's stretch instead.
        let late = AudioFingerprint(parameters: params, frames: 10, landmarks: [Landmark(hash: 1, time: 50)])
        let index = try AudioLandmarkIndex(recordings: [late, late])
        #expect(try index.query(late).map(\.recording) == [0, 1])
        for changed in [[Landmark(hash: 2, time: 0)], [Landmark(hash: 1, time: 0), Landmark(hash: 1, time: 1)], []] {
            var pass = 0
            #expect(throws: HashmarkIndexError.self) {
                try AudioLandmarkIndex(parameters: params, tolerance: 1, shardFrames: UInt64(UInt32.max)) { () -> [AudioFingerprint] in
                    pass += 1
                    return [AudioFingerprint(parameters: params, frames: 10,
                                             landmarks: pass == 1 ? [Landmark(hash: 1, time: 0)] : changed)]
                }
            }
        }
    }
}
