/// Exact nearest-neighbour search by dot product over a flat table of equal-length vectors (unit
/// vectors: the dot product is the cosine): the paraphrase matcher's first-stage index over
/// corpus sentence windows. A linear scan, SIMD in `dot`, with a scalar twin and a brute-force
/// oracle in the tests; an approximate index can replace it behind `nearest` when corpora grow
/// past what a scan serves in time.
public struct VectorScan: Sendable {
    public let dimension: Int
    /// Row-major [count × dimension].
    public private(set) var vectors: [Float]

    public init(dimension: Int) {
        precondition(dimension > 0 && dimension % 8 == 0, "dimension must be a positive multiple of 8")
        self.dimension = dimension
        vectors = []
    }

    public var count: Int { vectors.count / dimension }

    /// Appends one vector (length `dimension`); returns its row number.
    @discardableResult
    public mutating func append(_ v: [Float]) -> Int {
        precondition(v.count == dimension, "vector of \(v.count) values, expected \(dimension)")
        vectors.append(contentsOf: v)
        return count - 1
    }

    /// The `k` rows with the highest dot product with `query`, best first (ties: lower row first).
    public func nearest(_ query: [Float], k: Int) -> [(row: Int, score: Float)] {
        precondition(query.count == dimension, "query of \(query.count) values, expected \(dimension)")
        guard k > 0, count > 0 else { return [] }
        var top = TopK(k: min(k, count))
        vectors.withUnsafeBufferPointer { table in
            query.withUnsafeBufferPointer { q in
                for r in 0..<count { top.offer(r, Self.dot(q, table, at: r * dimension, dimension)) }
            }
        }
        return top.sorted()
    }

    /// SIMD dot product of `q` with `table[offset ..< offset + n]` (n a multiple of 8).
    @inline(__always)
    static func dot(_ q: UnsafeBufferPointer<Float>, _ table: UnsafeBufferPointer<Float>, at offset: Int, _ n: Int) -> Float {
        var acc = SIMD8<Float>(repeating: 0)
        let qb = UnsafeRawPointer(q.baseAddress!), tb = UnsafeRawPointer(table.baseAddress! + offset)
        var i = 0
        while i < n {
            acc += qb.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
                * tb.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            i += 8
        }
        return acc.sum()
    }

    /// The scalar twin of `dot`, for the tests.
    @_spi(Testing) public static func dotScalar(_ a: [Float], _ b: ArraySlice<Float>) -> Float {
        var s: Float = 0
        for (x, y) in zip(a, b) { s += x * y }
        return s
    }

    /// `dot` on arrays, for the tests.
    @_spi(Testing) public func dotSIMD(_ query: [Float], row: Int) -> Float {
        vectors.withUnsafeBufferPointer { t in query.withUnsafeBufferPointer { Self.dot($0, t, at: row * dimension, dimension) } }
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
