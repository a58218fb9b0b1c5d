import HashmarkPrimitives
import Testing

@Suite("Hex")
struct HexTests {
    @Test func roundTripAndStrictness() {
        let bytes: [UInt8] = [0x00, 0x0f, 0xa5, 0xff]
        #expect(Hex.encode(bytes) == "000fa5ff")
        #expect(Hex.decode("000fa5ff") == bytes)
        #expect(Hex.decode("000FA5FF") == nil)
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.isSHA256(String(repeating: "0", count: 64)))
        #expect(!Hex.isSHA256(String(repeating: "0", count: 63)))
    }

    @Test func everyByteRoundTrips() {
        let bytes = (0...255).map { UInt8($0) }
        let text = Hex.encode(bytes)
        #expect(text.utf8.count == 512)
        #expect(text.hasPrefix("000102") && text.hasSuffix("fdfeff"))
        #expect(Hex.decode(text) == bytes)
        #expect(Hex.encode([UInt8]()) == "" && Hex.decode("") == [])
        #expect(Hex.decode("0g") == nil)
    }
}
