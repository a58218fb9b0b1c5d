import HashmarkFingerprint
import HashmarkTestSupport
import Testing
@_spi(Testing) import HashmarkIndex

/// The candidate stage of a large audio catalogue: combined keys are what `LandmarkCombiner`
/// says, the shortlist's alignments are exactly the exhaustive ones, and edited copies are still
/// found first.
@Suite("AudioCandidateStage")
struct AudioCandidateStageTests {
    static let params = AudioFingerprint.Parameters()

    /// Groups of 3, 1 and 2 landmarks on frames 4, 9 and 12.
    static let groups: [Landmark] = [(4, 10), (4, 11), (4, 12), (9, 20), (12, 30), (12, 31)]
        .map { Landmark(hash: UInt32($0.1), time: Int32($0.0)) }

    @Test func combinesLandmarksOfOneFrameWithTheirNextNeighbours() {
        let all = LandmarkCombiner(reach: 2, keyBits: 20, sampleBits: 0)
        let got = all.combined(Self.groups)
        let want: [(UInt32, UInt32, Int32)] = [(10, 11, 4), (10, 12, 4), (11, 12, 4), (30, 31, 12)]
        #expect(got == want.map { Landmark(hash: all.key($0.0, $0.1)!, time: $0.2) })
        #expect(LandmarkCombiner(reach: 1, keyBits: 20, sampleBits: 0).combined(Self.groups).count == 3)
        #expect(got.allSatisfy { $0.hash < 1 << 20 })
        #expect(all.key(10, 11) != all.key(11, 10), "ordered: the earlier target first")
    }

    /// Sampling keeps about 1 in 2^sampleBits combinations, the same ones on every call, with the
    /// same keys as the unsampled combiner.
    @Test func samplingKeepsAFixedShareWithUnchangedKeys() {
        var rng = TestRandom(seed: 5)
        let landmarks = (0..<4_000).map { i in Landmark(hash: UInt32.random(in: 0..<(1 << 19), using: &rng), time: Int32(i / 4)) }
        let every = LandmarkCombiner(reach: 2, keyBits: 25, sampleBits: 0).combined(landmarks)
        let half = LandmarkCombiner(reach: 2, keyBits: 25, sampleBits: 1).combined(landmarks)
        #expect(every.count == 1_000 * 5)
        #expect(Set(half).isSubset(of: Set(every)))
        #expect(half == LandmarkCombiner(reach: 2, keyBits: 25, sampleBits: 1).combined(landmarks))
        #expect(half.count > 2_200 && half.count < 2_800, "\(half.count) of 5,000")
    }

    /// The song (recording 0) among unrelated recordings, indexed with the stage, in one shard
    /// or several.
    static func index(shardFrames: UInt64 = UInt64(UInt32.max), stage: AudioCandidateStage = .init()) throws -> AudioLandmarkIndex {
        let fps = [AudioFingerprint(samples: AudioMatchTests.song)]
            + (20..<27).map { AudioFingerprint(samples: AudioSynth.recording(seed: UInt64($0), seconds: 20)) }
        return try AudioLandmarkIndex(parameters: params, tolerance: 1, shardFrames: shardFrames, candidateStage: stage) { fps }
    }

    /// Copies of the song: inside a longer mix, under noise, resampled by 1.03.
    static func copies() -> [(name: String, fingerprint: AudioFingerprint)] {
        let song = AudioMatchTests.song, rate = Int(AudioSynth.rate)
        var mix = AudioSynth.recording(seed: 30, seconds: 40).map { $0 * 0.5 }
        for (i, v) in song.enumerated() where 9 * rate + i < mix.count { mix[9 * rate + i] += v }
        return [("mix", AudioFingerprint(samples: mix)),
                ("noise", AudioFingerprint(samples: AudioSynth.noisy(Array(song[(4 * rate)..<(14 * rate)]), snr: 10, seed: 3))),
                ("resampled", AudioFingerprint(samples: AudioSynth.resample(song, by: 1.03)))]
    }

    @Test func copiesAreFoundFirstAsByTheExhaustiveSearch() throws {
        let index = try Self.index()
        #expect(index.candidateKeyCount > 0)
        let speeds = (-12...12).map { 1 + Double($0) * 0.005 }
        for (name, q) in Self.copies() {
            let staged = try index.query(q, limit: 5, speeds: speeds, minVotes: 5)
            let exhaustive = try index.query(q, limit: 100, speeds: speeds, minVotes: 5, exhaustive: true)
            #expect(staged.first?.recording == 0, "\(name): \(staged.map(\.recording))")
            #expect(staged.first == exhaustive.first, "\(name)")
            // Whatever the stage shortlists is aligned exactly as the exhaustive search aligns it.
            for m in staged { #expect(exhaustive.contains(m), "\(name): recording \(m.recording)") }
        }
    }

    @Test func severalShardsShortlistAsOne() throws {
        let one = try Self.index(), several = try Self.index(shardFrames: 2_000)
        #expect(several.shardCount > 2)
        for (name, q) in Self.copies() {
            #expect(try several.query(q, limit: 5, speeds: [1, 1.03], minVotes: 1)
                == one.query(q, limit: 5, speeds: [1, 1.03], minVotes: 1), "\(name)")
        }
    }

    /// A budget far below the query's postings keeps its rarest keys: the song still comes first,
    /// and a shortlist of one aligns nothing else.
    @Test func aSmallBudgetAndShortlistStillFindTheSong() throws {
        let index = try Self.index(stage: AudioCandidateStage(shortlist: 1, budget: 200, rareShortlist: 0))
        for (name, q) in Self.copies() {
            let got = try index.query(q, limit: 5, speeds: [1, 1.03], minVotes: 1)
            #expect(got.map(\.recording) == [0], "\(name): \(got.map(\.recording))")
        }
    }

    /// A copy that keeps one landmark per anchor frame has no combined keys at all (a work buried
    /// under louder music keeps few of both landmarks a key needs): only the rarest-pair source
    /// shortlists it, and then the stage aligns it as the exhaustive search does. A `settled`
    /// alignment from the combined keys skips that source.
    @Test func theRarestPairsShortlistACopyWithoutCombinedKeys() throws {
        let song = AudioFingerprint(samples: AudioMatchTests.song)
        var seen = Set<Int32>()
        let thin = AudioFingerprint(parameters: Self.params, frames: song.frames,
                                    landmarks: song.landmarks.filter { seen.insert($0.time).inserted })
        #expect(LandmarkCombiner().combined(thin.landmarks).isEmpty)
        let speeds: [Double] = [1, 1.03]
        let without = try Self.index(stage: AudioCandidateStage(rareShortlist: 0))
        #expect(try without.query(thin, limit: 5, speeds: speeds, minVotes: 5).isEmpty)
        let with = try Self.index(stage: AudioCandidateStage(rareShortlist: 2))
        let got = try with.query(thin, limit: 5, speeds: speeds, minVotes: 5)
        #expect(got.first?.recording == 0, "\(got.map(\.recording))")
        #expect(got.first == (try with.query(thin, limit: 5, speeds: speeds, minVotes: 5, exhaustive: true)).first)
        // A full copy settles the search by its combined keys; the thin one has nothing to settle it.
        let full = Self.copies()[1].fingerprint
        #expect(try with.query(full, limit: 5, speeds: speeds, minVotes: 5, settled: 1)
            == without.query(full, limit: 5, speeds: speeds, minVotes: 5))
        #expect(try with.query(thin, limit: 5, speeds: speeds, minVotes: 5, settled: 1) == got)
    }

    /// With the rarest-pair source on a second thread the stage finds exactly what it finds on one
    /// thread, whether the combined keys settle the query or not, in one shard or several.
    @Test func theConcurrentStageFindsWhatOneThreadFinds() throws {
        let song = AudioFingerprint(samples: AudioMatchTests.song)
        var seen = Set<Int32>()
        let thin = AudioFingerprint(parameters: Self.params, frames: song.frames,
                                    landmarks: song.landmarks.filter { seen.insert($0.time).inserted })
        let speeds: [Double] = [1, 1.03]
        for shardFrames in [UInt64(UInt32.max), 2_000] {
            let concurrent = try Self.index(shardFrames: shardFrames, stage: AudioCandidateStage(rareShortlist: 2))
            let one = try #require(concurrent.replacingStage(AudioCandidateStage(rareShortlist: 2, concurrent: false)))
            for (name, q) in Self.copies() + [("thin", thin)] {
                for settled in [1, nil] {
                    let got = try concurrent.query(q, limit: 5, speeds: speeds, minVotes: 5, settled: settled)
                    #expect(got.first?.recording == 0, "\(name), settled \(String(describing: settled))")
                    #expect(got == (try one.query(q, limit: 5, speeds: speeds, minVotes: 5, settled: settled)),
                            "\(name), settled \(String(describing: settled)), shard frames \(shardFrames)")
                }
            }
        }
    }

    /// The vote bound, by histogram (dense offsets) or by sorting (few offsets over a wide range),
    /// is the most offsets whose buckets lie within `span` consecutive ones, counted by brute force.
    @Test func theVoteBoundIsTheFullestRunOfBucketsDenseOrSparse() {
        var rng = TestRandom(seed: 43)
        var scratch: [Int32] = []
        for round in 0..<400 {
            let bound = AudioVoteBound(window: Int.random(in: 3...60, using: &rng))
            let count = Int.random(in: 1...60, using: &rng), range = Int32.random(in: 1...(round % 2 == 0 ? 200 : 20_000), using: &rng)
            let offsets = (0..<count).map { _ in Int32.random(in: -range...range, using: &rng) }
            let lo = offsets.min()!, buckets = Int(offsets.max()! - lo) / bound.bucket + 1
            let span = min(buckets, bound.window / bound.bucket + 2)
            let want = (0..<buckets).map { first in
                offsets.filter { let b = Int($0 - lo) / bound.bucket; return b >= first && b < first + span }.count
            }.max()!
            let got = offsets.withUnsafeBufferPointer { bound.bound($0, histogram: &scratch) }
            #expect(got == want, "round \(round) (\(count) offsets over \(buckets) buckets), \(rng.replay)")
        }
    }

    /// The shortlist kept on the fly is what sorting every offer (bound descending, recording
    /// ascending) and keeping the first `capacity` keeps, and its floor never rises above a
    /// bound that could still enter.
    @Test func theShortlistKeepsTheBestOffersAsSortingThemAll() {
        var rng = TestRandom(seed: 41)
        for round in 0..<300 {
            let capacity = Int.random(in: 1...12, using: &rng), minBound = Int.random(in: 1...4, using: &rng)
            let offers = (0..<Int.random(in: 0...80, using: &rng)).map { r in (bound: Int.random(in: 0...20, using: &rng), recording: r) }
            var list = AudioShortlist(capacity: capacity, minBound: minBound)
            for o in offers {
                let floor = list.floor
                let before = list.entries.map(\.recording)
                list.offer(bound: o.bound, recording: o.recording, shard: 0)
                if o.bound < floor { #expect(list.entries.map(\.recording) == before, "round \(round): below the floor") }
            }
            let want = offers.filter { $0.bound >= minBound }.sorted { ($1.bound, $0.recording) < ($0.bound, $1.recording) }.prefix(capacity)
            #expect(list.entries.map(\.recording) == want.map(\.recording), "round \(round), \(rng.replay)")
            #expect(list.entries.map(\.bound) == want.map(\.bound), "round \(round)")
        }
    }

    /// Without the stage nothing changes: no combined keys, every query exhaustive.
    @Test func anIndexWithoutTheStageIsExhaustive() throws {
        let fps = [AudioFingerprint(samples: AudioMatchTests.song)]
        let index = try AudioLandmarkIndex(recordings: fps)
        #expect(index.candidateStage == nil && index.candidateKeyCount == 0)
        let q = Self.copies()[0].fingerprint
        #expect(try index.query(q, limit: 5, speeds: [1]) == index.query(q, limit: 5, speeds: [1], exhaustive: true))
    }
}
