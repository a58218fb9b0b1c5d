import HashmarkMedia
import Testing

@Suite("Hostile and malformed image input")
struct MalformedInputTests {
    static let malformed = MediaFixtures.names { $0.error != nil }

    @Test func fixturesArePresent() { #expect(Self.malformed.count >= 13) }

    @Test(arguments: malformed)
    func failsWithTheSpecificCode(_ name: String) throws {
        let expectedCode = try #require(MediaFixtures.expected[name]?.error)
        let bytes = try MediaFixtures.bytes(name)
        do {
            let decoded = try ImageDecoder.decode(bytes)
            Issue.record("\(name) decoded as \(decoded.image.width)×\(decoded.image.height); expected \(expectedCode)")
        } catch {
            #expect(error.code == expectedCode, "\(name): \(error)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test func fileSizeIsCheckedFirst() throws {
        let limits = ImageLimits(maxPixels: 64_000_000, maxFileBytes: 1000)
        // Checked before sniffing: even garbage reports the size, and the path API refuses from fstat.
        for name in ["chelsea.jpg", "random-garbage.jpg"] {
            let bytes = try MediaFixtures.bytes(name)
            #expect(mediaError { _ = try ImageDecoder.decode(bytes, limits: limits) }?.code == "file-too-large")
        }
        let path = MediaFixtures.path("chelsea.jpg")
        #expect(mediaError { _ = try ImageDecoder.decode(contentsOfFile: path, limits: limits) }?.code == "file-too-large")
    }

    @Test(arguments: ["chelsea.jpg", "rgb8.png", "lossy.webp", "two-frames.gif"])
    func pixelLimitAppliesToEveryFormat(_ name: String) throws {
        let limits = ImageLimits(maxPixels: 1000)
        let bytes = try MediaFixtures.bytes(name)
        let error = mediaError { _ = try ImageDecoder.decode(bytes, limits: limits) }
        #expect(error?.code == "too-many-pixels", "\(name): \(String(describing: error))")
    }

    @Test func missingFileIsAnIOError() {
        do {
            _ = try ImageDecoder.decode(contentsOfFile: MediaFixtures.path("does-not-exist.png"))
            Issue.record("expected io-error")
        } catch { #expect(error.code == "io-error") }
    }

    /// Every prefix of a real file either decodes or fails with a typed error: never a crash.
    @Test(arguments: ["chelsea.jpg", "rgb8-interlaced.png", "lossless.webp", "interlaced.gif"])
    func everyTruncationFailsCleanly(_ name: String) throws {
        let bytes = try MediaFixtures.bytes(name)
        let allowed: Set<String> = ["truncated", "corrupt-image", "unknown-format", "unsupported-media", "empty-file"]
        var failures = 0
        for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 97)) {
            do {
                _ = try ImageDecoder.decode(Array(bytes[..<cut]))
            } catch {
                failures += 1
                #expect(allowed.contains(error.code), "\(name) cut at \(cut): \(error)")
            }
        }
        #expect(failures > 90)
    }
}

@Suite("Undetectable corruption")
struct UndetectableCorruptionTests {
    /// 64 random non-0xFF bytes in the middle of the scan: libjpeg sees valid Huffman codes, so the
    /// file decodes. The rows above the damage must match the intact file; the rest must not.
    @Test func garbledScanDecodesWithDamageOnlyBelowIt() throws {
        let intact = try ImageDecoder.decode(MediaFixtures.bytes("chelsea.jpg")).image
        let damaged = try ImageDecoder.decode(MediaFixtures.bytes("corrupt-scan-undetectable.jpg")).image
        #expect(damaged.width == intact.width && damaged.height == intact.height)
        let rowBytes = intact.width * 3
        #expect(damaged.pixels[..<(rowBytes * 16)] == intact.pixels[..<(rowBytes * 16)])
        #expect(damaged.pixels[(rowBytes * 200)...] != intact.pixels[(rowBytes * 200)...])
    }
}

@Suite("Mutated headers")
struct MutationTests {
    /// SplitMix64: a fixed seed makes every run try the same mutations.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// 300 files per format with 1–4 bytes of the first 600 changed: each decodes or fails with a
    /// known code. A crash, hang or untyped error here is a decoder bug.
    @Test(arguments: ["chelsea.jpg", "exif-orientation-6.jpg", "rgb8-interlaced.png", "palette.png",
                      "lossy.webp", "lossless.webp", "two-frames.gif"])
    func mutationsFailCleanly(_ name: String) throws {
        let original = try MediaFixtures.bytes(name)
        var rng = SplitMix(state: UInt64(original.count))
        let known: Set<String> = ["truncated", "corrupt-image", "unknown-format", "unsupported-media",
                                  "too-many-pixels"]
        let limits = ImageLimits(maxPixels: 2_000_000)
        var outcomes: [String: Int] = [:]
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 0..<min(600, bytes.count), using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if let error = mediaError({ _ = try ImageDecoder.decode(bytes, limits: limits) }) {
                #expect(known.contains(error.code), "\(name): \(error)")
                outcomes[error.code, default: 0] += 1
            } else {
                outcomes["decoded", default: 0] += 1
            }
        }
        #expect(outcomes.values.reduce(0, +) == 300)
        #expect(outcomes.count >= 2, "mutations should both break and spare the file: \(outcomes)")
    }
}
