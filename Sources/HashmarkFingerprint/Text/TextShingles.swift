/// 64-bit mixing shared by word hashes, shingle hashes and MinHash permutations.
public enum TextHash {
    /// MurmurHash3's 64-bit finaliser: a bijection that spreads every input bit over the output.
    @inlinable public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z ^= z >> 33
        z = z &* 0xff51_afd7_ed55_8ccd
        z ^= z >> 33
        z = z &* 0xc4ce_b9fe_1a85_ec53
        z ^= z >> 33
        return z
    }
}

/// Parameters of the text fingerprint. Fingerprints made with different parameters are never
/// compared: `check(compatibleWith:)` throws `parameter-mismatch` instead.
public struct TextFingerprintParameters: Sendable, Hashable, Codable {
    /// Algorithm id: changes whenever hashing or folding changes, so stored postings are rebuilt.
    public var algorithm: String
    /// Words per shingle.
    public var k: Int
    /// Winnowing window, in shingles: the corpus keeps one minimum per window, so every run of
    /// at least `w + k − 1` words shared with a query yields at least one matching seed.
    public var w: Int
    /// MinHash permutations (a multiple of 8). Since v2 one mix per shingle, then 32-bit
    /// multiply–add permutations (v1 mixed once per permutation).
    public var permutations: Int
    /// Seed of the MinHash permutations.
    public var seed: UInt64

    /// Defaults: k = 4 keeps seeds alive under 30 % word substitution (an intact 4-gram has
    /// probability 0.7⁴ ≈ 0.24) while 4-grams are rare enough to be selective; w = 3 keeps half
    /// the shingles and guarantees detection of any shared run of ≥ 6 words.
    public static let `default` = TextFingerprintParameters(
        algorithm: "hashmark-text-v2/" + TextFold.tableVersion, k: 4, w: 3, permutations: 128,
        seed: 0x4861_7368_6d61_726b)

    public init(algorithm: String, k: Int, w: Int, permutations: Int, seed: UInt64) {
        self.algorithm = algorithm
        self.k = k
        self.w = w
        self.permutations = permutations
        self.seed = seed
    }

    /// Throws `parameter-mismatch` unless both sides were made the same way.
    public func check(compatibleWith other: TextFingerprintParameters) throws(TextFingerprintError) {
        guard self == other else {
            throw TextFingerprintError(.parameterMismatch,
                                       "text fingerprints made with different parameters: \(self) vs \(other)")
        }
    }

    /// Throws `invalid-parameters` for values the algorithms cannot use.
    public func validate() throws(TextFingerprintError) {
        guard k >= 1, k <= 64, w >= 1, w <= 4096, permutations >= 8, permutations % 8 == 0,
              permutations <= 4096 else {
            throw TextFingerprintError(.invalidParameters, "invalid text fingerprint parameters: \(self)")
        }
    }
}

/// A shingle hash chosen from the corpus side, at a word position.
public struct TextShingle: Sendable, Hashable {
    public var hash: UInt64
    /// Index of the shingle's first word.
    public var position: UInt32

    public init(hash: UInt64, position: UInt32) {
        self.hash = hash
        self.position = position
    }
}

public enum TextShingler {
    static let base: UInt64 = 0x9E37_79B9_7F4A_7C15 | 1

    /// Hash of every k-word shingle (`count − k + 1` of them, none when there are fewer than k
    /// words), by a polynomial rolling hash over the word hashes, then mixed.
    public static func shingleHashes(_ words: [UInt64], k: Int) -> [UInt64] {
        guard k >= 1, words.count >= k else { return [] }
        var out = [UInt64](repeating: 0, count: words.count - k + 1)
        var top: UInt64 = 1 // base^(k-1)
        for _ in 1..<k { top = top &* base }
        var h: UInt64 = 0
        for j in 0..<k { h = h &* base &+ words[j] }
        out[0] = TextHash.mix(h)
        var i = 1
        while i + k <= words.count {
            h = (h &- words[i - 1] &* top) &* base &+ words[i + k - 1]
            out[i] = TextHash.mix(h)
            i += 1
        }
        return out
    }

    /// Winnowing (Schleimer, Wilkerson & Aiken 2003): in every window of `w` consecutive
    /// shingles, keep the minimum (the rightmost on ties), each chosen position once. A sequence
    /// shorter than one window keeps its minimum.
    public static func winnow(_ hashes: [UInt64], w: Int) -> [TextShingle] {
        guard !hashes.isEmpty, w >= 1 else { return [] }
        let window = min(w, hashes.count)
        var out = [TextShingle]()
        out.reserveCapacity(hashes.count * 2 / (window + 1) + 1)
        // Monotone deque of indices with increasing hash values (front = window minimum); it
        // only ever moves forward, so one buffer of n indices holds it without wrapping.
        var deque = [Int](repeating: 0, count: hashes.count)
        hashes.withUnsafeBufferPointer { h in
            deque.withUnsafeMutableBufferPointer { dq in
                var head = 0, tail = 0, lastChosen = -1
                for i in 0..<h.count {
                    let x = h[i]
                    while tail > head, h[dq[tail - 1]] >= x { tail -= 1 }
                    dq[tail] = i
                    tail += 1
                    if dq[head] <= i - window { head += 1 }
                    if i >= window - 1, dq[head] != lastChosen {
                        lastChosen = dq[head]
                        out.append(TextShingle(hash: h[lastChosen], position: UInt32(truncatingIfNeeded: lastChosen)))
                    }
                }
            }
        }
        return out
    }

    /// The corpus side of a work: its winnowed shingles.
    public static func corpusShingles(_ text: NormalizedText,
                                      parameters: TextFingerprintParameters = .default) -> [TextShingle] {
        winnow(shingleHashes(text.wordHashes, k: parameters.k), w: parameters.w)
    }
}
