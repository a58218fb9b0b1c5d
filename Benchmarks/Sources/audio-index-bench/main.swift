// Lookup time of a 10 s query against an audio landmark index of N hours (issue #18: < 50 ms at
// 10,000 hours), exhaustive and through the candidate stage (`AudioCandidateStage`) on the same
// index in the same run, on synthetic recordings built from real anchor frames.
//
//     (cd Benchmarks && swift build -c release -Xswiftc -target-cpu -Xswiftc native)
//     Benchmarks/.build/release/audio-index-bench [--hours 10,100,1000] [--queries 20]
//         [--exhaustive-up-to HOURS] [--keep SHARES] [--rare K] [--rare-budget N,...] [--rare-share S]
//         [--rare-candidates K] [--confirm N,...] [--confirm-share S] [--rare-bucket F,...]
//         [--ranks] [--stats] [CLIPS...]
//
// Anchor frames: every frame of the given recordings (default: Corpus/audio/*.flac) that holds
// landmarks, fingerprinted as the engine does. Each synthetic 4-minute recording places, at the
// real rate of anchor frames, the landmarks of a random real anchor frame (its frequency ratios
// and time gaps together, as music pairs them: what the combined keys hash) under an anchor cell
// drawn from the real ones. The program prints how often keys of two different recordings agree,
// for the real recordings and for the synthetic ones: the cost of a query grows with it. A query
// is a 10 s stretch of one stored recording with half its landmarks dropped and as many unrelated
// ones added (a noisy copy; `--keep 0.5,0.04`: also a round with 96 % dropped and replaced by
// unrelated ones, about what a work buried under louder music keeps), then as many more unrelated landmarks, on more anchor frames, as the
// engine's denser and wider submission (`AudioRule.query`) takes on the real recordings beyond
// their stored landmarks; it must rank its recording first. `--stats`: the real figures only.
import Foundation
import HashmarkEngine
import HashmarkFingerprint
@_spi(Testing) import HashmarkIndex
import HashmarkMedia

func arg(_ name: String, _ fallback: String) -> String {
    let a = CommandLine.arguments
    if let i = a.firstIndex(of: name), i + 1 < a.count { return a[i + 1] }
    return fallback
}

struct Rng {
    var s: UInt64
    mutating func next() -> UInt64 {
        s &+= 0x9E37_79B9_7F4A_7C15
        var z = s
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / 9_007_199_254_740_992 }
}

let hours = arg("--hours", "10,100,1000").split(separator: ",").compactMap { Double($0) }
let queries = Int(arg("--queries", "20")) ?? 20
/// Shares of the stored landmarks a query keeps, one round of queries each: 0.5 a noisy copy, 0.04
/// about what a work buried under louder music keeps (~29 of the ~720 landmarks of 10 s).
let keepShares = arg("--keep", "0.5").split(separator: ",").compactMap { Double($0) }
nonisolated(unsafe) var keepShare = 0.5
/// `--speeds 25`: the engine's sweep (0.94…1.06 in steps of 0.005); 1: speed 1 only.
let speeds: [Double] = arg("--speeds", "25") == "1" ? [1] : (-12...12).map { 1 + Double($0) * 0.005 }
var clips = Array(CommandLine.arguments.dropFirst().filter { $0.hasSuffix(".flac") || $0.hasSuffix(".wav") })
if clips.isEmpty {
    let dir = "Corpus/audio"
    clips = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".flac") }.sorted()
        .map { dir + "/" + $0 }
}
var bag: [UInt32] = []
var frames = 0
var realGroups: [[UInt32]] = []
var realCombined: [UInt32] = []
/// Per recording, its pair hashes and combined keys (for the cross-recording collision rate).
var perRecording: [(pairs: [UInt32], combined: [UInt32])] = []
/// Landmarks and anchor frames of the real recordings taken as a submission (`AudioRule.query`).
var queryLandmarks = 0, queryFrames = 0
let combiner = LandmarkCombiner()
for path in clips {
    guard let data = FileManager.default.contents(atPath: path),
          let audio = try? AudioDecoder.decode(Array(data), limits: AudioLimits(targetRate: 11_025)) else { continue }
    let f = AudioFingerprint(samples: audio.samples)
    let q = AudioFingerprint(samples: audio.samples, query: AudioRule.default.query).landmarks
    queryLandmarks += q.count
    queryFrames += Set(q.map(\.time)).count
    bag += f.landmarks.map(\.hash)
    frames += f.frames
    let c = combiner.combined(f.landmarks).map(\.hash)
    realCombined += c
    perRecording.append((f.landmarks.map(\.hash), c))
    var i = 0
    while i < f.landmarks.count {
        var j = i + 1
        while j < f.landmarks.count, f.landmarks[j].time == f.landmarks[i].time { j += 1 }
        realGroups.append(f.landmarks[i..<j].map(\.hash))
        i = j
    }
}
/// Σ c(c − 1) / (N (N − 1)): an unbiased estimate of the chance that two keys drawn at random agree.
func collisionEstimate(_ keys: [UInt32]) -> Double {
    var counts: [UInt32: Int] = [:]
    for k in keys { counts[k, default: 0] += 1 }
    let n = Double(keys.count)
    return counts.values.reduce(0.0) { $0 + Double($1) * Double($1 - 1) } / (n * (n - 1))
}
guard !bag.isEmpty else { fatalError("no recordings to draw hashes from (run from the repository root)") }
let perFrame = Double(bag.count) / Double(frames)
let spf = AudioFingerprint.Parameters().layout.secondsPerFrame
print("hash bag: \(bag.count) landmarks from \(clips.count) recordings, \(Set(bag).count) distinct hashes, "
      + String(format: "%.1f landmarks/s", perFrame / spf))
print(String(format: "real recordings: pair hashes Σp² %.3g (1/%.0f); %.1f anchor frames/s, %.2f landmarks each; "
             + "combined keys (reach %d, %d bits) %.1f/s, Σp² %.3g (1/%.0f)",
             collisionEstimate(bag), 1 / collisionEstimate(bag), Double(realGroups.count) / (Double(frames) * spf),
             Double(bag.count) / Double(realGroups.count), combiner.reach, combiner.keyBits,
             Double(realCombined.count) / (Double(frames) * spf), collisionEstimate(realCombined), 1 / collisionEstimate(realCombined)))
/// The chance that a key of one recording equals a key of another (what a query meets in a
/// catalogue of other recordings): Σ_k (C_k² − Σ_r c_rk²) / (N² − Σ_r N_r²).
func crossCollision(_ keys: [[UInt32]]) -> Double {
    var total: [UInt32: Double] = [:], own = 0.0, n = 0.0, ownN = 0.0
    for r in keys {
        var c: [UInt32: Double] = [:]
        for k in r { c[k, default: 0] += 1 }
        for (k, v) in c { total[k, default: 0] += v; own += v * v }
        n += Double(r.count); ownN += Double(r.count) * Double(r.count)
    }
    return (total.values.reduce(0.0) { $0 + $1 * $1 } - own) / (n * n - ownN)
}
let crossPairs = crossCollision(perRecording.map(\.pairs)), crossCombined = crossCollision(perRecording.map(\.combined))
print(String(format: "across recordings: pair hashes %.3g (1/%.0f), combined keys %.3g (1/%.0f)",
             crossPairs, 1 / crossPairs, crossCombined, 1 / crossCombined))
/// A submission's anchor frames and landmarks per frame against a stored recording's.
let queryFrameRatio = Double(queryFrames) / Double(realGroups.count)
let queryPerFrameRatio = Double(queryLandmarks) / Double(queryFrames) / (Double(bag.count) / Double(realGroups.count))
print(String(format: "as a submission (fan-out %d, %d peaks per window): %.2f× the anchor frames, %.2f× the landmarks on each",
             AudioRule.default.queryFanOut, AudioRule.default.queryPeaksPerWindow, queryFrameRatio, queryPerFrameRatio))
if CommandLine.arguments.contains("--stats") { exit(0) }

let recordingFrames = Int(240 / spf)
let groupsPerFrame = Double(realGroups.count) / Double(frames)
/// Recording `r`'s landmarks: on each frame, with the real chance of an anchor frame, one real
/// anchor frame's landmarks (drawn from the bag: their frequency ratios and time gaps together, as
/// music pairs them) under one anchor cell drawn from the real ones; the same for the same `r`, so
/// the build's two passes see the same recordings.
@MainActor func recording(_ r: Int) -> [Landmark] {
    var rng = Rng(s: 42 &+ UInt64(r) &* 0x2545_F491_4F6C_DD1D)
    var l: [Landmark] = []
    l.reserveCapacity(Int(Double(recordingFrames) * perFrame * 1.2) + 16)
    for t in 0..<recordingFrames where rng.unit() < groupsPerFrame {
        let anchor = bag[rng.below(bag.count)] & 0x7C000
        for h in realGroups[rng.below(realGroups.count)] { l.append(Landmark(hash: anchor | h & 0x3FFF, time: Int32(t))) }
    }
    return l
}
/// A 10 s query from stored recording `r`: half its landmarks dropped, as many unrelated ones
/// added (a noisy copy); then, as the engine's denser, wider submission (`AudioRule.query`) does on
/// the real recordings, each anchor frame's landmarks multiplied by `queryPerFrameRatio` with
/// unrelated ones and `queryFrameRatio − 1` more anchor frames of unrelated landmarks.
@MainActor func noisyQuery(_ stored: [Landmark], _ rng: inout Rng) -> AudioFingerprint {
    let start = Int32(rng.below(recordingFrames - 431))
    var l = stored.filter { $0.time >= start && $0.time < start + 431 && (keepShare == 0.5 ? rng.below(2) == 0 : rng.unit() < keepShare) }
        .map { Landmark(hash: $0.hash, time: $0.time - start) }
    let stretch = stored.reduce(0) { $0 + ($1.time >= start && $1.time < start + 431 ? 1 : 0) }
    l += (0..<(keepShare == 0.5 ? l.count : stretch - l.count)).map { _ in Landmark(hash: bag[rng.below(bag.count)], time: Int32(rng.below(431))) }
    l.sort { $0.time < $1.time }
    var query: [Landmark] = [], i = 0, anchorFrames = 0
    func unrelated(_ n: Double, at t: Int32, _ rng: inout Rng) -> [Landmark] {
        let k = Int(n) + (rng.unit() < n - n.rounded(.down) ? 1 : 0)
        return (0..<k).map { _ in Landmark(hash: bag[rng.below(bag.count)], time: t) }
    }
    while i < l.count {
        var j = i
        while j < l.count, l[j].time == l[i].time { j += 1 }
        query += l[i..<j]
        query += unrelated(Double(j - i) * (queryPerFrameRatio - 1), at: l[i].time, &rng)
        anchorFrames += 1
        i = j
    }
    let perAnchor = Double(query.count) / Double(max(1, anchorFrames))
    for _ in 0..<Int((Double(anchorFrames) * (queryFrameRatio - 1)).rounded()) {
        query += unrelated(perAnchor, at: Int32(rng.below(431)), &rng)
    }
    query.sort { $0.time < $1.time }
    return AudioFingerprint(parameters: .init(), frames: 431, landmarks: query)
}
do {
    let sample = (0..<244).map { recording($0) }
    let pairs = crossCollision(sample.map { $0.map(\.hash) }), combined = crossCollision(sample.map { combiner.combined($0).map(\.hash) })
    print(String(format: "synthetic recordings (244 of them), across recordings: pair hashes %.3g (1/%.0f), combined keys %.3g (1/%.0f)",
                 pairs, 1 / pairs, combined, 1 / combined))
}
/// `--rare K`, `--rare-budget N,M,…`, `--rare-share S`, `--rare-candidates K`, `--confirm N,M,…`,
/// `--confirm-share S`, `--rare-bucket F,G,…`: the rarest-pair source's shortlist, budget, share,
/// candidates, confirming budget and share, and bucket (default: the engine's); every further
/// combination of budget, confirming budget and bucket is measured on the same index too.
let engine = AudioCandidateStage()
let rareBudgets = arg("--rare-budget", "").split(separator: ",").compactMap { Int($0) }
let confirmBudgets = arg("--confirm", "").split(separator: ",").compactMap { Int($0) }
let rareBuckets = arg("--rare-bucket", "\(engine.rareBucket)").split(separator: ",").compactMap { Int($0) }
func rareStage(budget: Int, confirm: Int, bucket: Int, shortlist: Int? = nil) -> AudioCandidateStage {
    AudioCandidateStage(combiner: combiner, rareShortlist: shortlist ?? Int(arg("--rare", "")) ?? engine.rareShortlist,
                        rareBudget: budget, rareShare: Double(arg("--rare-share", "")) ?? engine.rareShare,
                        rareCandidates: Int(arg("--rare-candidates", "")) ?? engine.rareCandidates, confirmBudget: confirm,
                        confirmShare: Double(arg("--confirm-share", "")) ?? engine.confirmShare, rareBucket: bucket)
}
let variants = (rareBudgets.isEmpty ? [engine.rareBudget] : rareBudgets).flatMap { b in
    (confirmBudgets.isEmpty ? [engine.confirmBudget] : confirmBudgets).flatMap { c in rareBuckets.map { (budget: b, confirm: c, bucket: $0) } }
}
let stage = rareStage(budget: variants[0].budget, confirm: variants[0].confirm, bucket: variants[0].bucket)
/// The stage with each further combination.
let otherVariants = variants.dropFirst().map { v in
    (budget: v.budget, confirm: v.confirm, bucket: v.bucket, stage: rareStage(budget: v.budget, confirm: v.confirm, bucket: v.bucket))
}
/// The stage without its rarest-pair source, on the same index, for comparison.
let combinedOnly = AudioCandidateStage(combiner: combiner, rareShortlist: 0)
/// The stage on one thread (the rarest-pair source after the combined keys' alignments).
var oneThreadStage = stage
oneThreadStage.concurrent = false
/// `--ranks`: where the query's recording ranks among the rarest-pair source's bounds (a
/// diagnostic: the source aligns its first `--rare`).
let ranks = CommandLine.arguments.contains("--ranks")
let exhaustiveUpTo = Double(arg("--exhaustive-up-to", "10000")) ?? 10_000
func median(_ t: [Double]) -> Double { t.sorted()[t.count / 2] }
for h in hours {
    var rng = Rng(s: 7)
    let count = max(1, Int(h * 3600 / 240))
    var t0 = Date()
    let index = try AudioLandmarkIndex(candidateStage: stage, recordings: {
        (0..<count).lazy.map { AudioFingerprint(parameters: .init(), frames: recordingFrames, landmarks: recording($0)) }
    })
    let build = Date().timeIntervalSince(t0)
    // The recordings the queries come from, spread over the index (ties between bounds go to the
    // lower recording, so queries from the first ones only would win every tie).
    let sources = (0..<min(count, 64)).map { $0 * (count / min(count, 64)) }
    let stored = sources.map { recording($0) }
    let minVotes = AudioRule.default.searchFloor, boundFloor = AudioRule.default.nearMissFloor   // as the engine
    let settled = max(AudioRule.default.minAlignedHashes, AudioRule.default.minDistinctHashes)
    let plain = index.replacingStage(combinedOnly)!, oneThread = index.replacingStage(oneThreadStage)!
    let budgeted = otherVariants.map { index.replacingStage($0.stage)! }
    for share in keepShares {
        keepShare = share
        rng = Rng(s: 7)
        var exact: [Double] = [], staged: [Double] = [], plainStaged: [Double] = [], oneThreadStaged: [Double] = []
        var exactTop = 0, stagedTop = 0, agree = 0, plainTop = 0, oneThreadTop = 0, rareRanks = [[Int]](repeating: [], count: 1 + otherVariants.count)
        var walkTimes = rareRanks.map { _ in [Double]() }
        var budgetedTimes = budgeted.map { _ in [Double]() }, budgetedTop = budgeted.map { _ in 0 }
        for q in 0..<queries {
            let fp = noisyQuery(stored[q % stored.count], &rng), r = sources[q % stored.count]
            if ranks {
                for (i, v) in variants.enumerated() {
                    let list = index.rareShortlist(fp, stage: rareStage(budget: v.budget, confirm: v.confirm, bucket: v.bucket, shortlist: 1_000), speeds: speeds)
                    rareRanks[i].append(list.firstIndex { $0.recording == r }.map { $0 + 1 } ?? 1_001)
                    let t = Date()
                    _ = index.rareShortlist(fp, stage: rareStage(budget: v.budget, confirm: v.confirm, bucket: v.bucket), speeds: speeds)
                    walkTimes[i].append(Date().timeIntervalSince(t) * 1000)
                }
            }
            var want: [AudioMatch] = []
            if h <= exhaustiveUpTo {
                t0 = Date()
                want = try index.query(fp, limit: 5, speeds: speeds, minVotes: minVotes, boundFloor: boundFloor, exhaustive: true)
                exact.append(Date().timeIntervalSince(t0) * 1000)
                if want.first?.recording == r { exactTop += 1 }
            }
            // The stages take turns at going first (the later ones find the query's postings cached).
            for turn in [0, 1, 2].map({ ($0 + q) % 3 }) {
                t0 = Date()
                let got = try [index, plain, oneThread][turn].query(fp, limit: 5, speeds: speeds, minVotes: minVotes,
                                                                     boundFloor: boundFloor, settled: settled)
                let ms = Date().timeIntervalSince(t0) * 1000
                if turn == 0 {
                    staged.append(ms)
                    if got.first?.recording == r { stagedTop += 1 }
                    if got.first == want.first { agree += 1 }
                } else if turn == 1 {
                    plainStaged.append(ms)
                    if got.first?.recording == r { plainTop += 1 }
                } else {
                    oneThreadStaged.append(ms)
                    if got.first?.recording == r { oneThreadTop += 1 }
                }
            }
            for (i, other) in budgeted.enumerated() {
                t0 = Date()
                let got = try other.query(fp, limit: 5, speeds: speeds, minVotes: minVotes, boundFloor: boundFloor, settled: settled)
                budgetedTimes[i].append(Date().timeIntervalSince(t0) * 1000)
                if got.first?.recording == r { budgetedTop[i] += 1 }
            }
        }
        let exactText = exact.isEmpty ? "not run" : String(format: "median %.1f ms, max %.1f ms, top-1 %d/%d", median(exact), exact.max()!, exactTop, queries)
        print(String(format: "%6.0f h, %d speeds: %d recordings, %ld landmarks (%.2f GB) + %ld combined keys (%.2f GB), built in %.1f s; "
                     + "10 s query keeping %.0f %% of its landmarks: exhaustive %@; candidate stage median %.1f ms, max %.1f ms, top-1 %d/%d, same best match as exhaustive %d/%d",
                     h, speeds.count, count, index.landmarkCount, Double(index.landmarkCount) * 4 / 1e9, index.candidateKeyCount,
                     Double(index.candidateKeyCount) * 4 / 1e9, build, share * 100, exactText, median(staged), staged.max() ?? 0, stagedTop, queries,
                     agree, exact.isEmpty ? 0 : queries))
        print(String(format: "        on one thread: median %.1f ms, max %.1f ms, top-1 %d/%d",
                     median(oneThreadStaged), oneThreadStaged.max() ?? 0, oneThreadTop, queries))
        print(String(format: "        without the rarest-pair source: median %.1f ms, max %.1f ms, top-1 %d/%d",
                     median(plainStaged), plainStaged.max() ?? 0, plainTop, queries))
        for (i, list) in rareRanks.enumerated() where ranks {
            print("        the query's recording among the rarest-pair scores (budget \(variants[i].budget), confirming \(variants[i].confirm), buckets of \(variants[i].bucket)): ranks "
                  + list.sorted().map(String.init).joined(separator: " ") + " (1,001: below the 1,000th); "
                  + String(format: "the walk alone (shortlist %d) median %.1f ms, max %.1f ms", stage.rareShortlist, median(walkTimes[i]),
                           walkTimes[i].max() ?? 0))
        }
        for (i, more) in otherVariants.enumerated() {
            print(String(format: "        rare-pair budget %d, confirming %d, buckets of %d: median %.1f ms, max %.1f ms, top-1 %d/%d", more.budget, more.confirm, more.bucket,
                         median(budgetedTimes[i]), budgetedTimes[i].max() ?? 0, budgetedTop[i], queries))
        }
    }
}
