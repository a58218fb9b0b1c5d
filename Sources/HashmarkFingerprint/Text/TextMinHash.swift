/// A document-level MinHash signature over k-word shingles: fast whole-document near-duplicate
/// screening and corpus de-duplication. (A passage inside new text barely moves it: use the
/// aligned matching for that.)
///
/// Permutation `p` maps a shingle hash `x` to `mix(x ^ seed_p)` (`TextHash.mix`, a bijection);
/// the signature keeps the upper 32 bits of each minimum, which equal the minimum of the upper
/// halves, so nothing is lost to the truncation beyond the 32-bit collision rate.
public struct TextMinHash: Sendable, Hashable, Codable {
    public var parameters: TextFingerprintParameters
    /// One value per permutation; `UInt32.max` everywhere for a text without shingles.
    public var values: [UInt32]
    /// Distinct-agnostic count of shingles the signature was made from.
    public var shingleCount: Int

    public init(parameters: TextFingerprintParameters, values: [UInt32], shingleCount: Int) {
        self.parameters = parameters
        self.values = values
        self.shingleCount = shingleCount
    }

    /// The per-permutation seeds, derived from `parameters.seed` by SplitMix64.
    static func seeds(_ parameters: TextFingerprintParameters) -> [UInt64] {
        var state = parameters.seed
        return (0..<parameters.permutations).map { _ in
            state = state &+ 0x9E37_79B9_7F4A_7C15
            return TextHash.mix(state)
        }
    }

    /// SIMD kernel: eight permutations per vector, every shingle against each vector.
    public static func signature(shingles: [UInt64], parameters: TextFingerprintParameters) -> TextMinHash {
        let seeds = seeds(parameters)
        var values = [UInt32]()
        values.reserveCapacity(seeds.count)
        var base = 0
        while base + 8 <= seeds.count {
            var s = SIMD8<UInt64>(repeating: 0)
            for l in 0..<8 { s[l] = seeds[base + l] }
            var minimum = SIMD8<UInt64>(repeating: .max)
            for x in shingles {
                var z = SIMD8<UInt64>(repeating: x) ^ s
                z ^= z &>> 33
                z &*= 0xff51_afd7_ed55_8ccd
                z ^= z &>> 33
                z &*= 0xc4ce_b9fe_1a85_ec53
                z ^= z &>> 33
                minimum = pointwiseMin(minimum, z)
            }
            for l in 0..<8 { values.append(UInt32(truncatingIfNeeded: minimum[l] >> 32)) }
            base += 8
        }
        for p in base..<seeds.count { values.append(scalarLane(shingles, seeds[p])) }
        return TextMinHash(parameters: parameters, values: values, shingleCount: shingles.count)
    }

    /// Scalar twin of `signature(shingles:parameters:)`, kept to prove the SIMD kernel exact.
    public static func scalarSignature(shingles: [UInt64], parameters: TextFingerprintParameters) -> TextMinHash {
        TextMinHash(parameters: parameters, values: seeds(parameters).map { scalarLane(shingles, $0) },
                    shingleCount: shingles.count)
    }

    static func scalarLane(_ shingles: [UInt64], _ seed: UInt64) -> UInt32 {
        var m = UInt64.max
        for x in shingles { m = min(m, TextHash.mix(x ^ seed)) }
        return UInt32(truncatingIfNeeded: m >> 32)
    }

    /// Estimated Jaccard similarity of the two shingle sets: the fraction of equal values.
    /// Two empty texts estimate 0 (nothing shared). Different parameters: `parameter-mismatch`.
    public func jaccard(_ other: TextMinHash) throws(TextFingerprintError) -> Double {
        try parameters.check(compatibleWith: other.parameters)
        guard shingleCount > 0, other.shingleCount > 0, values.count == other.values.count,
              !values.isEmpty else { return 0 }
        var equal = 0
        for i in values.indices where values[i] == other.values[i] { equal += 1 }
        return Double(equal) / Double(values.count)
    }

    /// Big-endian hex of the values, 8 digits each.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(values.count * 8)
        for v in values {
            for shift in stride(from: 28, through: 0, by: -4) { out.append(digits[Int((v >> UInt32(shift)) & 0xF)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses `hex` back; throws `invalid-signature` if it is not `permutations × 8` hex digits.
    public init(hex: String, parameters: TextFingerprintParameters, shingleCount: Int) throws(TextFingerprintError) {
        let bytes = Array(hex.utf8)
        guard bytes.count == parameters.permutations * 8 else {
            throw TextFingerprintError(.invalidSignature, "expected \(parameters.permutations * 8) hex digits")
        }
        var values = [UInt32]()
        for start in stride(from: 0, to: bytes.count, by: 8) {
            guard let v = UInt32(String(decoding: bytes[start..<start + 8], as: UTF8.self), radix: 16) else {
                throw TextFingerprintError(.invalidSignature, "not hex at digit \(start)")
            }
            values.append(v)
        }
        self.init(parameters: parameters, values: values, shingleCount: shingleCount)
    }
}
