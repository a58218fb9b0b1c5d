import Foundation
import HashmarkFingerprint
import HashmarkIndex
import HashmarkTestSupport
import Testing

@Suite("Text shingle index")
struct TextShingleIndexTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/text")

    static func works() throws -> [(id: Int32, text: NormalizedText, bytes: [UInt8])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".txt") }.sorted()
        return try names.enumerated().map { i, name in
            let bytes = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
            return (Int32(i * 3 - 5), TextNormalizer.normalize(utf8: bytes), bytes) // negative ids too
        }
    }

    static func postings(_ works: [(id: Int32, text: NormalizedText, bytes: [UInt8])]) -> [TextPosting] {
        works.flatMap { w in
            TextShingler.corpusShingles(w.text).map { TextPosting(work: w.id, hash: $0.hash, position: $0.position) }
        }
    }

    @Test func lookupsEqualABruteForceScanOfAllPostings() throws {
        let works = try Self.works()
        var rows = Self.postings(works)
        rows += rows.prefix(100) // duplicated rows, as a careless loader might hand over
        var rng = TestRandom(seed: 3)
        rows.shuffle(using: &rng)
        let index = TextShingleIndex(postings: rows)
        let unique = Set(rows)
        #expect(index.count == unique.count, "\(rng.replay)")
        #expect(index.distinctHashes == Set(rows.map(\.hash)).count, "\(rng.replay)")
        var byHash = [UInt64: [TextPosting]]()
        for r in unique { byHash[r.hash, default: []].append(r) }
        // Every stored hash, plus query hashes that are mostly absent.
        let probes = Array(byHash.keys) + TextShingler.shingleHashes(works[0].text.wordHashes, k: 4).prefix(500)
            + [0, .max, 1]
        for h in probes {
            let expected = (byHash[h] ?? []).map { ($0.work, $0.position) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
            let got = index.postings(for: h)
            #expect(got.count == expected.count && zip(got, expected).allSatisfy { $0 == $1 }, "\(rng.replay)")
            #expect(index.frequency(of: h) == expected.count, "\(rng.replay)")
        }
    }

    @Test func seedsEqualPerWorkBruteForceSeeds() throws {
        let works = try Self.works()
        let index = TextShingleIndex(works: works.map { ($0.id, $0.text) })
        var model = TextAlignmentParameters.default
        model.maxCandidates = 1000
        model.maxPostingsPerHash = .max
        model.minSeeds = 1
        let query = works[4].text
        let fromIndex = index.seeds(query: query, model: model)
        for w in works {
            let brute = TextAligner.seeds(query: query, work: w.text)
            let got = fromIndex.first { $0.work == w.id }?.seeds ?? []
            let key: (TextSeed) -> [UInt32] = { [$0.queryPosition, $0.workPosition] }
            #expect(got.map(key).sorted { $0.lexicographicallyPrecedes($1) }
                    == brute.map(key).sorted { $0.lexicographicallyPrecedes($1) }, "work \(w.id)")
        }
    }

    @Test func indexMatchFindsAnEmbeddedPassageInTheRightWorkAndPlace() throws {
        let works = try Self.works()
        let corpus = Array(works.prefix(9)) // the rest stay out of the index: filler and negatives
        let index = TextShingleIndex(postings: Self.postings(corpus))
        let target = corpus[5]
        let span = target.text.byteRange(words: 700..<760)
        let passage = String(decoding: target.bytes[span], as: UTF8.self)
        let filler = String(decoding: works[10].bytes.prefix(4000), as: UTF8.self)
        let query = filler + "\n" + passage + "\n" + filler
        let results = index.match(query: TextNormalizer.normalize(query)) { id in
            corpus.first { $0.id == id }?.text
        }
        let top = try #require(results.first)
        #expect(top.work == target.id && top.summary.matchedWords == 60 && top.summary.coverage == 1)
        // Other works share at most chance phrases with the query (the engine's default rule
        // needs 30 identical words).
        #expect(results.dropFirst().allSatisfy { $0.summary.matchedWords < 30 })
        let p = try #require(top.passages.first)
        #expect(p.workOffset == span.lowerBound && p.workLength == span.count)
        #expect(p.queryOffset == filler.utf8.count + 1 && p.queryLength == passage.utf8.count)
        // A work the engine cannot supply text for is skipped, not guessed.
        #expect(index.match(query: TextNormalizer.normalize(query)) { _ in nil }.isEmpty)
    }
}
