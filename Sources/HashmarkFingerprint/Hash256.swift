/// A 256-bit perceptual hash (PDQ, or a 256-bit binary descriptor).
///
/// Bit numbering follows ThreatExchange's hex: bit `i` (index `i` of `pdqhash`'s bit vector) is
/// bit `63 - i % 64` of `words[i / 64]`, so the hex string is the four words printed big-endian,
/// `words[0]` first: bit 0 is the most significant bit of the first hex digit.
public struct Hash256: Hashable, Sendable {
    /// The 256 bits as four 64-bit words, `words[0]` holding bits 0…63.
    public var words: SIMD4<UInt64>

    public init(words: SIMD4<UInt64>) { self.words = words }

    /// The all-zero hash.
    public static let zero = Hash256(words: .zero)

    /// Bit `i` (0…255) in ThreatExchange order.
    @inlinable public subscript(bit i: Int) -> Bool {
        get { (words[i >> 6] >> UInt64(63 - (i & 63))) & 1 == 1 }
        set {
            let mask: UInt64 = 1 << UInt64(63 - (i & 63))
            if newValue { words[i >> 6] |= mask } else { words[i >> 6] &= ~mask }
        }
    }

    /// Parses 64 hex digits (either case); `nil` for anything else.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var w = SIMD4<UInt64>.zero
        for (i, c) in utf8.enumerated() {
            let v: UInt64
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt64(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = UInt64(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = UInt64(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
            w[i >> 4] = (w[i >> 4] << 4) | v
        }
        words = w
    }

    /// 64 lower-case hex digits, ThreatExchange's format.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for k in 0..<4 {
            let word = words[k]
            for nibble in stride(from: 60, through: 0, by: -4) {
                out.append(digits[Int((word >> UInt64(nibble)) & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bitwise complement: what an inverted (negative) image hashes to under PDQ.
    public var inverted: Hash256 { Hash256(words: ~words) }
}
