import Foundation
import HashmarkFingerprint
import Testing

@Suite("Text shingles, winnowing and MinHash")
struct TextShingleTests {
    static let params = TextFingerprintParameters.default

    func randomWords(_ n: Int, _ rng: inout SplitMix, vocabulary: UInt64 = 50) -> [UInt64] {
        (0..<n).map { _ in TextHash.mix(rng.next() % vocabulary) }
    }

    @Test func rollingHashEqualsFreshHashOfEachWindow() {
        var rng = SplitMix(seed: 1)
        let words = randomWords(300, &rng)
        for k in [1, 2, 4, 5, 9] {
            let rolled = TextShingler.shingleHashes(words, k: k)
            #expect(rolled.count == words.count - k + 1)
            for i in rolled.indices {
                #expect(rolled[i] == TextShingler.shingleHashes(Array(words[i..<i + k]), k: k)[0])
            }
        }
        #expect(TextShingler.shingleHashes(Array(words.prefix(3)), k: 4).isEmpty)
    }

    /// Brute-force winnowing: the rightmost minimum of every window, positions deduplicated.
    func bruteWinnow(_ h: [UInt64], w: Int) -> [TextShingle] {
        guard !h.isEmpty else { return [] }
        let win = min(w, h.count)
        var out = [TextShingle](), last = -1
        for s in 0...(h.count - win) {
            var best = s
            for i in s..<s + win where h[i] <= h[best] { best = i }
            if best != last { out.append(TextShingle(hash: h[best], position: UInt32(best))); last = best }
        }
        return out
    }

    @Test func winnowingEqualsBruteForce() {
        var rng = SplitMix(seed: 2)
        for n in [0, 1, 2, 3, 10, 500] {
            for w in [1, 2, 3, 4, 8] {
                // Small vocabulary: many ties, the case where "rightmost" matters.
                let h = (0..<n).map { _ in rng.next() % 5 }
                #expect(TextShingler.winnow(h, w: w) == bruteWinnow(h, w: w))
            }
        }
        var big = SplitMix(seed: 3)
        let h = (0..<5000).map { _ in big.next() }
        #expect(TextShingler.winnow(h, w: 3) == bruteWinnow(h, w: 3))
    }

    @Test func everySharedRunOfWPlusKMinusOneWordsIsSeeded() {
        var rng = SplitMix(seed: 4)
        let k = Self.params.k, w = Self.params.w, run = w + k - 1
        for trial in 0..<300 {
            let corpus = randomWords(400, &rng, vocabulary: 1 << 40)
            let start = Int(rng.next() % UInt64(corpus.count - run))
            let query = randomWords(50, &rng, vocabulary: 1 << 40) + corpus[start..<start + run]
                + randomWords(50, &rng, vocabulary: 1 << 40)
            let kept = Set(TextShingler.winnow(TextShingler.shingleHashes(corpus, k: k), w: w).map(\.hash))
            let queryShingles = TextShingler.shingleHashes(query, k: k)
            let found = queryShingles[50...(50 + run - k)].contains { kept.contains($0) }
            #expect(found, "trial \(trial): shared run at \(start) not seeded")
        }
    }

    @Test(arguments: [0, 1, 63, 64, 65, 1000])
    func simdMinHashEqualsScalarTwin(length: Int) {
        var rng = SplitMix(seed: UInt64(length) + 11)
        let shingles = (0..<length).map { _ in rng.next() }
        for permutations in [8, 16, 24, 80, 128, 12] { // scalar, 16-lane and 64-lane kernels, remainders
            var p = Self.params
            p.permutations = permutations
            let simd = TextMinHash.signature(shingles: shingles, parameters: p)
            let scalar = TextMinHash.scalarSignature(shingles: shingles, parameters: p)
            #expect(simd == scalar)
            #expect(simd.values.count == permutations)
        }
        // Unaligned: a slice starting at an odd offset.
        let slice = Array(shingles.dropFirst(min(1, length)))
        #expect(TextMinHash.signature(shingles: slice, parameters: Self.params)
                == TextMinHash.scalarSignature(shingles: slice, parameters: Self.params))
    }

    @Test func minHashEstimatesJaccardOnRealText() throws {
        let text = try TextFixtures.normalized("r-cran-tokenizers__mobydick_03.txt")
        let a = Array(text.wordHashes[0..<2400]), b = Array(text.wordHashes[800..<3200])
        let ha = TextShingler.shingleHashes(a, k: 4), hb = TextShingler.shingleHashes(b, k: 4)
        let sa = Set(ha), sb = Set(hb)
        let exact = Double(sa.intersection(sb).count) / Double(sa.union(sb).count)
        let estimate = try TextMinHash.signature(shingles: ha, parameters: Self.params)
            .jaccard(TextMinHash.signature(shingles: hb, parameters: Self.params))
        #expect(abs(estimate - exact) < 0.12, "estimate \(estimate) exact \(exact)")
        let sig = TextMinHash.signature(shingles: ha, parameters: Self.params)
        #expect(try TextMinHash(hex: sig.hex, parameters: Self.params, shingleCount: ha.count) == sig)
    }

    @Test func differentParametersRefuseToCompare() throws {
        var other = Self.params
        other.seed ^= 1
        let a = TextMinHash.signature(shingles: [1, 2, 3], parameters: Self.params)
        let b = TextMinHash.signature(shingles: [1, 2, 3], parameters: other)
        #expect(throws: TextFingerprintError.self) { try a.jaccard(b) }
        #expect(throws: TextFingerprintError.self) { try Self.params.check(compatibleWith: other) }
        #expect(try a.jaccard(a) == 1)
    }

    @Test func summaryOfRealText() throws {
        let bytes = try TextFixtures.bytes("sword-text-web__WEB_Ruth.txt")
        let s = try TextFingerprintSummary.make(utf8: bytes)
        #expect(s.tokens == TextNormalizer.normalize(utf8: bytes).wordCount)
        #expect(s.shingles == s.tokens - Self.params.k + 1)
        #expect(s.winnowedShingles > s.shingles / 3 && s.winnowedShingles < s.shingles * 2 / 3)
        #expect(s.minhash.count == Self.params.permutations * 8)
        #expect(s.algorithm == Self.params.algorithm)
    }
}

enum TextFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/text")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func normalized(_ name: String) throws -> NormalizedText {
        TextNormalizer.normalize(utf8: try bytes(name))
    }
}
