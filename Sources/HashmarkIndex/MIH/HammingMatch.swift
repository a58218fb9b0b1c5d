import HashmarkFingerprint

/// One hit of a radius search over 256-bit hashes.
public struct HammingMatch: Sendable, Hashable, Comparable {
    /// Position of the hash in the array the index (or scan) was built from.
    public var index: Int
    /// Hamming distance to the query, or to its complement when `inverted`.
    public var distance: Int
    /// `true` when the hash matched the complement of the query (an inverted copy).
    public var inverted: Bool

    public init(index: Int, distance: Int, inverted: Bool = false) {
        self.index = index
        self.distance = distance
        self.inverted = inverted
    }

    public static func < (a: HammingMatch, b: HammingMatch) -> Bool {
        (a.index, a.distance, a.inverted ? 1 : 0) < (b.index, b.distance, b.inverted ? 1 : 0)
    }
}

/// The brute-force oracle: compares the query with every hash.
///
/// Exact by construction; `MultiIndexHash256` must return the same set for every radius, which
/// the tests check. Also the right choice for tiny corpora and for radii ≥ 64.
public enum HammingScan {
    /// All `i` with `distance(hashes[i], query) <= radius`, ascending by index. With
    /// `invertAware`, also those within `radius` of `query.inverted` (flagged `inverted`); a hash
    /// within reach of both reports the smaller distance.
    public static func search(_ hashes: [Hash256], query: Hash256, radius: Int,
                              invertAware: Bool = false) -> [HammingMatch] {
        guard radius >= 0 else { return [] }
        var out: [HammingMatch] = []
        hashes.withUnsafeBufferPointer { buf in
            for i in buf.indices {
                let d = buf[i].distance(to: query)
                if invertAware, 256 - d < d {
                    if 256 - d <= radius { out.append(HammingMatch(index: i, distance: 256 - d, inverted: true)) }
                } else if d <= radius {
                    out.append(HammingMatch(index: i, distance: d))
                }
            }
        }
        return out
    }
}
