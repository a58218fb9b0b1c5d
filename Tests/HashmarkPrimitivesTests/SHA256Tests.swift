import HashmarkPrimitives
import Testing

/// The package's one SHA-256 (OpenSSL EVP): NIST known answers, padding boundaries, and
/// incremental updates (any chunking, copies mid-stream) equal to the one-shot digest.
@Suite("SHA-256 known answers")
struct SHA256Tests {
    /// FIPS 180-4 / NIST CAVP examples: "", "abc", the 448-bit message, one million "a".
    @Test func fipsVectors() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Padding boundaries; expected values from Python's hashlib over bytes `(7i + 3) mod 256`.
    @Test(arguments: [
        (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (1, "084fed08b978af4d7d196a7446a86b58009e636b611db16211b65a9aadff29c5"),
        (55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"),
        (56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"),
        (63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"),
        (64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"),
        (65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e"),
        (119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"),
        (120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"),
        (1000, "1e9bc38cbf860b9ec31918b065f9b52476c549a782e0e7990bed8ce3868d2371"),
    ])
    func boundaries(length: Int, expected: String) {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
        #expect(SHA256.hex(bytes) == expected)
        // Any split into chunks (including non-contiguous sequences) gives the same digest.
        for chunk in [1, 3, 63, 64, 65] {
            var h = SHA256()
            var i = 0
            while i < length {
                let end = min(length, i + chunk)
                if chunk == 3 { h.update(bytes[i..<end].lazy.map { $0 }) } else { h.update(bytes[i..<end]) }
                i = end
            }
            #expect(Hex.encode(h.finalize()) == expected, "chunk \(chunk)")
        }
    }

    @Test func oneShotForms() {
        let bytes = Array("abc".utf8)
        let digest = SHA256.hash(bytes)
        #expect(digest.count == 32)
        #expect(Hex.encode(digest) == SHA256.hex(bytes))
        #expect(SHA256.hex(bytes[...]) == SHA256.hex(bytes))
        #expect(bytes.withUnsafeBytes { raw in
            var h = SHA256()
            h.update(raw)
            return Hex.encode(h.finalize())
        } == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// A copy taken mid-stream continues on its own; a finalized hasher starts again from empty.
    @Test func copiesAreIndependentAndFinalizeRearms() {
        var h = SHA256()
        h.update(Array("ab".utf8))
        var copy = h
        h.update(Array("c".utf8))
        copy.update(Array("x".utf8))
        #expect(Hex.encode(h.finalize()) == SHA256.hex(Array("abc".utf8)))
        #expect(Hex.encode(copy.finalize()) == SHA256.hex(Array("abx".utf8)))
        #expect(Hex.encode(h.finalize()) == SHA256.hex([UInt8]()))
    }

    /// Fields end in a 0 byte; integers are 8 bytes big-endian.
    @Test func fieldAndIntegerEncodings() {
        var h = SHA256()
        h.updateField("ab")
        h.update(Int64(258))
        #expect(Hex.encode(h.finalize()) == SHA256.hex([0x61, 0x62, 0, 0, 0, 0, 0, 0, 0, 1, 2]))
    }
}
