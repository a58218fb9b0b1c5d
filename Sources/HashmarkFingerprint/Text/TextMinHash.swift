/// A document-level MinHash signature over k-word shingles: fast whole-document near-duplicate
/// screening and corpus de-duplication. (A passage inside new text barely moves it: use the
/// aligned matching for that.)
///
/// Permutation family: each shingle hash `x` is mixed once, `y = mix(x ^ seed)` (`TextHash.mix`,
/// a bijection), then permutation `p` is the multiply–add `a_p·y + b_p (mod 2⁶⁴)` with odd `a_p`
/// (also a bijection), one vector multiply per 8 permutations. The signature keeps the upper
/// 32 bits of each minimum, which equal the minimum of the upper halves (the multiply–shift
/// family's strong bits), so nothing is lost to the truncation beyond the 32-bit collision rate.
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

    /// The permutations' multipliers (odd) and addends, derived from `parameters.seed` by
    /// SplitMix64; `permutations` of each.
    static func coefficients(_ parameters: TextFingerprintParameters) -> (a: [UInt64], b: [UInt64]) {
        var state = parameters.seed
        func next() -> UInt64 {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            return TextHash.mix(state)
        }
        var a = [UInt64](), b = [UInt64]()
        for _ in 0..<parameters.permutations {
            a.append(next() | 1)
            b.append(next())
        }
        return (a, b)
    }

    /// The one strong mix per shingle that precedes the cheap permutations.
    @inline(__always) static func premix(_ x: UInt64, _ seed: UInt64) -> UInt64 {
        TextHash.mix(x ^ seed)
    }

    /// SIMD kernel: the shingles are mixed once, then 32 permutations (four 8-lane vectors) per
    /// pass over them, multiply–add–min per lane; a final pass of 8 lanes covers the rest.
    public static func signature(shingles: [UInt64], parameters: TextFingerprintParameters) -> TextMinHash {
        let (a, b) = coefficients(parameters)
        let seed = parameters.seed
        let mixed = shingles.map { premix($0, seed) }
        var values = [UInt32]()
        values.reserveCapacity(a.count)
        @inline(__always) func lanes(_ from: [UInt64], _ base: Int) -> SIMD8<UInt64> {
            var v = SIMD8<UInt64>(repeating: 0)
            for l in 0..<8 { v[l] = from[base + l] }
            return v
        }
        @inline(__always) func emit(_ m: SIMD8<UInt64>) {
            for l in 0..<8 { values.append(UInt32(truncatingIfNeeded: m[l] >> 32)) }
        }
        mixed.withUnsafeBufferPointer { ys in
            var base = 0
            while base + 32 <= a.count {
                let a0 = lanes(a, base), a1 = lanes(a, base + 8), a2 = lanes(a, base + 16), a3 = lanes(a, base + 24)
                let b0 = lanes(b, base), b1 = lanes(b, base + 8), b2 = lanes(b, base + 16), b3 = lanes(b, base + 24)
                var m0 = SIMD8<UInt64>(repeating: .max), m1 = m0, m2 = m0, m3 = m0
                for y in ys {
                    let v = SIMD8<UInt64>(repeating: y)
                    m0 = pointwiseMin(m0, a0 &* v &+ b0)
                    m1 = pointwiseMin(m1, a1 &* v &+ b1)
                    m2 = pointwiseMin(m2, a2 &* v &+ b2)
                    m3 = pointwiseMin(m3, a3 &* v &+ b3)
                }
                emit(m0); emit(m1); emit(m2); emit(m3)
                base += 32
            }
            while base + 8 <= a.count {
                let a0 = lanes(a, base), b0 = lanes(b, base)
                var m0 = SIMD8<UInt64>(repeating: .max)
                for y in ys { m0 = pointwiseMin(m0, a0 &* SIMD8<UInt64>(repeating: y) &+ b0) }
                emit(m0)
                base += 8
            }
            for p in base..<a.count { values.append(scalarLane(ys, a[p], b[p])) }
        }
        return TextMinHash(parameters: parameters, values: values, shingleCount: shingles.count)
    }

    /// Scalar twin of `signature(shingles:parameters:)`, kept to prove the SIMD kernel exact.
    public static func scalarSignature(shingles: [UInt64], parameters: TextFingerprintParameters) -> TextMinHash {
        let (a, b) = coefficients(parameters)
        let mixed = shingles.map { premix($0, parameters.seed) }
        let values = mixed.withUnsafeBufferPointer { ys in a.indices.map { scalarLane(ys, a[$0], b[$0]) } }
        return TextMinHash(parameters: parameters, values: values, shingleCount: shingles.count)
    }

    static func scalarLane(_ mixed: UnsafeBufferPointer<UInt64>, _ a: UInt64, _ b: UInt64) -> UInt32 {
        var m = UInt64.max
        for y in mixed { m = min(m, a &* y &+ b) }
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
