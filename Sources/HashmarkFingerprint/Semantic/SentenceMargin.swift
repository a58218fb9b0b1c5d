/// Margin scoring of a sentence-similarity matrix (after the cross-domain similarity local
/// scaling of bitext mining): a pair's margin is its similarity minus the mean of the
/// `neighbours` best other similarities of its row and of its column, averaged. A sentence and its
/// rewrite stand out from their neighbours; two sentences that are merely in the same voice do not.
public enum SentenceMargin {
    /// Each pair's margin, row-major like `similarity`.
    public static func margins(_ similarity: [Float], rows n: Int, columns m: Int, neighbours k: Int) -> [Float] {
        precondition(similarity.count == n * m, "similarity must hold rows × columns values")
        let k = max(1, k)
        // The k + 1 best values of each row and column (one of them may be the pair itself).
        let rowTop = (0..<n).map { i in top(k + 1, (0..<m).map { (j: $0, v: similarity[i * m + $0]) }) }
        let colTop = (0..<m).map { j in top(k + 1, (0..<n).map { (j: $0, v: similarity[$0 * m + j]) }) }
        var out = [Float](repeating: 0, count: n * m)
        for i in 0..<n {
            for j in 0..<m {
                let r = mean(rowTop[i], excluding: j, k), c = mean(colTop[j], excluding: i, k)
                out[i * m + j] = similarity[i * m + j] - (r + c) / 2
            }
        }
        return out
    }

    /// `similarity` with every pair whose margin is below `minMargin` held just under `seed`, so
    /// the aligner may carry it (as a near miss) but never seed on it.
    public static func capped(_ similarity: [Float], rows n: Int, columns m: Int, neighbours k: Int,
                              minMargin: Float, seed: Float) -> [Float] {
        let margin = margins(similarity, rows: n, columns: m, neighbours: k)
        let below = seed.nextDown
        return similarity.indices.map { margin[$0] >= minMargin ? similarity[$0] : min(similarity[$0], below) }
    }

    static func top(_ k: Int, _ values: [(j: Int, v: Float)]) -> [(j: Int, v: Float)] {
        Array(values.sorted { $0.v > $1.v }.prefix(k))
    }

    /// Mean of the first `k` values not at index `skip` (0 when there are none).
    static func mean(_ best: [(j: Int, v: Float)], excluding skip: Int, _ k: Int) -> Float {
        let others = best.filter { $0.j != skip }.prefix(k)
        return others.isEmpty ? 0 : others.reduce(0) { $0 + $1.v } / Float(others.count)
    }
}
