// Hamming distance on 256-bit hashes: XOR of the four 64-bit lanes at once, then a popcount per
// lane (one `popcnt`/`vpopcntq` with `-target-cpu native`). Each fast path has a bit-by-bit
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

/// Linear scans over a contiguous run of hashes: the brute-force oracle for indexes, and the
/// fastest exact search for small corpora.
public enum Hamming {
    /// Indices (ascending) of the hashes within `radius` of `query`. With `invertAware`, the
    /// distance is `min(d, 256 - d)`, so inverted copies match too. A negative radius matches none.
    public static func scan(query: Hash256, hashes: UnsafeBufferPointer<Hash256>, radius: Int,
                            invertAware: Bool = false) -> [Int32] {
        var out: [Int32] = []
        guard radius >= 0 else { return out }
        let q = query.words
        for i in 0..<hashes.count {
            let x = q ^ hashes[i].words
            var d = x[0].nonzeroBitCount + x[1].nonzeroBitCount
            d += x[2].nonzeroBitCount + x[3].nonzeroBitCount
            if invertAware { d = Swift.min(d, 256 - d) }
            if d <= radius { out.append(Int32(truncatingIfNeeded: i)) }
        }
        return out
    }

    /// `scan` over an array.
    public static func scan(query: Hash256, hashes: [Hash256], radius: Int,
                            invertAware: Bool = false) -> [Int32] {
        hashes.withUnsafeBufferPointer { scan(query: query, hashes: $0, radius: radius, invertAware: invertAware) }
    }

    /// Distance from `query` to every hash, in order (0…256, or 0…128 with `invertAware`).
    public static func distances(query: Hash256, hashes: UnsafeBufferPointer<Hash256>,
                                 invertAware: Bool = false) -> [UInt16] {
        let q = query.words
        return [UInt16](unsafeUninitializedCapacity: hashes.count) { out, initialized in
            for i in 0..<hashes.count {
                let x = q ^ hashes[i].words
                var d = x[0].nonzeroBitCount + x[1].nonzeroBitCount
                d += x[2].nonzeroBitCount + x[3].nonzeroBitCount
                if invertAware { d = Swift.min(d, 256 - d) }
                out[i] = UInt16(truncatingIfNeeded: d)
            }
            initialized = hashes.count
        }
    }

    /// `distances` over an array.
    public static func distances(query: Hash256, hashes: [Hash256], invertAware: Bool = false) -> [UInt16] {
        hashes.withUnsafeBufferPointer { distances(query: query, hashes: $0, invertAware: invertAware) }
    }

    /// Scalar twin of `scan`: bit-by-bit distances.
    public static func scanScalar(query: Hash256, hashes: [Hash256], radius: Int,
                                  invertAware: Bool = false) -> [Int32] {
        var out: [Int32] = []
        for (i, h) in hashes.enumerated() {
            var d = query.distanceBitByBit(to: h)
            if invertAware { d = Swift.min(d, 256 - d) }
            if d <= radius { out.append(Int32(truncatingIfNeeded: i)) }
        }
        return out
    }

    /// Scalar twin of `distances`: bit-by-bit distances.
    public static func distancesScalar(query: Hash256, hashes: [Hash256], invertAware: Bool = false) -> [UInt16] {
        hashes.map { h in
            let d = query.distanceBitByBit(to: h)
            return UInt16(invertAware ? Swift.min(d, 256 - d) : d)
        }
    }
}
