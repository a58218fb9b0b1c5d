/// Approximate nearest-neighbour search by dot product over unit vectors: an inverted file
/// (IVF). Spherical k-means splits the vectors into `lists` cells around unit centroids; a query
/// scores the centroids, scans the `probes` closest cells exactly (`VectorScan`, the same SIMD
/// panels and scores) and merges their best rows. A copy's descriptor lies close to its work's,
/// so the work's cell is among the first few probed; recall against the exact scan is measured in
/// the tests and in Benchmarks/VECTORS.md. With `probes == lists` the result is the exact scan's.
public struct IVFIndex: Sendable {
    public let dimension: Int
    /// Unit centroids, one row per cell.
    let centroids: VectorScan
    /// Each cell's vectors and their row numbers in the input order.
    let cells: [(scan: VectorScan, rows: [Int32])]
    public let count: Int

    /// Clusters `vectors` (row-major, unit rows of `dimension` each) into `lists` cells: the first
    /// centroids are `lists` rows of a seeded shuffle, then `iterations` rounds assign each of at
    /// most `trainingRows` rows of the shuffle to its closest centroid and renormalise each cell's
    /// mean (spherical k-means); finally every row goes to its closest centroid. Deterministic for
    /// the same input and `seed`.
    public init(vectors: [Float], dimension: Int, lists: Int, iterations: Int = 8, trainingRows: Int = 65_536,
                seed: UInt64 = 1) {
        precondition(dimension > 0 && dimension % 8 == 0 && vectors.count % dimension == 0, "rows of `dimension` floats")
        self.dimension = dimension
        count = vectors.count / dimension
        let k = count == 0 ? 0 : max(1, min(lists, count))
        func row(_ r: Int) -> ArraySlice<Float> { vectors[(r * dimension)..<((r + 1) * dimension)] }
        // A seeded sample of distinct rows: the first centroids, and the training set.
        var order = Array(0..<count)
        var state = seed | 1
        for i in stride(from: count - 1, to: 0, by: -1) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            order.swapAt(i, Int((state >> 33) % UInt64(i + 1)))
        }
        let training = Array(order.prefix(max(k, min(count, trainingRows))))
        var centres = (0..<k).map { Array(row(training[$0])) }
        for _ in 0..<iterations {
            var scan = VectorScan(dimension: dimension)
            for c in centres { scan.append(c) }
            var sums = [[Float]](repeating: [Float](repeating: 0, count: dimension), count: k)
            var sizes = [Int](repeating: 0, count: k)
            for first in stride(from: 0, to: training.count, by: Self.assignBatch) {
                let part = training[first..<min(training.count, first + Self.assignBatch)]
                for (t, hit) in zip(part, scan.nearest(batch: part.map { Array(row($0)) }, k: 1)) {
                    guard let cell = hit.first?.row else { continue }
                    sizes[cell] += 1
                    for (i, x) in row(t).enumerated() { sums[cell][i] += x }
                }
            }
            for c in 0..<k where sizes[c] > 0 {
                let norm = sums[c].reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm > 0 { centres[c] = sums[c].map { $0 / norm } }
            }
        }
        var centroidScan = VectorScan(dimension: dimension)
        for c in centres { centroidScan.append(c) }
        centroids = centroidScan
        var members = [[Int32]](repeating: [], count: k)
        for first in stride(from: 0, to: count, by: Self.assignBatch) {
            let rows = first..<min(count, first + Self.assignBatch)
            for (r, hit) in zip(rows, centroidScan.nearest(batch: rows.map { Array(row($0)) }, k: 1)) {
                members[hit.first?.row ?? 0].append(Int32(r))
            }
        }
        cells = members.map { rows in
            var scan = VectorScan(dimension: dimension)
            for r in rows { scan.append(Array(row(Int(r)))) }
            return (scan, rows)
        }
    }

    public var lists: Int { cells.count }

    /// Rows assigned to centroids in one batched scan.
    static let assignBatch = 4_096

    /// The `k` rows with the highest dot product with `query` among the `probes` cells whose
    /// centroids are closest to it, best first (ties: lower row first).
    public func nearest(_ query: [Float], k: Int, probes: Int) -> [(row: Int, score: Float)] {
        precondition(query.count == dimension, "query of \(query.count) values, expected \(dimension)")
        guard k > 0, count > 0 else { return [] }
        var top = TopK(k: min(k, count))
        let probed = centroids.nearest(query, k: max(1, probes))
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 64) { scratch in
            query.withUnsafeBufferPointer { q in
                for cell in probed where cells[cell.row].scan.count > 0 {
                    let c = cells[cell.row]
                    c.scan.offer(q.baseAddress!, panels: 0..<c.scan.panelCount, rows: c.rows, to: &top, scratch: scratch.baseAddress!)
                }
            }
        }
        return top.sorted()
    }

    /// Rows per cell (for the benchmark's balance figures).
    public var cellSizes: [Int] { cells.map { $0.rows.count } }
}
