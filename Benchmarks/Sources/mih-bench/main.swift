// mih-bench: radius search over N PDQ-like hashes, MIH against the linear scan, same queries.
// Normally driven by Benchmarks/mih_bench.py, which adds the numpy scan on the dumped hashes.
//
//   mih-bench --n 1000000 --kind random|clustered [--queries 200] [--scan-queries 20]
//             [--radius 31] [--dump DIR] [--sqlite] [--dihedral]
//
// Prints one JSON object on stdout.
import Foundation
import HashmarkFingerprint
import HashmarkIndex
import HashmarkStore

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func flip(_ h: Hash256, _ bits: Int, _ rng: inout SplitMix64) -> Hash256 {
    var out = h
    var flipped = 0
    while flipped < bits {
        let b = Int.random(in: 0..<256, using: &rng)
        if out[bit: b] == h[bit: b] { out[bit: b].toggle(); flipped += 1 }
    }
    return out
}

func randomHash(_ rng: inout SplitMix64) -> Hash256 {
    Hash256(words: SIMD4(rng.next(), rng.next(), rng.next(), rng.next()))
}

/// CPU time of this thread: on a shared, overloaded machine wall time also counts the time the
/// scheduler gave to other processes; both are reported.
func threadCPU() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

var args = [String: String]()
var flags = Set<String>()
var it = CommandLine.arguments.dropFirst().makeIterator()
while let a = it.next() {
    if ["--sqlite", "--dihedral"].contains(a) { flags.insert(a) } else if let v = it.next() { args[a] = v }
}
let n = Int(args["--n"] ?? "") ?? 1_000_000
let kind = args["--kind"] ?? "random"
let queryCount = Int(args["--queries"] ?? "") ?? 200
let scanQueries = Int(args["--scan-queries"] ?? "") ?? 20
let radius = Int(args["--radius"] ?? "") ?? 31
let clock = ContinuousClock()
var rng = SplitMix64(state: 2024)
var out: [String: Any] = ["n": n, "kind": kind, "radius": radius]

// Random: uniform hashes. Clustered: "real-ish" — groups of 10 near-duplicates (0…32 bits from
// a centre), like re-encodes and crops of the same picture.
var hashes = [Hash256]()
hashes.reserveCapacity(n)
if kind == "clustered" {
    while hashes.count < n {
        let c = randomHash(&rng)
        for _ in 0..<min(10, n - hashes.count) { hashes.append(flip(c, Int.random(in: 0...32, using: &rng), &rng)) }
    }
} else {
    for _ in 0..<n { hashes.append(randomHash(&rng)) }
}
// Queries: half near-duplicates of stored hashes (0…40 bits away), half unrelated.
let queries: [Hash256] = (0..<queryCount).map { i in
    i % 2 == 0 ? flip(hashes[Int.random(in: 0..<n, using: &rng)], Int.random(in: 0...40, using: &rng), &rng)
               : randomHash(&rng)
}

var t0 = clock.now
var c0 = threadCPU()
guard let mih = MultiIndexHash256(hashes: hashes) else { fatalError("too many hashes") }
out["mih_build_s"] = seconds(clock.now - t0)
out["mih_build_cpu_s"] = threadCPU() - c0
out["mih_bytes_per_hash"] = Double(mih.memoryBytes) / Double(n)
out["mih_index_bytes_per_hash_excluding_hashes"] = Double(mih.tableBytes) / Double(n)

var counts = [Int]()
var checksum = 0
t0 = clock.now
c0 = threadCPU()
for q in queries {
    let r = mih.search(q, radius: radius)
    counts.append(r.count)
    checksum &+= r.reduce(0) { $0 &+ $1.index }
}
out["mih_ms_per_query"] = seconds(clock.now - t0) * 1000 / Double(queryCount)
out["mih_cpu_ms_per_query"] = (threadCPU() - c0) * 1000 / Double(queryCount)
out["mean_results_per_query"] = Double(counts.reduce(0, +)) / Double(queryCount)

t0 = clock.now
c0 = threadCPU()
for q in queries { _ = mih.search(q, radius: radius, invertAware: true).count }
out["mih_invert_aware_ms_per_query"] = seconds(clock.now - t0) * 1000 / Double(queryCount)
out["mih_invert_aware_cpu_ms_per_query"] = (threadCPU() - c0) * 1000 / Double(queryCount)

var agree = true
t0 = clock.now
c0 = threadCPU()
for (i, q) in queries.prefix(scanQueries).enumerated() {
    let r = HammingScan.search(hashes, query: q, radius: radius)
    if r.count != counts[i] { agree = false }
}
out["scan_ms_per_query"] = seconds(clock.now - t0) * 1000 / Double(min(scanQueries, queryCount))
out["scan_cpu_ms_per_query"] = (threadCPU() - c0) * 1000 / Double(min(scanQueries, queryCount))
out["scan_agrees_with_mih"] = agree
out["query_result_counts"] = counts

if flags.contains("--dihedral") {
    // (a) 8 stored variants per work, one query; (b) one stored hash per work, 8 queries.
    // Dihedral variants of a PDQ hash are, bit-wise, unrelated hashes: model them as such.
    let works = n / 8
    let stored8 = Array(hashes.prefix(works * 8))
    let stored1 = Array(hashes.prefix(works))
    guard let mih8 = MultiIndexHash256(hashes: stored8), let mih1 = MultiIndexHash256(hashes: stored1) else { fatalError() }
    let qs = Array(queries.prefix(64))
    t0 = clock.now
    c0 = threadCPU()
    for q in qs { _ = mih8.search(q, radius: radius) }
    out["dihedral_store8_ms_per_query"] = seconds(clock.now - t0) * 1000 / Double(qs.count)
    out["dihedral_store8_cpu_ms_per_query"] = (threadCPU() - c0) * 1000 / Double(qs.count)
    out["dihedral_store8_bytes_per_work"] = Double(mih8.memoryBytes) / Double(works)
    let variants = qs.map { q in [q] + (1..<8).map { _ in randomHash(&rng) } }
    t0 = clock.now
    c0 = threadCPU()
    for vs in variants { for v in vs { _ = mih1.search(v, radius: radius) } }
    out["dihedral_query8_ms_per_query"] = seconds(clock.now - t0) * 1000 / Double(qs.count)
    out["dihedral_query8_cpu_ms_per_query"] = (threadCPU() - c0) * 1000 / Double(qs.count)
    out["dihedral_query8_bytes_per_work"] = Double(mih1.memoryBytes) / Double(works)
    out["dihedral_works"] = works
}

if flags.contains("--sqlite") {
    // Start-up path: hashes in the corpus SQLite file -> allPDQ() -> MultiIndexHash256.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mih-bench-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("corpus.sqlite").path
    do {
        let store = try CorpusStore(path: path)
        let rows = hashes.enumerated().map { HashBankRow(hash: $1, quality: 100, id: "w\($0)", owner: "bench") }
        t0 = clock.now
        _ = try store.importHashes(rows)
        out["sqlite_insert_s"] = seconds(clock.now - t0)
    }
    t0 = clock.now
    let store = try CorpusStore(path: path)
    let table = try store.allPDQ()
    let tRead = clock.now
    guard let loaded = MultiIndexHash256(hashes: table.hashes) else { fatalError() }
    out["sqlite_read_s"] = seconds(tRead - t0)
    out["sqlite_to_mih_total_s"] = seconds(clock.now - t0)
    out["sqlite_loaded"] = loaded.count
    out["sqlite_file_mib"] = Double(try store.stats().fileBytes) / 1_048_576
}

if let dir = args["--dump"] {
    // Raw little-endian UInt64 words, 4 per hash, for the numpy side.
    func dump(_ hs: [Hash256], _ name: String) throws {
        let data = hs.withUnsafeBytes { Data($0) }
        try data.write(to: URL(fileURLWithPath: dir).appendingPathComponent(name))
    }
    try dump(hashes, "hashes.u64")
    try dump(queries, "queries.u64")
}

let json = try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
