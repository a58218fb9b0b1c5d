import HashmarkFingerprint
import HashmarkTestSupport
import Testing
@_spi(Testing) import HashmarkIndex

/// The inverted index's offset voting against a brute-force oracle that compares every query
/// landmark with every stored landmark and tries every offset.
@Suite("AudioIndexOracle")
struct AudioIndexOracleTests {
    /// Votes of recording `stored` for `query` at every integer offset; the best (most votes,
    /// smallest offset), its vote count and the anchor ranges of its aligned pairs.
    static func oracle(_ query: [Landmark], _ stored: [Landmark], recording: Int, tolerance: Int,
                       secondsPerFrame: Double) -> AudioMatch? {
        var pairs: [(q: Int, s: Int)] = []
        for a in query { for b in stored where a.hash == b.hash { pairs.append((Int(a.time), Int(b.time))) } }
        guard let lo = pairs.map({ $0.s - $0.q }).min(), let hi = pairs.map({ $0.s - $0.q }).max() else { return nil }
        var best: (o: Int, votes: Int) = (0, 0)
        for o in (lo - tolerance)...(hi + tolerance) {
            let v = pairs.filter { abs($0.s - $0.q - o) <= tolerance }.count
            if v > best.votes { best = (o, v) }
        }
        let aligned = pairs.filter { abs($0.s - $0.q - best.o) <= tolerance }
        guard let q0 = aligned.map(\.q).min(), let q1 = aligned.map(\.q).max(),
              let s0 = aligned.map(\.s).min(), let s1 = aligned.map(\.s).max() else { return nil }
        return AudioMatch(recording: recording, offsetFrames: best.o, votes: best.votes, queryFrames: q0...q1,
                          recordingFrames: s0...s1, secondsPerFrame: secondsPerFrame)
    }

    static func oracleRanking(_ query: [Landmark], _ stored: [[Landmark]], tolerance: Int, spf: Double) -> [AudioMatch] {
        stored.enumerated().compactMap { oracle(query, $0.element, recording: $0.offset, tolerance: tolerance, secondsPerFrame: spf) }
            .sorted { $0.votes != $1.votes ? $0.votes > $1.votes : $0.recording < $1.recording }
    }

    @Test(arguments: [0, 1, 2])
    func randomLandmarksEqualTheOracle(tolerance: Int) throws {
        var rng = TestRandom(seed: 181 + UInt64(tolerance))
        let params = AudioFingerprint.Parameters()
        // A small hash space so that hashes collide and votes pile up on many offsets.
        func random(_ n: Int, frames: Int) -> [Landmark] {
            (0..<n).map { _ in Landmark(hash: UInt32.random(in: 0..<40, using: &rng), time: Int32.random(in: 0..<Int32(frames), using: &rng)) }
                .sorted { $0.time < $1.time }
        }
        var index = AudioLandmarkIndex(parameters: params, tolerance: tolerance)
        var stored: [[Landmark]] = []
        for _ in 0..<12 {
            let l = random(Int.random(in: 0...300, using: &rng), frames: 400)
            stored.append(l)
            try index.add(AudioFingerprint(parameters: params, frames: 400, landmarks: l))
        }
        for _ in 0..<10 {
            let q = random(Int.random(in: 0...80, using: &rng), frames: 150)
            let got = try index.query(AudioFingerprint(parameters: params, frames: 150, landmarks: q), limit: 100)
            let want = Self.oracleRanking(q, stored, tolerance: tolerance, spf: params.layout.secondsPerFrame)
            #expect(got == want, "tolerance \(tolerance), \(rng.replay)")
        }
    }

    @Test func synthesisedMixEqualsTheOracle() throws {
        let song = AudioSynth.recording(seed: 1, seconds: 12)
        let other = AudioSynth.recording(seed: 2, seconds: 12)
        var mix = AudioSynth.recording(seed: 3, seconds: 30).map { $0 * 0.3 }
        let at = Int(9.7 * AudioSynth.rate)
        for i in song.indices where at + i < mix.count { mix[at + i] += song[i] }
        let fps = [song, other].map { AudioFingerprint(samples: $0) }
        var index = AudioLandmarkIndex(tolerance: 1)
        for f in fps { try index.add(f) }
        let q = AudioFingerprint(samples: mix)
        let got = try index.query(q, limit: 10)
        let want = Self.oracleRanking(q.landmarks, fps.map(\.landmarks), tolerance: 1, spf: index.parameters.layout.secondsPerFrame)
        #expect(got == want)
        #expect(got.first?.recording == 0)
    }

    /// The speed sweep with the bound's pruning: equal to the oracle run at every speed on scaled
    /// query times, best speed per recording (ties: nearest 1, then earlier in the list), at
    /// least `minVotes`, best `limit` first.
    @Test(arguments: [(1, 1), (3, 4), (20, 1)])
    func speedSweepEqualsTheOracle(limit: Int, minVotes: Int) throws {
        var rng = TestRandom(seed: 977 + UInt64(limit))
        let params = AudioFingerprint.Parameters(), spf = params.layout.secondsPerFrame
        let speeds = [1.0, 0.95, 1.05, 0.98, 1.02]
        var index = AudioLandmarkIndex(parameters: params, tolerance: 1)
        var stored: [[Landmark]] = []
        for _ in 0..<15 {
            let l = (0..<Int.random(in: 50...400, using: &rng)).map { _ in
                Landmark(hash: UInt32.random(in: 0..<60, using: &rng), time: Int32.random(in: 0..<600, using: &rng))
            }.sorted { $0.time < $1.time }
            stored.append(l)
            try index.add(AudioFingerprint(parameters: params, frames: 600, landmarks: l))
        }
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

    @Test func refusesOtherParameters() throws {
        var p = AudioFingerprint.Parameters()
        p.hasher.fanOut = 3
        var index = AudioLandmarkIndex()
        let f = AudioFingerprint(parameters: p, frames: 1, landmarks: [])
        #expect(throws: HashmarkIndexError.self) { try index.add(f) }
        #expect(throws: HashmarkIndexError.self) { try index.query(f) }
        #expect(index.count == 0)
        #expect(try index.query(AudioFingerprint(parameters: .init(), frames: 1, landmarks: [])).isEmpty)
    }
}
