import Foundation
import HashmarkFingerprint
import Testing

/// The fast paths against their references on real text: the normaliser's ASCII path against the
/// full per-scalar fold, and the cheap MinHash permutation family against exact Jaccard.
@Suite("Text fast paths")
struct TextFastPathTests {
    static let fixtureNames: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TextFixtures.directory.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.sorted()
    }()

    /// Cheap evasions written into real text, so the non-ASCII path runs inside and between
    /// ASCII words: Cyrillic/Greek look-alikes, zero-width and format characters, fullwidth
    /// forms, combining accents, ligatures, no-break spaces, and (optionally) invalid bytes.
    static func disguise(_ bytes: [UInt8], seed: UInt64, invalidBytes: Bool) -> [UInt8] {
        var rng = SplitMix(seed: seed)
        let lookalike: [UInt8: String] = [0x61: "\u{0430}", 0x65: "\u{0435}", 0x6F: "\u{03BF}",
                                          0x70: "\u{0440}", 0x63: "\u{0441}", 0x78: "\u{0445}",
                                          0x69: "\u{0456}", 0x48: "\u{041D}"]
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            let r = rng.next() % 100
            if b < 0x80, r < 4, let l = lookalike[b] {
                out += Array(l.utf8)
            } else if b < 0x80, r == 4, (0x61...0x7A).contains(b) {
                out += Unicode.Scalar(UInt32(b) - 0x61 + 0xFF41).map { Array(String($0).utf8) } ?? [b] // fullwidth
            } else if r == 5, b < 0x80 {
                out.append(b)
                out += Array("\u{200B}".utf8)
            } else if r == 6, (0x61...0x7A).contains(b) {
                out.append(b)
                out += Array("\u{0301}".utf8)
            } else if r == 7, b == 0x20 {
                out += Array("\u{00A0}".utf8)
            } else if r == 8, b < 0x80, b != 0x20 {
                out += Array("\u{00AD}".utf8) + [b] // soft hyphen
            } else if r == 9, b < 0x80, invalidBytes {
                out += [b, 0xFF]
            } else if r == 10, b < 0x80, invalidBytes {
                out += [b, 0xE2, 0x80] // truncated sequence
            } else {
                out.append(b)
            }
        }
        return out
    }

    @Test func fastNormaliserEqualsReferenceOnRealTexts() throws {
        #expect(Self.fixtureNames.count >= 10)
        for (i, name) in Self.fixtureNames.enumerated() {
            let bytes = try TextFixtures.bytes(name)
            let fast = TextNormalizer.normalize(utf8: bytes)
            #expect(fast == TextNormalizer.referenceNormalize(utf8: bytes), "\(name)")
            #expect(fast.wordCount > 1000)
            for invalid in [false, true] {
                let edited = Self.disguise(bytes, seed: UInt64(i) * 2 + (invalid ? 1 : 0), invalidBytes: invalid)
                let f = TextNormalizer.normalize(utf8: edited), r = TextNormalizer.referenceNormalize(utf8: edited)
                #expect(f == r, "\(name) disguised, invalid bytes: \(invalid)")
                #expect((f.replacedBytes > 0) == invalid)
            }
        }
    }

    @Test func disguisedTextFoldsBackToTheOriginalWords() throws {
        let bytes = try TextFixtures.bytes("r-cran-janeaustenr__austen_emma_02.txt")
        let plain = TextNormalizer.normalize(utf8: bytes)
        let disguised = TextNormalizer.normalize(utf8: Self.disguise(bytes, seed: 99, invalidBytes: false))
        #expect(plain.wordCount > 3000)
        #expect(disguised.wordHashes == plain.wordHashes)
        #expect(disguised.byteCount > plain.byteCount)
    }

    @Test func fastNormaliserEqualsReferenceOnEdgeInputs() {
        let cases: [[UInt8]] = [[], [0x41], [0x20], [0xC3], [0xC3, 0xA9], Array("a\u{200B}".utf8),
                                Array("\u{200B}a".utf8), Array("AB\u{0301}C d".utf8), [0x61, 0xFF, 0x62],
                                Array("x\u{FB01}y \u{33C2} ⅻ".utf8), Array(repeating: 0x7A, count: 65)]
        for c in cases {
            #expect(TextNormalizer.normalize(utf8: c) == TextNormalizer.referenceNormalize(utf8: c), "\(c)")
        }
        var rng = SplitMix(seed: 5)
        for length in [1, 2, 3, 7, 63, 64, 65, 500] {
            for _ in 0..<40 {
                // Mostly ASCII letters and spaces with some high bytes, to cross the fast/slow border often.
                let bytes = (0..<length).map { _ -> UInt8 in
                    let r = rng.next()
                    switch r % 8 {
                    case 0: return 0x20
                    case 1: return UInt8(truncatingIfNeeded: r >> 8) | 0x80
                    default: return UInt8(truncatingIfNeeded: r >> 8) & 0x7F
                    }
                }
                #expect(TextNormalizer.normalize(utf8: bytes) == TextNormalizer.referenceNormalize(utf8: bytes))
            }
        }
    }

    /// Pairs of overlapping windows of real texts (Jaccard from about 0.05 to 0.9) and pairs
    /// from different texts (about 0), each with its own permutation seed so the errors are
    /// independent: the mean error must stay near 0 (unbiased) and the spread near the
    /// binomial √(J(1−J)/128) of ideal min-wise permutations.
    @Test func minHashJaccardIsUnbiasedOnRealTextPairs() throws {
        let texts = try Self.fixtureNames.map { TextNormalizer.normalize(utf8: try TextFixtures.bytes($0)).wordHashes }
        var params = TextFingerprintParameters.default
        var errors = [Double](), variances = [Double]()
        var rng = SplitMix(seed: 17)
        for trial in 0..<240 {
            let t = texts[trial % texts.count]
            let length = 600
            let a: [UInt64], b: [UInt64]
            if trial % 6 == 5 {
                let u = texts[(trial + 1) % texts.count]
                a = Array(t.prefix(length)); b = Array(u.prefix(length))
            } else {
                let shift = Int(rng.next() % UInt64(length))
                let start = Int(rng.next() % UInt64(t.count - length - shift))
                a = Array(t[start..<start + length]); b = Array(t[start + shift..<start + shift + length])
            }
            let ha = TextShingler.shingleHashes(a, k: 5), hb = TextShingler.shingleHashes(b, k: 5)
            let sa = Set(ha), sb = Set(hb)
            let exact = Double(sa.intersection(sb).count) / Double(sa.union(sb).count)
            params.seed = rng.next()
            let estimate = try TextMinHash.signature(shingles: ha, parameters: params)
                .jaccard(TextMinHash.signature(shingles: hb, parameters: params))
            errors.append(estimate - exact)
            variances.append(exact * (1 - exact) / Double(params.permutations))
        }
        let n = Double(errors.count)
        let meanError = errors.reduce(0, +) / n
        let rms = (errors.map { $0 * $0 }.reduce(0, +) / n).squareRoot()
        let idealRMS = (variances.reduce(0, +) / n).squareRoot()
        // Standard error of the mean is idealRMS/√240 ≈ 0.0023 here: 0.01 is over 4 of them.
        #expect(abs(meanError) < 0.01, "mean error \(meanError)")
        #expect(rms < idealRMS * 1.25 && rms > idealRMS * 0.75, "rms \(rms) vs ideal \(idealRMS)")
    }
}
