// text-bench: hashmark text fingerprinting throughput and passage-lookup latency, single thread.
//
//   text-bench [--reps N] [--books N] [--chapters-per-book N] [--keep-frequent N] FILE.txt...
//
// Prints one JSON object: fingerprint MB/s (normalise only; normalise + 5-word shingles +
// 128-permutation MinHash, datasketch's configuration; the default k=4 summary with winnowing),
// each the sum over files of the file's best thread-CPU time over N reps (robust to other
// processes on a shared machine; text_bench.py times datasketch the same way). Then p50/p99 latency of a 60-word
// passage lookup (normalise + seeding + alignment + scoring) against an index of all FILEs, and
// against that index plus `--books` synthetic books (Books.swift), with index bytes per word.

import Foundation
import HashmarkEngine
import HashmarkFingerprint
import HashmarkIndex

var args = Array(CommandLine.arguments.dropFirst())
var options = ["--reps": 5, "--books": 10_000, "--chapters-per-book": 3, "--keep-frequent": 0]
while let flag = args.first, let value = args.dropFirst().first, options[flag] != nil {
    options[flag] = Int(value) ?? options[flag]
    args.removeFirst(2)
}
let reps = max(1, options["--reps"] ?? 5)
let files = args.compactMap { FileManager.default.contents(atPath: $0).map { [UInt8]($0) } }
guard !files.isEmpty else {
    FileHandle.standardError.write(Data("text-bench: no readable files\n".utf8))
    exit(2)
}
let totalBytes = files.reduce(0) { $0 + $1.count }
let clock = ContinuousClock()
func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
/// This thread's CPU time: unlike wall time it does not count the time other processes hold
/// the core, which on a shared 2-core machine is most of the noise.
func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
func cpuMeasure(_ body: () -> Void) -> Double {
    let t0 = cpuSeconds()
    body()
    return cpuSeconds() - t0
}

nonisolated(unsafe) var sink = 0
/// Sum over files of each file's best CPU time over `reps` runs of `body`.
func perFileBest(_ body: ([UInt8]) -> Int) -> Double {
    var local = 0
    let total = files.reduce(0.0) { total, f in
        total + ((0..<reps).map { _ in cpuMeasure { local &+= body(f) } }.min() ?? 0)
    }
    sink &+= local
    return total
}

var datasketchParams = TextFingerprintParameters.default
datasketchParams.k = 5
let normalizeOnly = perFileBest { TextNormalizer.normalize(utf8: $0).wordCount }
let minhashOnly = perFileBest { f in
    let n = TextNormalizer.normalize(utf8: f)
    return Int(TextMinHash.signature(shingles: TextShingler.shingleHashes(n.wordHashes, k: 5),
                                     parameters: datasketchParams).values[0])
}
let fullSummary = perFileBest { (try? TextFingerprintSummary.make(utf8: $0))?.winnowedShingles ?? 0 }

let works = files.map { TextNormalizer.normalize(utf8: $0) }
let realWords = works.reduce(0) { $0 + $1.wordCount }

/// Queries: a 60-word passage from every text of > 700 words, after 300 words of the next
/// text's tail (both indexed, so both may match). Counts queries whose passage's text matched,
/// and matches of any work other than those two.
func queryLatencies(_ index: TextShingleIndex, workText: (Int32) -> NormalizedText?)
    -> (p50: Double, p99: Double, cpuP50: Double, cpuP99: Double, queries: Int, found: Int, otherMatches: Int) {
    var latencies = [Double](), cpu = [Double](), found = 0, other = 0
    for (i, w) in works.enumerated() where w.wordCount > 700 {
        let j = (i + 1) % works.count
        let passage = files[i][w.byteRange(words: 400..<460)]
        let filler = files[j][works[j].byteRange(words: max(0, works[j].wordCount - 300)..<works[j].wordCount)]
        let query = Array(filler) + [10] + Array(passage)
        for _ in 0..<reps {
            var hits = [Int32]()
            let c0 = cpuSeconds()
            let d = clock.measure {
                let q = TextNormalizer.normalize(utf8: query)
                hits = index.match(query: q, workText: workText)
                    .filter { DecisionModel.defaults.decide(.text($0.summary)).isMatch }.map(\.work)
            }
            cpu.append((cpuSeconds() - c0) * 1e3)
            latencies.append(seconds(d) * 1e3)
            if hits.contains(Int32(i)) { found += 1 }
            other += hits.filter { $0 != Int32(i) && $0 != Int32(j) }.count
        }
    }
    latencies.sort()
    cpu.sort()
    guard !latencies.isEmpty else { return (0, 0, 0, 0, 0, 0, 0) }
    func p(_ v: [Double], _ q: Int) -> Double { v[min(v.count - 1, v.count * q / 100)] }
    return (p(latencies, 50), p(latencies, 99), p(cpu, 50), p(cpu, 99), latencies.count, found, other)
}

/// Index memory: 8 bytes per posting entry, 12 per distinct hash (key + start offset).
func indexBytes(_ index: TextShingleIndex) -> Int { index.count * 8 + index.distinctHashes * 12 }

let small = TextShingleIndex(works: works.enumerated().map { (id: Int32($0.offset), text: $0.element) })
let smallQ = queryLatencies(small) { works.indices.contains(Int($0)) ? works[Int($0)] : nil }
var out: [String: Any] = [
    "files": files.count, "megabytes": Double(totalBytes) / 1e6, "corpus_words": realWords, "reps": reps,
    "normalize_mb_s": Double(totalBytes) / 1e6 / normalizeOnly,
    "minhash_k5_p128_mb_s": Double(totalBytes) / 1e6 / minhashOnly,
    "summary_default_mb_s": Double(totalBytes) / 1e6 / fullSummary,
    "index_postings": small.count, "index_bytes_per_word": Double(indexBytes(small)) / Double(realWords),
    "queries": smallQ.queries, "queries_found": smallQ.found, "queries_other_matches": smallQ.otherMatches,
    "query_p50_ms": smallQ.p50, "query_p99_ms": smallQ.p99,
    "query_cpu_p50_ms": smallQ.cpuP50, "query_cpu_p99_ms": smallQ.cpuP99,
]

let bookCount = options["--books"] ?? 0
if bookCount > 0 {
    let books = SyntheticBooks(chapters: works, count: bookCount, perBook: options["--chapters-per-book"] ?? 3,
                               keepFrequent: options["--keep-frequent"] ?? 0)
    let base = Int32(works.count)
    var big: TextShingleIndex?
    let build = clock.measure {
        func text(_ id: Int) -> NormalizedText { id < works.count ? works[id] : books.text(id - works.count) }
        let postings = (0..<(works.count + bookCount)).lazy.flatMap { id in
            TextShingler.corpusShingles(text(id)).map { TextPosting(work: Int32(id), hash: $0.hash, position: $0.position) }
        }
        big = TextShingleIndex(postings: postings)
    }
    if let big {
        let words = realWords + books.words
        let q = queryLatencies(big) { id in
            id < base ? works[Int(id)] : (Int(id - base) < bookCount ? books.text(Int(id - base)) : nil)
        }
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        out["books"] = [
            "books": bookCount, "chapters_per_book": books.perBook, "keep_frequent": books.frequent.count,
            "corpus_words": words, "index_postings": big.count, "distinct_hashes": big.distinctHashes,
            "index_bytes_per_word": Double(indexBytes(big)) / Double(words),
            "index_megabytes": Double(indexBytes(big)) / 1e6, "build_s": seconds(build),
            "peak_rss_megabytes": Double(usage.ru_maxrss) / 1024,
            "queries": q.queries, "queries_found": q.found, "queries_other_matches": q.otherMatches,
            "query_p50_ms": q.p50, "query_p99_ms": q.p99,
            "query_cpu_p50_ms": q.cpuP50, "query_cpu_p99_ms": q.cpuP99,
        ] as [String: Any]
    }
}
out["sink"] = sink
let json = try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
