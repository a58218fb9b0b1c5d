import HashmarkFingerprint
import HashmarkTestSupport
import Testing
@_spi(Testing) import HashmarkIndex

/// The rarest-pair source's offset bounds (`AudioVoteTable.offsetBounds`) against a brute-force
/// count of every recording's votes on its shard's frame line, and against the best alignment
/// they bound.
@Suite("AudioOffsetBounds")
struct AudioOffsetBoundsTests {
    /// Every (chunk size, shortlist, floor, shard size, speeds): chunks of 2 and 8 buckets put
    /// chunk edges everywhere; shards of 2,500 frames hold 6 recordings each; 150 recordings
    /// bounded at least 1 or 2 exceed what a short shortlist collects before pruning; floors of
    /// 5 and 7 sum only the windows around buckets of 3 or 4 votes. A sweep's bounds count in
    /// buckets of 32 frames, the others in 16.
    @Test(arguments: [(1, 1_000, 1, UInt64(UInt32.max), false), (3, 1_000, 2, UInt64(UInt32.max), true),
                      (21, 1_000, 3, UInt64(UInt32.max), true), (1, 3, 2, UInt64(UInt32.max), true),
                      (3, 1, 1, 2_500, false), (21, 5, 2, 2_500, true), (1, 1_000, 5, UInt64(UInt32.max), true),
                      (2, 1_000, 7, 2_500, false)])
    func boundsEqualTheBruteForceCount(chunkBits: Int, capacity: Int, minBound: Int, shardFrames: UInt64, sweep: Bool) throws {
        var rng = TestRandom(seed: 611 + UInt64(chunkBits * capacity))
        let params = AudioFingerprint.Parameters(), frames = 400, tolerance = 1
        let speeds = sweep ? [0.9, 1, 1.1] : [1]
        func random(_ n: Int, frames: Int) -> [Landmark] {
            (0..<n).map { _ in Landmark(hash: UInt32.random(in: 0..<30, using: &rng), time: Int32.random(in: 0..<Int32(frames), using: &rng)) }
                .sorted { $0.time < $1.time }
        }
        let stored = (0..<150).map { _ in random(Int.random(in: 0...50, using: &rng), frames: frames) }
        let index = try AudioLandmarkIndex(parameters: params, tolerance: tolerance, shardFrames: shardFrames) {
            stored.map { AudioFingerprint(parameters: params, frames: frames, landmarks: $0) }
        }
        // Each recording's start on its shard's frame line (every recording takes `frames`).
        let perShard = Int(min(shardFrames, 1 << 40) / UInt64(frames))
        #expect(index.shardCount == (stored.count + perShard - 1) / perShard)
        // Buckets of 16 frames (a window spans 3) or 32 (2).
        let stage = AudioCandidateStage(minVotes: minBound, rareShortlist: capacity, rareBudget: .max, rareShare: 1,
                                        rareBucket: sweep ? 32 : 16)
        let shift = stage.rareBucket.trailingZeroBitCount
        for round in 0..<8 {
            let q = random(Int.random(in: 1...60, using: &rng), frames: 150)
            let fp = AudioFingerprint(parameters: params, frames: 150, landmarks: q)
            let maxTime = Int(q.map(\.time).max()!)
            let window = 2 * tolerance + 1 + Int((sweep ? 0.1 : 0) * Double(maxTime) + 1)
            let span = window / stage.rareBucket + 2
            var offers: [(bound: Int, recording: Int)] = []
            for shardStart in stride(from: 0, to: stored.count, by: perShard) {
                let members = shardStart..<min(stored.count, shardStart + perShard)
                let present = Set(members.flatMap { stored[$0].map(\.hash) })
                let latest = q.filter { present.contains($0.hash) }.map { Int($0.time) }.max() ?? 0
                var votes: [(recording: Int, bucket: Int)] = []
                for r in members {
                    for a in q { for b in stored[r] where a.hash == b.hash {
                        votes.append((r, ((r - shardStart) * frames + Int(b.time) - Int(a.time) + latest) >> shift))
                    } }
                }
                // A recording's bound: the most of its own votes in `span` consecutive buckets.
                var best: [Int: Int] = [:]
                for v in votes {
                    let b = ((v.bucket - span + 1)...v.bucket).map { x in
                        votes.filter { $0.recording == v.recording && $0.bucket >= x && $0.bucket < x + span }.count
                    }.max()!
                    best[v.recording] = max(best[v.recording, default: 0], b)
                }
                offers += best.filter { $0.value >= minBound }.map { (bound: $0.value, recording: $0.key) }
                    .sorted { ($1.bound, $0.recording) < ($0.bound, $1.recording) }.prefix(capacity)
            }
            let want = offers.sorted { ($1.bound, $0.recording) < ($0.bound, $1.recording) }.prefix(capacity)
            let got = index.rareShortlist(fp, stage: stage, speeds: speeds, chunkBits: chunkBits)
            #expect(got.map(\.recording) == want.map(\.recording), "round \(round), \(rng.replay)")
            #expect(got.map(\.bound) == want.map(\.bound), "round \(round)")
            // Each bound is at least the best alignment's votes at speed 1.
            for g in got {
                let m = AudioIndexOracleTests.oracle(q, stored[g.recording], recording: g.recording, tolerance: tolerance,
                                                     secondsPerFrame: params.layout.secondsPerFrame)
                #expect((m?.votes ?? 0) <= g.bound, "round \(round), recording \(g.recording)")
            }
            if capacity >= stored.count {
                for r in stored.indices where !got.contains(where: { $0.recording == r }) {
                    let m = AudioIndexOracleTests.oracle(q, stored[r], recording: r, tolerance: tolerance,
                                                         secondsPerFrame: params.layout.secondsPerFrame)
                    #expect((m?.votes ?? 0) < minBound, "round \(round): recording \(r) left out")
                }
            }
        }
    }

    /// The walk asks its `stop` once before each shard and once before each chunk, and ends at the
    /// first yes: a search nobody waits for any more costs at most one more chunk.
    @Test func aStoppedWalkEndsAtTheNextChunk() throws {
        var rng = TestRandom(seed: 67)
        let params = AudioFingerprint.Parameters(), frames = 400
        func random(_ n: Int, frames: Int) -> [Landmark] {
            (0..<n).map { _ in Landmark(hash: UInt32.random(in: 0..<30, using: &rng), time: Int32.random(in: 0..<Int32(frames), using: &rng)) }
                .sorted { $0.time < $1.time }
        }
        let stored = (0..<150).map { _ in random(40, frames: frames) }
        let index = try AudioLandmarkIndex(parameters: params, tolerance: 1) {
            stored.map { AudioFingerprint(parameters: params, frames: frames, landmarks: $0) }
        }
        #expect(index.shardCount == 1)
        let fp = AudioFingerprint(parameters: params, frames: 150, landmarks: random(40, frames: 150))
        let stage = AudioCandidateStage(minVotes: 1, rareShortlist: 1_000, rareBudget: .max, rareShare: 1, confirmBudget: 0,
                                        rareBucket: 16)
        // Chunks of 2 buckets of 16 frames over 60,000 frames: ~1,900 of them.
        var asked = 0
        let whole = index.rareShortlist(fp, stage: stage, speeds: [1], chunkBits: 1) { asked += 1; return false }
        #expect(asked > 1_800, "\(asked) questions")
        #expect(!whole.isEmpty)
        asked = 0
        let cut = index.rareShortlist(fp, stage: stage, speeds: [1], chunkBits: 1) { asked += 1; return asked > 3 }
        #expect(asked == 4, "the shard, two chunks, then the stop")
        #expect(cut.count < whole.count)
        asked = 0
        #expect(index.rareShortlist(fp, stage: stage, speeds: [1], chunkBits: 1) { asked += 1; return true }.isEmpty)
        #expect(asked == 1)
    }
}
