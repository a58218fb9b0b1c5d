import Foundation
import HashmarkIndex

// The descriptor index at scale (issue #16): exact SIMD scan and the inverted file over the same
// vectors and queries, one thread. Driven by vector_bench.py, which makes the vectors and runs
// FAISS on the same files for comparison; prints one JSON object.
//
//   vector-bench --vectors V.f32 --queries Q.f32 --dimension 256 --lists 1024 --probes 8,16,32 --k 10

func argument(_ name: String) -> String? {
    let a = CommandLine.arguments
    guard let i = a.firstIndex(of: name), i + 1 < a.count else { return nil }
    return a[i + 1]
}

func readFloats(_ path: String) -> [Float] {
    guard let data = FileManager.default.contents(atPath: path) else { fatalError("cannot read \(path)") }
    return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
}

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

guard let vectorsPath = argument("--vectors"), let queriesPath = argument("--queries"),
      let d = argument("--dimension").flatMap(Int.init) else {
    print("usage: vector-bench --vectors V.f32 --queries Q.f32 --dimension D [--lists L] [--probes 8,16] [--k 10]")
    exit(2)
}
let lists = argument("--lists").flatMap(Int.init) ?? 1_024
let probes = (argument("--probes") ?? "8,16,32").split(separator: ",").compactMap { Int($0) }
let k = argument("--k").flatMap(Int.init) ?? 10
let vectors = readFloats(vectorsPath), queryValues = readFloats(queriesPath)
let n = vectors.count / d, q = queryValues.count / d
let queries = (0..<q).map { Array(queryValues[($0 * d)..<(($0 + 1) * d)]) }

var t0 = now()
var exact = VectorScan(dimension: d)
for r in 0..<n { exact.append(Array(vectors[(r * d)..<((r + 1) * d)])) }
let exactBuild = now() - t0

t0 = now()
var truth: [[Int]] = [], close: [[Int]] = []
for query in queries {
    let hits = exact.nearest(query, k: k)
    truth.append(hits.map(\.row))
    close.append(hits.filter { $0.score >= 0.5 }.map(\.row))  // neighbours that could matter to a decision
}
let exactSeconds = now() - t0

t0 = now()
let ivf = IVFIndex(vectors: vectors, dimension: d, lists: lists)
let ivfBuild = now() - t0

var rows: [String] = []
for p in probes {
    t0 = now()
    var found: [[Int]] = []
    for query in queries { found.append(ivf.nearest(query, k: k, probes: p).map(\.row)) }
    let seconds = now() - t0
    var agree = 0, total = 0, top1 = 0, closeAgree = 0, closeTotal = 0
    for ((a, b), c) in zip(zip(found, truth), close) {
        agree += b.filter(Set(a).contains).count
        total += b.count
        closeAgree += c.filter(Set(a).contains).count
        closeTotal += c.count
        top1 += a.first == b.first ? 1 : 0
    }
    rows.append(#"{"probes": \#(p), "msPerQuery": \#(seconds * 1000 / Double(q)), "recallAtK": \#(Double(agree) / Double(max(1, total))), "recallClose": \#(Double(closeAgree) / Double(max(1, closeTotal))), "closeNeighbours": \#(closeTotal), "top1": \#(Double(top1) / Double(max(1, q)))}"#)
}
let sizes = ivf.cellSizes
print(#"{"vectors": \#(n), "queries": \#(q), "dimension": \#(d), "k": \#(k), "lists": \#(ivf.lists), "exactLoadSeconds": \#(exactBuild), "exactMsPerQuery": \#(exactSeconds * 1000 / Double(q)), "ivfBuildSeconds": \#(ivfBuild), "largestCell": \#(sizes.max() ?? 0), "ivf": [\#(rows.joined(separator: ", "))]}"#)
