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
}
