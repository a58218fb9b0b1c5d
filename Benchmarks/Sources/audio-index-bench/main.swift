// Lookup time of a 10 s query against an audio landmark index of N hours (issue #18: < 50 ms at
// 10,000 hours), on synthetic recordings whose landmark hashes are drawn from real ones.
//
//     (cd Benchmarks && swift build -c release -Xswiftc -target-cpu -Xswiftc native)
//     Benchmarks/.build/release/audio-index-bench [--hours 10,100,1000] [--queries 20] [CLIPS...]
//
// Hashes: every landmark of the given recordings (default: Corpus/audio/*.flac), fingerprinted as
// the engine does; each synthetic 4-minute recording draws the three parts of each hash (anchor
// cell, frequency-ratio cell, time-gap cell) independently from those landmarks' parts (so common
// cells are as common as in real music, while a large catalogue's many distinct combinations are
// not limited to the few thousand the sample recordings happen to hold), at the real density
// (landmarks per frame). A query is a
// 10 s stretch of one stored recording with half its landmarks dropped and as many unrelated ones
// added (a noisy copy); it must rank its recording first.
import Foundation
import HashmarkFingerprint
import HashmarkIndex
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
}

let hours = arg("--hours", "10,100,1000").split(separator: ",").compactMap { Double($0) }
let queries = Int(arg("--queries", "20")) ?? 20
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
for path in clips {
    guard let data = FileManager.default.contents(atPath: path),
          let audio = try? AudioDecoder.decode(Array(data), limits: AudioLimits(targetRate: 11_025)) else { continue }
    let f = AudioFingerprint(samples: audio.samples)
    bag += f.landmarks.map(\.hash)
    frames += f.frames
}
guard !bag.isEmpty else { fatalError("no recordings to draw hashes from (run from the repository root)") }
let perFrame = Double(bag.count) / Double(frames)
/// A hash whose anchor, ratio and gap cells come from three independent draws from the bag.
@MainActor func drawHash(_ rng: inout Rng) -> UInt32 {
    let a = bag[rng.below(bag.count)] & 0x7C000, r = bag[rng.below(bag.count)] & 0x3FC0, d = bag[rng.below(bag.count)] & 0x3F
    return a | r | d
}
let spf = AudioFingerprint.Parameters().layout.secondsPerFrame
/// Σ p(h)² of the synthetic hash model (a product of the three cells' marginals): a random query
/// landmark meets this fraction of the index's landmarks.
let collision: Double = [0x7C000, 0x3FC0, 0x3F].map { (mask: UInt32) -> Double in
    var counts: [UInt32: Int] = [:]
    for h in bag { counts[h & mask, default: 0] += 1 }
    return counts.values.reduce(0.0) { $0 + pow(Double($1) / Double(bag.count), 2) }
}.reduce(1, *)
print(String(format: "hash collision rate Σp² = %.3g (effective distinct hashes %.0f)", collision, 1 / collision))
print("hash bag: \(bag.count) landmarks from \(clips.count) recordings, \(Set(bag).count) distinct hashes, "
      + String(format: "%.1f landmarks/s", perFrame / spf))

let recordingFrames = Int(240 / spf)
/// Recording `r`'s landmarks: on each frame `⌊perFrame⌋` or one more (at the real density), each
/// with a drawn hash; the same for the same `r`, so the build's two passes see the same recordings.
@MainActor func recording(_ r: Int) -> [Landmark] {
    var rng = Rng(s: 42 &+ UInt64(r) &* 0x2545_F491_4F6C_DD1D)
    let whole = Int(perFrame), extra = perFrame - Double(whole)
    var l: [Landmark] = []
    l.reserveCapacity(Int(Double(recordingFrames) * perFrame) + 16)
    for t in 0..<recordingFrames {
        let n = whole + (Double(rng.next() >> 11) / 9_007_199_254_740_992 < extra ? 1 : 0)
        for _ in 0..<n { l.append(Landmark(hash: drawHash(&rng), time: Int32(t))) }
    }
    return l
}
for h in hours {
    var rng = Rng(s: 7)
    let count = max(1, Int(h * 3600 / 240))
    var t0 = Date()
    let index = try AudioLandmarkIndex(recordings: {
        (0..<count).lazy.map { AudioFingerprint(parameters: .init(), frames: recordingFrames, landmarks: recording($0)) }
    })
    let build = Date().timeIntervalSince(t0)
    let keep = min(count, 64)   // recordings the queries come from
    let stored = (0..<keep).map { recording($0) }
    var times: [Double] = []
    var correct = 0
    for q in 0..<queries {
        let r = q % stored.count
        let start = Int32(rng.below(recordingFrames - 431))
        var l = stored[r].filter { $0.time >= start && $0.time < start + 431 && rng.below(2) == 0 }
            .map { Landmark(hash: $0.hash, time: $0.time - start) }
        l += (0..<l.count).map { _ in Landmark(hash: drawHash(&rng), time: Int32(rng.below(431))) }
        l.sort { $0.time < $1.time }
        let fp = AudioFingerprint(parameters: .init(), frames: 431, landmarks: l)
        t0 = Date()
        let found = try index.query(fp, limit: 5, speeds: speeds, minVotes: 15)  // as the engine: half of 30
        times.append(Date().timeIntervalSince(t0) * 1000)
        if found.first?.recording == r { correct += 1 }
    }
    times.sort()
    print(String(format: "%6.0f h, %d speeds: %d recordings, %ld landmarks (%.2f GB at 4 B), built in %.1f s; 10 s query: median %.1f ms, max %.1f ms; top-1 %d/%d",
                 h, speeds.count, count, index.landmarkCount, Double(index.landmarkCount) * 4 / 1e9, build, times[times.count / 2],
                 times.last ?? 0, correct, queries))
}
