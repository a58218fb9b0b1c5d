/// Exact nearest-neighbour search by dot product over a flat table of equal-length vectors (unit
/// vectors: the dot product is the cosine): the paraphrase matcher's first-stage index over
/// corpus sentence windows, the image descriptors of the corpus and of the background set. A
/// linear scan with a scalar twin and a brute-force oracle in the tests; `IVFIndex` scans a few
/// of these, one per cell, when a corpus grows past what one scan serves in time.
///
/// Rows are stored in panels of 16, each panel column-major (`[dimension][16]`, the last one
/// zero-padded), so that one query value times one panel column scores 16 rows in one SIMD
/// multiply-add, with no horizontal sums.
public struct VectorScan: Sendable {
    public let dimension: Int
    /// Rows a panel holds.
    static let panelRows = 16
    /// `[panel][dimension][16]`.
    private var panels: [Float] = []
    public private(set) var count = 0

    public init(dimension: Int) {
        precondition(dimension > 0 && dimension % 8 == 0, "dimension must be a positive multiple of 8")
        self.dimension = dimension
    }

    /// Appends one vector (length `dimension`); returns its row number.
    @discardableResult
    public mutating func append(_ v: [Float]) -> Int {
        precondition(v.count == dimension, "vector of \(v.count) values, expected \(dimension)")
        let w = Self.panelRows, lane = count % w
        if lane == 0 { panels.append(contentsOf: repeatElement(0, count: dimension * w)) }
        let base = (count / w) * dimension * w + lane
        for c in 0..<dimension { panels[base + c * w] = v[c] }
        count += 1
        return count - 1
    }

    /// Row `r` as it was appended.
    public func row(_ r: Int) -> [Float] {
        precondition(r >= 0 && r < count, "row \(r) of \(count)")
        let w = Self.panelRows, base = (r / w) * dimension * w + r % w
        return (0..<dimension).map { panels[base + $0 * w] }
    }

    /// The `k` rows with the highest dot product with `query`, best first (ties: lower row first).
    public func nearest(_ query: [Float], k: Int) -> [(row: Int, score: Float)] {
        nearest(batch: [query], k: k)[0]
    }

    /// Panels a block of the batch scan holds (384 KB at 384 dimensions: it stays in L2 while
    /// every query of the batch passes over it).
    static let blockPanels = 16

    /// `nearest(_:k:)` for each of `queries`, in one pass over the table: the table is read a
    /// block of panels at a time and every query scored against the block before the next, so a
    /// batch costs one read of the table, not one per query (the paraphrase matcher looks up every
    /// sentence window of a submission at once). The same scores as one query at a time.
    public func nearest(batch queries: [[Float]], k: Int) -> [[(row: Int, score: Float)]] {
        for q in queries { precondition(q.count == dimension, "query of \(q.count) values, expected \(dimension)") }
        guard k > 0, count > 0 else { return queries.map { _ in [] } }
        var tops = queries.map { _ in TopK(k: min(k, count)) }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * Self.panelRows) { scratch in
            var first = 0
            while first < panelCount {
                let end = min(panelCount, first + Self.blockPanels)
                for j in queries.indices {
                    queries[j].withUnsafeBufferPointer { q in
                        offer(q.baseAddress!, panels: first..<end, rows: nil, to: &tops[j], scratch: scratch.baseAddress!)
                    }
                }
                first = end
            }
        }
        return tops.map { $0.sorted() }
    }

    var panelCount: Int { (count + Self.panelRows - 1) / Self.panelRows }

    /// Offers the scores of the rows in `panels` for `query` to `top`, under the caller's number
    /// for each row (`rows[r]`, the row itself when nil): the batch scan a block at a time, and the
    /// inverted file's cells into one shared top-k, without allocating. `scratch` holds 64 floats.
    func offer(_ query: UnsafePointer<Float>, panels range: Range<Int>, rows: [Int32]?, to top: inout TopK,
               scratch: UnsafeMutablePointer<Float>) {
        let n = dimension, w = Self.panelRows
        panels.withUnsafeBufferPointer { table in
            var p = range.lowerBound
            while p < range.upperBound {
                let group = min(4, range.upperBound - p)
                Self.score(query, table.baseAddress! + p * n * w, panels: group, n, into: scratch)
                for i in 0..<min(group * w, count - p * w) { top.offer(rows.map { Int($0[p * w + i]) } ?? p * w + i, scratch[i]) }
                p += group
            }
        }
    }

    /// Scores of `panels` (1–4) consecutive panels for one query into `out[0 ..< 16 * panels]`: one
    /// accumulator per panel, dimension by dimension (so a row's score sums its products in order).
    @inline(__always)
    static func score(_ q: UnsafePointer<Float>, _ panel: UnsafePointer<Float>, panels: Int, _ n: Int,
                      into out: UnsafeMutablePointer<Float>) {
        typealias V16 = SIMD16<Float>
        let raw = UnsafeRawPointer(panel), stride = n * 16 * 4
        @inline(__always) func load(_ p: Int, _ c: Int) -> V16 {
            raw.loadUnaligned(fromByteOffset: p * stride + c * 64, as: V16.self)
        }
        var a0 = V16(), a1 = V16(), a2 = V16(), a3 = V16()
        if panels == 4 {
            for c in 0..<n {
                let x = V16(repeating: q[c])
                a0 = a0.addingProduct(x, load(0, c)); a1 = a1.addingProduct(x, load(1, c))
                a2 = a2.addingProduct(x, load(2, c)); a3 = a3.addingProduct(x, load(3, c))
            }
        } else {
            for c in 0..<n {
                let x = V16(repeating: q[c])
                a0 = a0.addingProduct(x, load(0, c))
                if panels > 1 { a1 = a1.addingProduct(x, load(1, c)) }
                if panels > 2 { a2 = a2.addingProduct(x, load(2, c)) }
            }
        }
        let o = UnsafeMutableRawPointer(out)
        for (i, a) in [a0, a1, a2, a3].prefix(panels).enumerated() { o.storeBytes(of: a, toByteOffset: i * 64, as: V16.self) }
    }

    /// The scalar twin of `score`, for the tests: fused multiply-adds in dimension order, as
    /// each SIMD lane does them, so the two agree bit for bit.
    @_spi(Testing) public static func dotScalar(_ a: [Float], _ b: [Float]) -> Float {
        var s: Float = 0
        for (x, y) in zip(a, b) { s = s.addingProduct(x, y) }
        return s
    }

    /// Row `r`'s score for `query` as the SIMD scan computes it, for the tests.
    @_spi(Testing) public func scoreSIMD(_ query: [Float], row r: Int) -> Float {
        let w = Self.panelRows
        var out = [Float](repeating: 0, count: 4 * w)
        panels.withUnsafeBufferPointer { t in
            query.withUnsafeBufferPointer { q in
                out.withUnsafeMutableBufferPointer {
                    Self.score(q.baseAddress!, t.baseAddress! + (r / w) * dimension * w, panels: 1, dimension, into: $0.baseAddress!)
                }
            }
        }
        return out[r % w]
    }
}

/// The k best (row, score) pairs seen, kept in a small min-heap.
struct TopK {
    let k: Int
    var heap: [(row: Int, score: Float)] = []

    init(k: Int) { self.k = k; heap.reserveCapacity(k) }

    /// Worse first: lower score, or equal score and higher row.
    static func worse(_ a: (row: Int, score: Float), _ b: (row: Int, score: Float)) -> Bool {
        a.score < b.score || (a.score == b.score && a.row > b.row)
    }

    mutating func offer(_ row: Int, _ score: Float) {
        guard !score.isNaN else { return }
        if heap.count < k {
            heap.append((row, score))
            var i = heap.count - 1
            while i > 0, Self.worse(heap[i], heap[(i - 1) / 2]) { heap.swapAt(i, (i - 1) / 2); i = (i - 1) / 2 }
        } else if Self.worse(heap[0], (row, score)) {
            heap[0] = (row, score)
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, Self.worse(heap[l], heap[m]) { m = l }
                if r < heap.count, Self.worse(heap[r], heap[m]) { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
    }

    func sorted() -> [(row: Int, score: Float)] { heap.sorted { Self.worse($1, $0) } }
}
