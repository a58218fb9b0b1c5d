import CKernels

/// The integer first pass of `VectorScan.nearest(batch:)`: rows and queries rounded to int16,
/// every row scored by exact integer dot products (`vpdpwssd`, twice the float lanes, half the
/// bytes), then only the rows whose rounded score lies within the rounding's proven error bound of
/// the k-th best are scored again in float, exactly as the float scan scores them. So the result
/// is the float scan's, rows, scores and ties alike.
extension VectorScan {
    /// Whether this CPU runs the integer kernel (AVX-512 VNNI).
    @_spi(Testing) public static let integerAvailable = hm_vnni_available() != 0

    /// The largest int16 magnitude a rounded value takes: `dimension` products of two such values
    /// sum within int32.
    var integerLimit: Int { min(32767, Int((Double(Int32.max) / Double(dimension)).squareRoot())) }

    /// `v` rounded to integers of at most `limit` in magnitude, and the scale that maps them back;
    /// nil when `v` is not finite.
    static func rounded(_ v: [Float], limit: Int) -> (values: [Int16], scale: Float)? {
        var m: Float = 0
        for x in v { guard x.isFinite else { return nil }; m = max(m, abs(x)) }
        guard m > 0 else { return ([Int16](repeating: 0, count: v.count), 0) }
        let inverse = Float(limit) / m, l = Float(limit)
        return (v.map { Int16(min(l, max(-l, ($0 * inverse).rounded(.toNearestOrEven)))) }, m / Float(limit))
    }

    mutating func appendInteger(_ v: [Float]) {
        let w = Self.panelRows, lane = count % w
        if lane == 0 { integerPanels.append(contentsOf: repeatElement(0, count: dimension * w)) }
        // Finite values only reach a table (the float scan would score NaN rows as nothing).
        let (values, scale) = Self.rounded(v, limit: integerLimit) ?? ([Int16](repeating: 0, count: dimension), 0)
        let base = (count / w) * dimension * w
        for c in 0..<dimension { integerPanels[base + (c / 2) * 2 * w + 2 * lane + c % 2] = values[c] }
        rowScales.append(scale)
        largestRowScale = max(largestRowScale, scale)
        largestRowL1 = max(largestRowL1, v.reduce(0) { $0 + abs($1) })
    }

    /// How far a rounded score can lie from the float scan's score of the same row, for a query
    /// with rounding scale `scale` and L1 norm `l1`: with `R` the largest row scale,
    /// |q·r − q̂·r̂| ≤ (R/2)‖q‖₁ + (scale/2)(‖r‖₁ + n·R/2), plus the float sums' own rounding
    /// (n + 4 units in the last place of ‖q‖₁·max|r|).
    func errorBound(queryScale scale: Float, queryL1 l1: Float) -> Float {
        let n = Float(dimension), largestValue = largestRowScale * Float(integerLimit)
        let rounding = (largestRowScale / 2) * l1 + (scale / 2) * (largestRowL1 + n * largestRowScale / 2)
        return (rounding + (n + 4) * Float.ulpOfOne * l1 * largestValue) * 1.01 + 1e-6
    }

    /// `nearest(batch:)` through the integer first pass; nil when a query is not finite (the
    /// float scan then answers).
    func nearestInteger(batch queries: [[Float]], k: Int) -> [[(row: Int, score: Float)]]? {
        let n = dimension, w = Self.panelRows, padded = (queries.count + 3) / 4 * 4
        var q = [Int16](repeating: 0, count: padded * n), scales = [Float](repeating: 0, count: queries.count)
        var margins = [Float](repeating: 0, count: queries.count)
        for (j, query) in queries.enumerated() {
            guard let (values, scale) = Self.rounded(query, limit: integerLimit) else { return nil }
            for c in 0..<n { q[j * n + c] = values[c] }
            scales[j] = scale
            // A row of the float top k scores at least the k-th rounded score minus twice the bound.
            margins[j] = 2 * errorBound(queryScale: scale, queryL1: query.reduce(0) { $0 + abs($1) })
        }
        var tops = queries.map { _ in TopK(k: min(k, count)) }
        var candidates = queries.map { _ in [(row: Int, score: Float)]() }
        var out = [Int32](repeating: 0, count: 4 * 4 * w)
        integerPanels.withUnsafeBufferPointer { table in
            q.withUnsafeBufferPointer { qs in
                out.withUnsafeMutableBufferPointer { o in
                    forEachTile(queries: padded) { j, p, group in
                        hm_int16_scores4(qs.baseAddress! + j * n, Int32(n), table.baseAddress! + p * n * w,
                                         Int32(group), o.baseAddress!)
                        for i in 0..<min(4, queries.count - j) {
                            let scale = scales[j + i], margin = margins[j + i]
                            for r in 0..<min(group * w, count - p * w) {
                                let row = p * w + r, score = Float(o[i * 64 + r]) * (scale * rowScales[row])
                                tops[j + i].offer(row, score)
                                if score >= tops[j + i].floor - margin { candidates[j + i].append((row, score)) }
                            }
                        }
                    }
                }
            }
        }
        return queries.indices.map { j in
            var exact = TopK(k: min(k, count))
            for c in candidates[j] where c.score >= tops[j].floor - margins[j] {
                exact.offer(c.row, floatScore(queries[j], row: c.row))
            }
            return exact.sorted()
        }
    }

    /// Row `r`'s float score as the SIMD scan computes it (fused multiply-adds in dimension order).
    func floatScore(_ query: [Float], row r: Int) -> Float {
        let w = Self.panelRows, base = (r / w) * dimension * w + r % w
        var s: Float = 0
        for c in 0..<dimension { s = s.addingProduct(query[c], panels[base + c * w]) }
        return s
    }

    /// The kernel's integer dot products of `query` with every row, and its scalar twin's, for the
    /// tests (nil without the kernel or the int16 rows, or for a query that is not finite).
    @_spi(Testing) public func integerDots(_ query: [Float]) -> (kernel: [Int32], twin: [Int32])? {
        guard quantised, Self.integerAvailable, let (values, _) = Self.rounded(query, limit: integerLimit) else { return nil }
        let n = dimension, w = Self.panelRows
        var q = [Int16](repeating: 0, count: 4 * n)
        for c in 0..<n { q[c] = values[c] }
        var kernel: [Int32] = [], out = [Int32](repeating: 0, count: 4 * 4 * w)
        var p = 0
        while p < panelCount {
            let group = min(4, panelCount - p)
            integerPanels.withUnsafeBufferPointer { table in
                hm_int16_scores4(q, Int32(n), table.baseAddress! + p * n * w, Int32(group), &out)
            }
            kernel += out[0..<min(group * w, count - p * w)]
            p += group
        }
        let twin = (0..<count).map { r -> Int32 in
            let base = (r / w) * n * w + 2 * (r % w)
            var s: Int32 = 0
            for c in 0..<n { s += Int32(values[c]) * Int32(integerPanels[base + (c / 2) * 2 * w + c % 2]) }
            return s
        }
        return (kernel, twin)
    }

    /// The first pass's rounded scores of `query` and their error bound, for the tests.
    @_spi(Testing) public func roundedScores(_ query: [Float]) -> (scores: [Float], bound: Float)? {
        guard let dots = integerDots(query)?.kernel, let (_, scale) = Self.rounded(query, limit: integerLimit) else { return nil }
        let scores = dots.indices.map { Float(dots[$0]) * (scale * rowScales[$0]) }
        return (scores, errorBound(queryScale: scale, queryL1: query.reduce(0) { $0 + abs($1) }))
    }
}
