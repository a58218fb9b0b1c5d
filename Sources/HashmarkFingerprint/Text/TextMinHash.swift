/// A document-level MinHash signature over k-word shingles: fast whole-document near-duplicate
/// screening and corpus de-duplication. (A passage inside new text barely moves it: use the
/// aligned matching for that.)
///
/// Permutation family: each shingle hash `x` is mixed once, `u = upper 32 bits of
/// mix(x ^ seed)` (`TextHash.mix`), then permutation `p` is the multiply–add
/// `a_p·u + b_p (mod 2³²)` with odd `a_p`: a bijection of 32-bit values whose order is decided by
/// its high bits, which are the multiply–shift family's strong bits (Dietzfelbinger et al.).
/// One 16-lane vector multiply covers 16 permutations. `TextFastPathTests` checks on real text
/// that the Jaccard estimate is unbiased with the spread of ideal min-wise permutations.
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
    static func coefficients(_ parameters: TextFingerprintParameters) -> (a: [UInt32], b: [UInt32]) {
        var state = parameters.seed
        var a = [UInt32](), b = [UInt32]()
        for _ in 0..<parameters.permutations {
            state = state &+ 0x9E37_79B9_7F4A_7C15
            let r = TextHash.mix(state)
            a.append(UInt32(truncatingIfNeeded: r >> 32) | 1)
            b.append(UInt32(truncatingIfNeeded: r))
        }
        return (a, b)
    }

    /// The one strong mix per shingle that precedes the cheap permutations.
    static func premix(_ shingles: [UInt64], _ seed: UInt64) -> [UInt32] {
        shingles.map { UInt32(truncatingIfNeeded: TextHash.mix($0 ^ seed) >> 32) }
    }

    /// SIMD kernel: the shingles are mixed once, then 64 permutations (four 16-lane vectors)
    /// per pass over them, multiply–add–min per lane; 16-lane passes, then scalar lanes, cover
    /// the rest.
    public static func signature(shingles: [UInt64], parameters: TextFingerprintParameters) -> TextMinHash {
        let (a, b) = coefficients(parameters)
        let mixed = premix(shingles, parameters.seed)
        var values = [UInt32]()
        values.reserveCapacity(a.count)
        @inline(__always) func lanes(_ from: [UInt32], _ base: Int) -> SIMD16<UInt32> {
            var v = SIMD16<UInt32>(repeating: 0)
            for l in 0..<16 { v[l] = from[base + l] }
            return v
        }
        @inline(__always) func emit(_ m: SIMD16<UInt32>) {
            for l in 0..<16 { values.append(m[l]) }
        }
        mixed.withUnsafeBufferPointer { us in
            var base = 0
            while base + 64 <= a.count {
                let a0 = lanes(a, base), a1 = lanes(a, base + 16), a2 = lanes(a, base + 32), a3 = lanes(a, base + 48)
                let b0 = lanes(b, base), b1 = lanes(b, base + 16), b2 = lanes(b, base + 32), b3 = lanes(b, base + 48)
                var m0 = SIMD16<UInt32>(repeating: .max), m1 = m0, m2 = m0, m3 = m0
                for u in us {
                    let v = SIMD16<UInt32>(repeating: u)
                    m0 = lanewiseMin(m0, a0 &* v &+ b0)
                    m1 = lanewiseMin(m1, a1 &* v &+ b1)
                    m2 = lanewiseMin(m2, a2 &* v &+ b2)
                    m3 = lanewiseMin(m3, a3 &* v &+ b3)
                }
                emit(m0); emit(m1); emit(m2); emit(m3)
                base += 64
            }
            while base + 16 <= a.count {
                let a0 = lanes(a, base), b0 = lanes(b, base)
                var m0 = SIMD16<UInt32>(repeating: .max)
                for u in us { m0 = lanewiseMin(m0, a0 &* SIMD16<UInt32>(repeating: u) &+ b0) }
                emit(m0)
                base += 16
            }
            for p in base..<a.count { values.append(scalarLane(us, a[p], b[p])) }
        }
        return TextMinHash(parameters: parameters, values: values, shingleCount: shingles.count)
    }

    /// `pointwiseMin` on `SIMD16<UInt32>` is not inlined by Swift 6.3 (a call and lane
    /// shuffles per use); compare-and-blend compiles to `vpcmpud` + `vpblendmd`.
    @inline(__always) static func lanewiseMin(_ m: SIMD16<UInt32>, _ v: SIMD16<UInt32>) -> SIMD16<UInt32> {
        m.replacing(with: v, where: v .< m)
    }

    /// Scalar twin of `signature(shingles:parameters:)`, kept to prove the SIMD kernel exact.
    public static func scalarSignature(shingles: [UInt64], parameters: TextFingerprintParameters) -> TextMinHash {
        let (a, b) = coefficients(parameters)
        let mixed = premix(shingles, parameters.seed)
        let values = mixed.withUnsafeBufferPointer { us in a.indices.map { scalarLane(us, a[$0], b[$0]) } }
        return TextMinHash(parameters: parameters, values: values, shingleCount: shingles.count)
    }

    static func scalarLane(_ mixed: UnsafeBufferPointer<UInt32>, _ a: UInt32, _ b: UInt32) -> UInt32 {
        var m = UInt32.max
        for u in mixed { m = min(m, a &* u &+ b) }
        return m
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
