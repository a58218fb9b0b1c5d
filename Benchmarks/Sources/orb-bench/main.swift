// orb-bench: hashmark's local features (ORB-style extractor, shortlist, RANSAC verification) on the
// geometric family of the standard transform suite. `orb_bench.py` drives it and runs OpenCV's ORB on
// the very same decoded pixels (the PPM files written here) in the same invocation.
//
//   orb-bench run   --works LIST --negatives LIST --out DIR [--seed N] [--min-votes 8]
//                   [--max-candidates 8] [--min-inliers 20]
//       Registers the works, writes every work and every query (geometric cases of works = positives,
//       of the held-out negatives = negatives) as binary PPM into DIR, extracts, shortlists, verifies.
//       Prints one JSON object.
//   orb-bench scale --works LIST --pool LIST --sizes 10000,100000 [--queries 30] [--seed N]
//                   [--min-votes 3] [--max-candidates 8] [--tables 8] [--key-bits 22]
//                   [--max-distance 64] [--ratio 0.8] [--max-bucket 512]
//       Query time against synthetic corpora: the real works plus synthetic works whose descriptor
//       sets are resampled from the real descriptors of a disjoint pool of images (see ORB.md).
//
//   orb-bench extract --works LIST --out DIR [--repeat 5]
//       Extraction time only: writes each image as PPM into DIR, then extracts every image `repeat`
//       times (after one warm-up), without and with mirrored descriptors. Prints one JSON object.
//
//   orb-bench serve --works LIST --out DIR
//       Extraction time on request, for timings interleaved image by image with another process:
//       writes each image as PPM into DIR and prints one JSON line listing them; then, for each line
//       `i` read from stdin, extracts image i once without and once with mirrored descriptors and
//       prints one JSON line with both times. The process stays warm between requests.
//
//   orb-bench digest --works LIST
//       A 64-bit FNV-1a digest of each image's features (keypoints, descriptors, mirrored
//       descriptors) and of all of them: a speed-up of the extractor that claims the same output
//       must print the same digests before and after.
//
//   orb-bench pairs --images LIST [--report 8]
//       False-positive check on unrelated images: every unordered pair verified with LocalMatcher;
//       prints the pairs with at least `report` inliers and the maximum.
//
// LIST files hold one image path per line. For experiments, the environment overrides the
// extractor's defaults: HM_SPREAD (contrastSpread), HM_MINGAIN, HM_MAXGAIN, HM_MINFAST
// (minFastThreshold), HM_LEVELS; HM_SPREAD=0 HM_MINFAST=5 is the v1 extractor (ORB.md). One thread throughout.

import Foundation
import HashmarkFingerprint
import HashmarkIndex
import HashmarkMedia
import HashmarkTransforms

/// The default extractor, with the HM_* overrides described in the header.
func envExtractor() -> LocalFeatureExtractor {
    var p = LocalFeatureParameters()
    let env = ProcessInfo.processInfo.environment
    if let v = env["HM_SPREAD"].flatMap({ Int($0) }) { p.contrastSpread = v }
    if let v = env["HM_MAXGAIN"].flatMap({ Float($0) }) { p.maxContrastGain = v }
    if let v = env["HM_MINFAST"].flatMap({ Int($0) }) { p.minFastThreshold = v }
    if let v = env["HM_MINGAIN"].flatMap({ Float($0) }) { p.minContrastGain = v }
    if let v = env["HM_LEVELS"].flatMap({ Int($0) }) { p.levels = v }
    return LocalFeatureExtractor(parameters: p)
}

struct BenchError: Error, CustomStringConvertible { let description: String }

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("orb-bench: \(message)\n".utf8))
    exit(1)
}

func option(_ name: String, _ args: [String]) -> String? {
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
    return args[i + 1]
}

func readList(_ path: String) -> [String] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fail("cannot read list \(path)") }
    return text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
}

func load(_ path: String) -> RGBImage {
    do { return try ImageDecoder.decode(contentsOfFile: path).image } catch { fail("\(path): \(error)") }
}

func writePPM(_ image: RGBImage, to path: String) {
    var data = Data("P6\n\(image.width) \(image.height)\n255\n".utf8)
    data.append(contentsOf: image.pixels)
    guard FileManager.default.createFile(atPath: path, contents: data) else { fail("cannot write \(path)") }
}

let clock = ContinuousClock()
func ms(_ d: Duration) -> Double { Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15 }
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = clock.now
    let value = try body()
    return (value, ms(clock.now - start))
}

func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// Bytes of one image's local features in the store: LocalFeatureCodec's layout (HashmarkEngine,
/// internal): 17-byte header, then 32-byte descriptor + two Float32 coordinates per keypoint.
func storedBytes(_ f: LocalFeatures) -> Int { 17 + 40 * f.descriptors.count }

struct Outcome {
    var bestWork = -1, bestInliers = 0, wrongMaxInliers = 0, shortlisted = 0, verified = 0
    var mirrored = false
    var shortlistMs = 0.0
}

/// Shortlist then verify, as the engine does (ImageMatching.localMatches).
func query(_ q: LocalFeatures, expected: Int, index: LocalShortlistIndex, features: (Int) -> LocalFeatures,
           matcher: LocalMatcher, minVotes: Int, maxCandidates: Int) -> Outcome {
    var out = Outcome()
    let (candidates, shortlistMs) = timed {
        index.candidates(for: q.descriptors + (q.mirroredDescriptors ?? []), minVotes: minVotes)
    }
    out.shortlistMs = shortlistMs
    out.shortlisted = candidates.count
    for c in candidates.prefix(maxCandidates) {
        let w = Int(c.work)
        guard let e = try? matcher.match(query: q, candidate: features(w)) else { continue }
        out.verified += 1
        if e.inliers > out.bestInliers { out.bestInliers = e.inliers; out.bestWork = w; out.mirrored = e.mirrored }
        if w != expected { out.wrongMaxInliers = max(out.wrongMaxInliers, e.inliers) }
    }
    return out
}

func printJSON(_ object: Any) {
    guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
        fail("cannot serialise the result")
    }
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}

// MARK: - run

func runMain(_ args: [String]) {
    guard let worksList = option("--works", args), let negList = option("--negatives", args),
          let outDir = option("--out", args) else { fail("run needs --works, --negatives and --out") }
    let seed = UInt64(option("--seed", args) ?? "8") ?? 8
    let minVotes = Int(option("--min-votes", args) ?? "3") ?? 3
    let maxCandidates = Int(option("--max-candidates", args) ?? "8") ?? 8
    let minInliers = Int(option("--min-inliers", args) ?? "20") ?? 20
    let recompress = option("--then-jpeg", args).flatMap { Int($0) }
    let workPaths = readList(worksList), negPaths = readList(negList)
    let extractor = envExtractor()
    let matcher = LocalMatcher(parameters: LocalMatchParameters(minInliers: minInliers))

    let works = workPaths.map(load)
    _ = extractor.extract(works[0]) // warm-up
    var features: [LocalFeatures] = []
    var workRows: [[String: Any]] = []
    for (i, image) in works.enumerated() {
        let ppm = "\(outDir)/w\(i).ppm"
        writePPM(image, to: ppm)
        let (f, t) = timed { extractor.extract(image) }
        features.append(f)
        workRows.append(["file": workPaths[i], "ppm": ppm, "width": image.width, "height": image.height,
                         "extract_ms": t, "keypoints": f.descriptors.count, "stored_bytes": storedBytes(f)])
    }
    let (built, buildMs) = timed { LocalShortlistIndex(works: features.indices.map { (work: Int64($0), descriptors: features[$0].descriptors) }) }
    guard let index = built else { fail("shortlist index refused the corpus") }

    let cases = TransformSuite.standard(seed: seed).cases(in: .geometric)
    var queryRows: [[String: Any]] = []
    let sources: [(image: RGBImage, expected: Int)] = works.indices.map { (works[$0], $0) } + negPaths.map { (load($0), -1) }
    for (s, source) in sources.enumerated() {
        for c in cases {
            var rng = SeededGenerator(seed: SeededGenerator.derive(c.seed, UInt64(s)))
            let image: RGBImage
            let transform = recompress.map { ImageTransform.pipeline([c.transform, .jpeg(quality: $0)]) } ?? c.transform
            do {
                image = try transform.apply(to: source.image, rng: &rng, recompress: {
                    try ImageDecoder.decode(try JPEGEncoder.encode($0, quality: $1)).image
                }).image
            } catch { fail("\(c.name): \(error)") }
            let ppm = "\(outDir)/q\(queryRows.count).ppm"
            writePPM(image, to: ppm)
            let (q, mirrorMs) = timed { extractor.extract(image, includeMirrored: true) }
            let (o, queryMs) = timed {
                query(q, expected: source.expected, index: index, features: { features[$0] }, matcher: matcher,
                      minVotes: minVotes, maxCandidates: maxCandidates)
            }
            queryRows.append(["ppm": ppm, "source": s, "expected": source.expected, "case": c.name, "kind": c.kind,
                              "width": image.width, "height": image.height, "keypoints": q.descriptors.count,
                              "extract_mirrored_ms": mirrorMs, "query_ms": queryMs, "shortlist_ms": o.shortlistMs,
                              "best_work": o.bestWork, "best_inliers": o.bestInliers,
                              "wrong_max_inliers": o.wrongMaxInliers, "shortlisted": o.shortlisted,
                              "verified": o.verified, "mirrored": o.mirrored])
        }
    }
    printJSON(["works": workRows, "queries": queryRows, "index_build_ms": buildMs, "min_inliers": minInliers,
               "min_votes": minVotes, "max_candidates": maxCandidates, "seed": Int(seed),
               "peak_rss_mib": peakRSSMiB()])
}

// MARK: - scale

/// Shortlist parameters from the command line (defaults: `LocalShortlistParameters.standard`).
func shortlistParameters(_ args: [String]) -> LocalShortlistParameters {
    var p = LocalShortlistParameters.standard
    if let v = option("--tables", args).flatMap({ Int($0) }) { p.tables = v }
    if let v = option("--key-bits", args).flatMap({ Int($0) }) { p.keyBits = v }
    if let v = option("--max-distance", args).flatMap({ Int($0) }) { p.maxDistance = v }
    if let v = option("--ratio", args).flatMap({ Double($0) }) { p.ratio = v }
    if let v = option("--max-bucket", args).flatMap({ Int($0) }) { p.maxBucket = v }
    return p
}

struct ScaleOutcome {
    var detected = false, shortlisted = 0, rank = -1, visited = 0, skipped = 0, votes = 0, expectedVotes = 0
    var shortlistMs = 0.0, totalMs = 0.0
}

/// Shortlist then verify the top `maxCandidates`, as the engine does (ImageMatching.localMatches).
func scaleQuery(_ q: LocalFeatures, expected: Int, index: LocalShortlistIndex, features: (Int) -> LocalFeatures,
                matcher: LocalMatcher, minVotes: Int, maxCandidates: Int) -> ScaleOutcome {
    var out = ScaleOutcome()
    let start = clock.now
    var stats = LocalShortlistIndex.QueryStatistics()
    let candidates = index.candidates(for: q.descriptors + (q.mirroredDescriptors ?? []), minVotes: minVotes,
                                      statistics: &stats)
    out.shortlistMs = ms(clock.now - start)
    out.shortlisted = candidates.count
    out.visited = stats.visited; out.skipped = stats.skippedBuckets; out.votes = stats.votes
    if let r = candidates.firstIndex(where: { $0.work == Int64(expected) }) {
        out.rank = r; out.expectedVotes = candidates[r].votes
    }
    var bestWork = -1, bestInliers = 0
    for c in candidates.prefix(maxCandidates) {
        guard let e = try? matcher.match(query: q, candidate: features(Int(c.work))) else { continue }
        if e.inliers > bestInliers { bestInliers = e.inliers; bestWork = Int(c.work) }
    }
    out.totalMs = ms(clock.now - start)
    out.detected = bestWork == expected && bestInliers >= matcher.parameters.minInliers
    return out
}

func scaleMain(_ args: [String]) {
    guard let worksList = option("--works", args), let poolList = option("--pool", args) else {
        fail("scale needs --works and --pool")
    }
    let seed = UInt64(option("--seed", args) ?? "8") ?? 8
    let sizes = (option("--sizes", args) ?? "10000,100000").split(separator: ",").compactMap { Int($0) }
    let queryCount = Int(option("--queries", args) ?? "30") ?? 30
    let minVotes = Int(option("--min-votes", args) ?? "3") ?? 3
    let maxCandidates = Int(option("--max-candidates", args) ?? "8") ?? 8
    let maxFlips = Int(option("--max-flips", args) ?? "8") ?? 8
    let parameters = shortlistParameters(args)
    let extractor = envExtractor()
    let matcher = LocalMatcher()

    let workPaths = readList(worksList), poolPaths = readList(poolList)
    let works = workPaths.map(load)
    let real = works.map { extractor.extract($0) }
    let pool = poolPaths.map { extractor.extract(load($0)) }
    let poolDescriptors = pool.flatMap(\.descriptors)
    guard !poolDescriptors.isEmpty else { fail("the pool has no descriptors") }

    // Queries: seeded geometric cases of seeded works, all positives. False positives are measured
    // by `run` on real negatives; synthetic works have no coherent geometry, so they say nothing
    // about false positives and are here only to load the shortlist and the verifier.
    let cases = TransformSuite.standard(seed: seed).cases(in: .geometric)
    var rng = SeededGenerator(seed: seed ^ 0x5CA1E)
    var queries: [(f: LocalFeatures, expected: Int, name: String)] = []
    for _ in 0..<queryCount {
        let w = rng.nextInt(below: works.count), c = cases[rng.nextInt(below: cases.count)]
        var crng = SeededGenerator(seed: SeededGenerator.derive(c.seed, UInt64(w)))
        guard let image = try? c.transform.apply(to: works[w], rng: &crng).image else { continue }
        queries.append((extractor.extract(image, includeMirrored: true), w, c.name))
    }

    var rows: [[String: Any]] = []
    for size in sizes {
        // Synthetic work i ≥ real.count: geometry (size, keypoints) of a random pool image; each
        // descriptor a random pool descriptor with 0…maxFlips random bits flipped.
        var srng = SeededGenerator(seed: SeededGenerator.derive(seed, UInt64(size)))
        var shape: [Int32] = []
        var descriptors: [[Hash256]] = real.map(\.descriptors)
        let (_, synthMs) = timed {
            for _ in real.count..<max(size, real.count) {
                let p = srng.nextInt(below: pool.count)
                shape.append(Int32(p))
                descriptors.append((0..<pool[p].descriptors.count).map { _ in
                    var d = poolDescriptors[srng.nextInt(below: poolDescriptors.count)]
                    for _ in 0..<srng.nextInt(in: 0...maxFlips) {
                        let bit = srng.nextInt(below: 256)
                        d.words[bit >> 6] ^= 1 << UInt64(63 - (bit & 63))
                    }
                    return d
                })
            }
        }
        let descriptorCount = descriptors.reduce(0) { $0 + $1.count }
        let rssBeforeIndex = peakRSSMiB()
        let (built, buildMs) = timed {
            LocalShortlistIndex(works: descriptors.indices.map { (work: Int64($0), descriptors: descriptors[$0]) },
                                parameters: parameters)
        }
        guard let index = built else { fail("shortlist index refused \(size) works") }
        func features(_ w: Int) -> LocalFeatures {
            if w < real.count { return real[w] }
            let p = pool[Int(shape[w - real.count])]
            return LocalFeatures(width: p.width, height: p.height, keypoints: p.keypoints, descriptors: descriptors[w])
        }
        var outcomes: [ScaleOutcome] = []
        for q in queries {
            outcomes.append(scaleQuery(q.f, expected: q.expected, index: index, features: features, matcher: matcher,
                                       minVotes: minVotes, maxCandidates: maxCandidates))
        }
        rows.append(["works": descriptors.count, "descriptors": descriptorCount, "synthesis_ms": synthMs,
                     "index_build_ms": buildMs, "index_mib": Double(index.memoryBytes) / 1_048_576,
                     "query_ms": outcomes.map(\.totalMs), "shortlist_ms": outcomes.map(\.shortlistMs),
                     "shortlisted": outcomes.map(\.shortlisted), "expected_rank": outcomes.map(\.rank),
                     "expected_votes": outcomes.map(\.expectedVotes), "visited": outcomes.map(\.visited),
                     "skipped_buckets": outcomes.map(\.skipped), "votes": outcomes.map(\.votes),
                     "detected_each": outcomes.map(\.detected),
                     "detected": outcomes.filter(\.detected).count, "queries": queries.count,
                     "peak_rss_mib_before_index": rssBeforeIndex, "peak_rss_mib": peakRSSMiB()])
        FileHandle.standardError.write(Data("orb-bench: \(size) works done\n".utf8))
    }
    printJSON(["sizes": rows, "query_cases": queries.map(\.name), "max_flips": maxFlips, "seed": Int(seed),
               "min_votes": minVotes, "max_candidates": maxCandidates,
               "shortlist": ["tables": parameters.tables, "key_bits": parameters.keyBits,
                             "max_distance": parameters.maxDistance, "ratio": parameters.ratio,
                             "max_bucket": parameters.maxBucket, "stop_distance": parameters.stopDistance]])
}

// MARK: - extract

/// The images listed by `--works`, decoded and written as PPM into `--out` (x0.ppm, x1.ppm, …), with
/// one JSON row each (file, ppm, width, height).
func imagesAsPPM(_ args: [String], command: String) -> (images: [RGBImage], rows: [[String: Any]]) {
    guard let worksList = option("--works", args), let outDir = option("--out", args) else {
        fail("\(command) needs --works and --out")
    }
    let paths = readList(worksList)
    let images = paths.map(load)
    let rows: [[String: Any]] = images.enumerated().map { i, image in
        let ppm = "\(outDir)/x\(i).ppm"
        writePPM(image, to: ppm)
        return ["file": paths[i], "ppm": ppm, "width": image.width, "height": image.height]
    }
    return (images, rows)
}

/// One extraction of `image` without and one with mirrored descriptors, timed (ms).
func timedExtractions(_ extractor: LocalFeatureExtractor, _ image: RGBImage) -> (plain: Double, mirrored: Double, keypoints: Int) {
    let (f, plain) = timed { extractor.extract(image) }
    let mirrored = timed { extractor.extract(image, includeMirrored: true) }.1
    return (plain, mirrored, f.descriptors.count)
}

func extractMain(_ args: [String]) {
    let repeats = max(1, Int(option("--repeat", args) ?? "5") ?? 5)
    let (images, base) = imagesAsPPM(args, command: "extract")
    let extractor = envExtractor()
    var rows: [[String: Any]] = []
    for (i, image) in images.enumerated() {
        _ = extractor.extract(image, includeMirrored: true)  // warm-up
        let runs = (0..<repeats).map { _ in timedExtractions(extractor, image) }
        rows.append(base[i].merging(["extract_ms": runs.map(\.plain), "extract_mirrored_ms": runs.map(\.mirrored),
                                     "keypoints": runs[0].keypoints]) { $1 })
    }
    printJSON(["images": rows, "repeat": repeats])
}

// MARK: - serve

func serveMain(_ args: [String]) {
    let (images, rows) = imagesAsPPM(args, command: "serve")
    let extractor = envExtractor()
    printJSON(["images": rows])
    while let line = readLine() {
        guard let i = Int(line), images.indices.contains(i) else { fail("serve: bad request \(line)") }
        let t = timedExtractions(extractor, images[i])
        printJSON(["extract_ms": t.plain, "extract_mirrored_ms": t.mirrored, "keypoints": t.keypoints])
    }
}

// MARK: - digest

func digestMain(_ args: [String]) {
    guard let worksList = option("--works", args) else { fail("digest needs --works") }
    let extractor = envExtractor()
    var total = FNV1a()
    var rows: [[String: Any]] = []
    for path in readList(worksList) {
        let f = extractor.extract(load(path), includeMirrored: true)
        var h = FNV1a()
        for k in f.keypoints {
            for v in [k.x.bitPattern, k.y.bitPattern, k.angle.bitPattern, k.response.bitPattern, k.scale.bitPattern] {
                h.add(UInt64(v))
            }
            h.add(UInt64(k.level))
        }
        for d in f.descriptors + (f.mirroredDescriptors ?? []) { for q in 0..<4 { h.add(d.words[q]) } }
        total.add(h.value)
        rows.append(["file": path, "keypoints": f.keypoints.count, "digest": String(h.value, radix: 16)])
    }
    printJSON(["images": rows, "digest": String(total.value, radix: 16)])
}

/// FNV-1a over 64-bit words, byte by byte (a change detector, not a cryptographic hash).
struct FNV1a {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func add(_ word: UInt64) {
        for i in 0..<8 { value = (value ^ (word >> UInt64(8 * i) & 0xFF)) &* 0x100_0000_01b3 }
    }
}

// MARK: - pairs

/// Every unordered pair of the listed images verified with `LocalMatcher` (the first image of the
/// pair as the query, with its mirrored descriptors; the second as the corpus side): the inlier
/// count of each pair that reaches `--report` inliers, and the largest overall.
func pairsMain(_ args: [String]) {
    guard let list = option("--images", args) else { fail("pairs needs --images") }
    let report = Int(option("--report", args) ?? "8") ?? 8
    let paths = readList(list)
    let extractor = envExtractor()
    let matcher = LocalMatcher()
    var queries: [LocalFeatures] = [], corpus: [LocalFeatures] = []
    var keypoints: [Int] = []
    for p in paths {
        let q = extractor.extract(load(p), includeMirrored: true)
        queries.append(q); corpus.append(q.withoutMirror); keypoints.append(q.descriptors.count)
    }
    var rows: [[String: Any]] = []
    var maxInliers = 0, pairs = 0
    for i in paths.indices {
        for j in paths.indices where j > i {
            guard let e = try? matcher.match(query: queries[i], candidate: corpus[j]) else { continue }
            pairs += 1
            maxInliers = max(maxInliers, e.inliers)
            if e.inliers >= report { rows.append(["a": paths[i], "b": paths[j], "inliers": e.inliers]) }
        }
    }
    printJSON(["pairs": pairs, "max_inliers": maxInliers, "reported": rows, "images": paths,
               "keypoints": keypoints])
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "run": runMain(Array(arguments.dropFirst()))
case "scale": scaleMain(Array(arguments.dropFirst()))
case "extract": extractMain(Array(arguments.dropFirst()))
case "serve": serveMain(Array(arguments.dropFirst()))
case "digest": digestMain(Array(arguments.dropFirst()))
case "pairs": pairsMain(Array(arguments.dropFirst()))
default: fail("usage: orb-bench run|scale|extract|serve|digest|pairs … (see the header of main.swift)")
}
