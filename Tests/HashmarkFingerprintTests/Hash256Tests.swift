import HashmarkFingerprint
import Testing

@Suite struct Hash256Tests {
    @Test func hexRoundTripsAndBitZeroIsTheFirstDigitsTopBit() throws {
        var h = Hash256.zero
        h[bit: 0] = true
        h[bit: 255] = true
        #expect(h.hex == "8" + String(repeating: "0", count: 62) + "1")
        let parsed = try #require(Hash256(hex: h.hex.uppercased()))
        #expect(parsed == h)
        #expect(Hash256(hex: "xyz") == nil)
        #expect(h.inverted.inverted == h)
    }
}
