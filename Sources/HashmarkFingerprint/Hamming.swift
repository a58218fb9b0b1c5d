// Hamming distance on 256-bit hashes: XOR of the four 64-bit lanes at once, then a popcount per
// lane (one `popcnt`/`vpopcntq` with `-target-cpu native`). The fast path has a bit-by-bit
// scalar twin, kept as the oracle the tests compare against (PDQ's `...Slow` functions).

extension Hash256 {
    /// Hamming distance (0…256): the number of differing bits.
    @inlinable public func distance(to other: Hash256) -> Int {
        let x = words ^ other.words
        return x[0].nonzeroBitCount + x[1].nonzeroBitCount + x[2].nonzeroBitCount + x[3].nonzeroBitCount
    }

    /// `min(d, 256 - d)`: an inverted (negative) copy is at distance 0, not 256.
    @inlinable public func invertAwareDistance(to other: Hash256) -> Int {
        let d = distance(to: other)
        return Swift.min(d, 256 - d)
    }

    /// Scalar twin of `distance(to:)`: compares the 256 bits one at a time.
    public func distanceBitByBit(to other: Hash256) -> Int {
        var d = 0
        for i in 0..<256 where self[bit: i] != other[bit: i] { d += 1 }
        return d
    }
}
