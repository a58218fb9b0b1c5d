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
    var panels: [Float] = []
    public private(set) var count = 0
    /// Whether the rows are also kept as int16, for `nearest(batch:)`'s integer first pass.
    public let quantised: Bool
    /// The int16 rows (`quantised`): `[panel][dimension / 2][16][2]`, row r scaled by `rowScales[r]`.
    var integerPanels: [Int16] = []
    var rowScales: [Float] = []
    /// Over all rows: the largest scale and the largest L1 norm (the first pass's error bound).
    var largestRowScale: Float = 0, largestRowL1: Float = 0

    /// `quantised` keeps an int16 copy of the rows (half the float table's memory again) so that a
    /// batch is searched by integer dot products first (`nearestInteger`; CPUs with AVX-512 VNNI).
    public init(dimension: Int, quantised: Bool = false) {
        precondition(dimension > 0 && dimension % 8 == 0, "dimension must be a positive multiple of 8")
        self.dimension = dimension
        self.quantised = quantised
    }

    /// Appends one vector (length `dimension`); returns its row number.
    @discardableResult
    public mutating func append(_ v: [Float]) -> Int {
        precondition(v.count == dimension, "vector of \(v.count) values, expected \(dimension)")
        let w = Self.panelRows, lane = count % w
        if lane == 0 { panels.append(contentsOf: repeatElement(0, count: dimension * w)) }
        let base = (count / w) * dimension * w + lane
        for c in 0..<dimension { panels[base + c * w] = v[c] }
        if quantised { appendInteger(v) }
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
    /// sentence window of a submission at once). The same scores as one query at a time. A
    /// `quantised` scan answers through its integer first pass (`nearestInteger`) where the CPU
    /// has AVX-512 VNNI: the same rows and scores again.
    public func nearest(batch queries: [[Float]], k: Int) -> [[(row: Int, score: Float)]] {
        for q in queries { precondition(q.count == dimension, "query of \(q.count) values, expected \(dimension)") }
        guard k > 0, count > 0 else { return queries.map { _ in [] } }
        if quantised, Self.integerAvailable, let found = nearestInteger(batch: queries, k: k) { return found }
        var tops = queries.map { _ in TopK(k: min(k, count)) }
        let n = dimension, w = Self.panelRows
        // Four queries at a time, as one flat array: each panel column loaded once for all four.
        let fours = queries.count / 4 * 4
        let flat = queries.prefix(fours).flatMap { $0 }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 16 * w) { scratch in
            let out = scratch.baseAddress!
            panels.withUnsafeBufferPointer { table in
                flat.withUnsafeBufferPointer { qs in
                    forEachTile(queries: fours, { j, p, group in
                        Self.score4(qs.baseAddress! + j * n, n, table.baseAddress! + p * n * w, panels: group, into: out)
                        for i in 0..<min(group * w, count - p * w) {
                            tops[j].offer(p * w + i, out[i]); tops[j + 1].offer(p * w + i, out[64 + i])
                            tops[j + 2].offer(p * w + i, out[128 + i]); tops[j + 3].offer(p * w + i, out[192 + i])
                        }
                    }, afterBlock: { block in
                        for j in fours..<queries.count {
                            queries[j].withUnsafeBufferPointer { q in
                                offer(q.baseAddress!, panels: block, rows: nil, to: &tops[j], scratch: out)
                            }
                        }
                    })
                }
            }
        }
        return tops.map { $0.sorted() }
    }

    /// The batch scans' order: the table a block of `blockPanels` panels at a time (the block stays
    /// in L2 while every query passes over it); in each block every group of four queries
    /// (`0, 4, … < queries`) against runs of up to four panels (`tile(query, panel, panels)`), then
    /// `afterBlock` with the block's panels.
    @inline(__always)
    func forEachTile(queries: Int, _ tile: (_ query: Int, _ panel: Int, _ panels: Int) -> Void,
                     afterBlock: (Range<Int>) -> Void = { _ in }) {
        var first = 0
        while first < panelCount {
            let end = min(panelCount, first + Self.blockPanels)
            for j in stride(from: 0, to: queries, by: 4) {
                var p = first
                while p < end {
                    let group = min(4, end - p)
                    tile(j, p, group)
                    p += group
                }
            }
            afterBlock(first..<end)
            first = end
        }
    }

    /// `score` for four queries (`q`, `q + n`, `q + 2n`, `q + 3n`) at once into `out[64 · i ..<]`
    /// for query `i`: the same multiply-adds in the same order for each row, so the same scores,
    /// with each panel column loaded once for the four.
    @inline(__always)
    static func score4(_ q: UnsafePointer<Float>, _ n: Int, _ panel: UnsafePointer<Float>, panels: Int,
                       into out: UnsafeMutablePointer<Float>) {
        typealias V16 = SIMD16<Float>
        guard panels == 4 else {
            for i in 0..<4 { score(q + i * n, panel, panels: panels, n, into: out + 64 * i) }
            return
        }
        let raw = UnsafeRawPointer(panel), stride = n * 16 * 4
        @inline(__always) func load(_ p: Int, _ c: Int) -> V16 {
            raw.loadUnaligned(fromByteOffset: p * stride + c * 64, as: V16.self)
        }
        var a0 = V16(), a1 = V16(), a2 = V16(), a3 = V16(), b0 = V16(), b1 = V16(), b2 = V16(), b3 = V16()
        var c0 = V16(), c1 = V16(), c2 = V16(), c3 = V16(), d0 = V16(), d1 = V16(), d2 = V16(), d3 = V16()
        for c in 0..<n {
            let p0 = load(0, c), p1 = load(1, c), p2 = load(2, c), p3 = load(3, c)
            let x = V16(repeating: q[c]), y = V16(repeating: q[n + c])
            a0 = a0.addingProduct(x, p0); a1 = a1.addingProduct(x, p1); a2 = a2.addingProduct(x, p2); a3 = a3.addingProduct(x, p3)
            b0 = b0.addingProduct(y, p0); b1 = b1.addingProduct(y, p1); b2 = b2.addingProduct(y, p2); b3 = b3.addingProduct(y, p3)
            let z = V16(repeating: q[2 * n + c]), u = V16(repeating: q[3 * n + c])
            c0 = c0.addingProduct(z, p0); c1 = c1.addingProduct(z, p1); c2 = c2.addingProduct(z, p2); c3 = c3.addingProduct(z, p3)
            d0 = d0.addingProduct(u, p0); d1 = d1.addingProduct(u, p1); d2 = d2.addingProduct(u, p2); d3 = d3.addingProduct(u, p3)
        }
        let o = UnsafeMutableRawPointer(out)
        for (i, a) in [a0, a1, a2, a3, b0, b1, b2, b3, c0, c1, c2, c3, d0, d1, d2, d3].enumerated() {
            o.storeBytes(of: a, toByteOffset: i * 64, as: V16.self)
        }
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

    /// The worst kept score once `k` are kept (−∞ before): a lower score cannot enter.
    private(set) var floor = -Float.infinity

    /// Keeps `(row, score)` if it is among the best `k` so far; most offers of a scan stop at the
    /// floor, without a call.
    @inline(__always) mutating func offer(_ row: Int, _ score: Float) {
        if score < floor { return }
        enter(row, score)
    }

    private mutating func enter(_ row: Int, _ score: Float) {
        defer { if heap.count == k, let worst = heap.first { floor = worst.score } }
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
