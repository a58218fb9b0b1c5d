// text-bench: hashmark text fingerprinting throughput and passage-lookup latency, single thread.
//
//   text-bench [--reps N] FILE.txt...
//
// Prints one JSON object: fingerprint MB/s (normalise + 5-word shingles + 128-permutation
// MinHash, datasketch's configuration, and the default k=4 pipeline with winnowing), then
// p50/p99 latency of a 60-word passage lookup (index seeding + alignment + scoring) against an
// index of all FILEs, and index bytes per corpus word. text_bench.py runs datasketch beside it.

import Foundation
import HashmarkFingerprint
import HashmarkIndex

var args = Array(CommandLine.arguments.dropFirst())
let reps: Int
if args.first == "--reps", args.count > 1 { reps = Int(args[1]) ?? 5; args.removeFirst(2) } else { reps = 5 }
let files = args.compactMap { FileManager.default.contents(atPath: $0).map { [UInt8]($0) } }
let totalBytes = files.reduce(0) { $0 + $1.count }
let clock = ContinuousClock()
func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

func best(_ reps: Int, _ body: () -> Void) -> Double {
    (0..<reps).map { _ in seconds(clock.measure(body)) }.min() ?? 0
}

var datasketchParams = TextFingerprintParameters.default
datasketchParams.k = 5
var sink = 0
let minhashOnly = best(reps) {
    for f in files {
        let n = TextNormalizer.normalize(utf8: f)
        let s = TextMinHash.signature(shingles: TextShingler.shingleHashes(n.wordHashes, k: 5), parameters: datasketchParams)
        sink &+= Int(s.values[0])
    }
}
let fullSummary = best(reps) {
    for f in files { sink &+= (try? TextFingerprintSummary.make(utf8: f))?.winnowedShingles ?? 0 }
}
let normalizeOnly = best(reps) { for f in files { sink &+= TextNormalizer.normalize(utf8: f).wordCount } }

let works = files.enumerated().map { (id: Int32($0.offset), text: TextNormalizer.normalize(utf8: $0.element)) }
let index = TextShingleIndex(works: works)
let corpusWords = works.reduce(0) { $0 + $1.text.wordCount }
// Index memory: 8 bytes per posting entry, 12 per distinct hash (key + start offset).
let indexBytes = index.count * 8 + index.distinctHashes * 12

// Queries: a 60-word passage from every work after 300 words of the next work's tail (both
// are in the index, so both should match: `queries_found` counts the passage's work found).
var latencies = [Double]()
var found = 0
for (i, w) in works.enumerated() where w.text.wordCount > 700 {
    let src = files[i], other = files[(i + 1) % files.count]
    let passage = src[w.text.byteRange(words: 400..<460)]
    let fillerWork = works[(i + 1) % works.count].text
    let filler = other[fillerWork.byteRange(words: max(0, fillerWork.wordCount - 300)..<fillerWork.wordCount)]
    let query = Array(filler) + [10] + Array(passage)
    for _ in 0..<reps {
        var hits = [Int32]()
        let d = clock.measure {
            let q = TextNormalizer.normalize(utf8: query)
            hits = index.match(query: q) { works[Int($0)].text }.filter(\.score.isMatch).map(\.work)
        }
        latencies.append(seconds(d) * 1e3)
        if hits.contains(Int32(i)) { found += 1 }
    }
}
latencies.sort()
let mb = Double(totalBytes) / 1e6
let out: [String: Any] = [
    "files": files.count, "megabytes": mb, "corpus_words": corpusWords,
    "normalize_mb_s": mb / normalizeOnly,
    "minhash_k5_p128_mb_s": mb / minhashOnly,
    "summary_default_mb_s": mb / fullSummary,
    "index_postings": index.count, "index_bytes_per_word": Double(indexBytes) / Double(corpusWords),
    "queries": latencies.count, "queries_found": found,
    "query_p50_ms": latencies.isEmpty ? 0 : latencies[latencies.count / 2],
    "query_p99_ms": latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, latencies.count * 99 / 100)],
    "sink": sink,
]
let json = try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
