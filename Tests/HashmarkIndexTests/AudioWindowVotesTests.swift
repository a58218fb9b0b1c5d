import HashmarkFingerprint
import HashmarkTestSupport
import Testing
@_spi(Testing) import HashmarkIndex

/// The rarest-pair source's confirming votes (`AudioVoteTable.windowVotes`) against a brute-force
/// count, and what they change in its shortlist.
@Suite("AudioWindowVotes")
struct AudioWindowVotesTests {
    static let params = AudioFingerprint.Parameters()

    /// Random windows (empty ones, ones before the frame line, ones across two recordings, several
    /// on one recording) in one shard or in shards of 6 recordings: each window's count is the
    /// number of (query landmark, stored landmark of its recording) pairs with one hash whose
    /// offset on the frame line lies in it.
    @Test(arguments: [UInt64(UInt32.max), 2_400])
    func countsEqualTheBruteForceCount(shardFrames: UInt64) throws {
        var rng = TestRandom(seed: 733 + shardFrames % 7)
        let frames = 400
        func random(_ n: Int, frames: Int) -> [Landmark] {
            (0..<n).map { _ in Landmark(hash: UInt32.random(in: 0..<25, using: &rng), time: Int32.random(in: 0..<Int32(frames), using: &rng)) }
                .sorted { $0.time < $1.time }
        }
        let stored = (0..<40).map { _ in random(Int.random(in: 0...60, using: &rng), frames: frames) }
        let index = try AudioLandmarkIndex(parameters: Self.params, tolerance: 1, shardFrames: shardFrames) {
            stored.map { AudioFingerprint(parameters: Self.params, frames: frames, landmarks: $0) }
        }
        let perShard = Int(min(shardFrames, 1 << 40) / UInt64(frames))
        func base(_ r: Int) -> Int { (r % perShard) * frames }
        var counted = 0
        for round in 0..<10 {
            let q = random(Int.random(in: 1...50, using: &rng), frames: 150)
            let windows = (0..<300).map { _ -> (recording: Int, window: Range<Int>) in
                let r = Int.random(in: 0..<stored.count, using: &rng)
                let lo = base(r) + Int.random(in: -200...(frames + 50), using: &rng)
                return (r, lo..<(lo + Int.random(in: 0...80, using: &rng)))
            }
            let want = windows.map { w in
                q.reduce(0) { n, a in
                    n + stored[w.recording].filter { $0.hash == a.hash && w.window.contains(base(w.recording) + Int($0.time) - Int(a.time)) }.count
                }
            }
            let got = index.windowVotes(AudioFingerprint(parameters: Self.params, frames: 150, landmarks: q), windows: windows)
            #expect(got == want, "round \(round), \(rng.replay)")
            counted += want.reduce(0, +)
        }
        #expect(counted > 200, "the windows hold votes")
    }

    /// The chance floor leaves about `candidates` chance windows above it: random votes thrown
    /// into buckets put fewer than twice that many windows at the floor, and more than that many
    /// one below it.
    @Test(arguments: [(20_000, 1_000_000, 3, 50), (60_000, 1_000_000, 3, 200), (5_000, 200_000, 4, 10)])
    func theChanceFloorLeavesAboutTheCandidates(votes: Int, buckets: Int, span: Int, candidates: Int) {
        var rng = TestRandom(seed: 97 + UInt64(votes))
        var counts = [Int](repeating: 0, count: buckets)
        for _ in 0..<votes { counts[Int.random(in: 0..<buckets, using: &rng)] += 1 }
        var windows = [Int](repeating: 0, count: 16)   // windows by their votes
        var sum = counts[0..<span].reduce(0, +)
        for start in 0...(buckets - span) {
            if start > 0 { sum += counts[start + span - 1] - counts[start - 1] }
            windows[min(sum, 15)] += 1
        }
        func reaching(_ f: Int) -> Int { windows[f...].reduce(0, +) }
        let floor = AudioCandidateStage.chanceFloor(votes: votes, buckets: buckets, span: span, candidates: candidates, minBound: 2)
        #expect(floor > 2, "these catalogues need more than the least floor")
        #expect(reaching(floor) < 2 * candidates, "\(rng.replay)")
        #expect(reaching(floor - 1) > candidates, "\(rng.replay)")
        // A sparse walk keeps the least floor; no votes, too.
        #expect(AudioCandidateStage.chanceFloor(votes: 10, buckets: buckets, span: span, candidates: candidates, minBound: 2) == 2)
        #expect(AudioCandidateStage.chanceFloor(votes: 0, buckets: buckets, span: span, candidates: candidates, minBound: 3) == 3)
    }

    /// A chance window of three rare votes (recording 1) outranks a buried copy's two (recording
    /// 0) on the rarest hashes alone; the copy's votes of commoner hashes in its window put it first.
    @Test func confirmingVotesReorderTheShortlist() throws {
        let frames = 600
        // Hashes 1–5 are rare (one posting each), 100–111 common (in every recording).
        var copy = [Landmark(hash: 4, time: 110), Landmark(hash: 5, time: 150)]
        copy += (100..<112).map { Landmark(hash: UInt32($0), time: Int32(100 + 5 * ($0 - 100))) }
        let chance = [1, 2, 3].map { Landmark(hash: UInt32($0), time: Int32(300 + $0)) }
        let others = (2..<8).map { r in (100..<112).map { Landmark(hash: UInt32($0), time: Int32((r * 37 + $0 * 53) % frames)) } }
        let stored = [copy, chance + (100..<112).map { Landmark(hash: UInt32($0), time: Int32(($0 * 71) % frames)) }] + others
        let index = try AudioLandmarkIndex(parameters: Self.params, tolerance: 1, shardFrames: UInt64(UInt32.max)) {
            stored.map { AudioFingerprint(parameters: Self.params, frames: frames, landmarks: $0.sorted { $0.time < $1.time }) }
        }
        // The query: the copy's frames 100–160 as frames 0–60, with the chance window's rare hashes.
        let query = (copy.map { Landmark(hash: $0.hash, time: $0.time - 100) } + [1, 2, 3].map { Landmark(hash: UInt32($0), time: Int32(20 + $0)) })
            .sorted { $0.time < $1.time }
        let fp = AudioFingerprint(parameters: Self.params, frames: 61, landmarks: query)
        func first(confirm: Int) -> [(bound: Int, recording: Int)] {
            index.rareShortlist(fp, stage: AudioCandidateStage(minVotes: 2, rareShortlist: 2, rareBudget: 5, rareShare: 1,
                                                               rareCandidates: 10, confirmBudget: confirm, confirmShare: 1),
                                speeds: [1])
        }
        #expect(first(confirm: 0).map(\.recording) == [1, 0])
        #expect(first(confirm: 0).map(\.bound) == [3, 2])
        let confirmed = first(confirm: 1_000)
        #expect(confirmed.map(\.recording) == [0, 1])
        #expect(confirmed.first?.bound == 2 + 12, "the copy's twelve common votes in its window")
    }
}
