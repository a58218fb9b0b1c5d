import Foundation
import HashmarkFingerprint
import HashmarkNeural
import Testing

/// The parts of the coming paraphrase matcher held together on one real case: sentences split
/// with byte spans, embedded by our tokenizer and forward pass, aligned by `SentenceAligner`.
/// The work is a public-domain paragraph of Austen's *Emma* (Corpus/texts,
/// r-cran-janeaustenr__austen_emma_02); the submission is a paraphrase of it written for this test
/// (CC0-1.0, project-authored: every sentence reworded, two swapped, one dropped, the last one
/// loosely) between unrelated sentences. One case shows the plumbing, not a detection rate: that
/// is `hashmark eval`'s paraphrase family (issue #17, to come).
@Suite("Semantic pipeline on a paraphrase")
struct SemanticPipelineTests {
    static let work = [
        "Harriet Smith's intimacy at Hartfield was soon a settled thing.",
        "Quick and decided in her ways, Emma lost no time in inviting, encouraging, and telling her to come very often; and as their acquaintance increased, so did their satisfaction in each other.",
        "As a walking companion, Emma had very early foreseen how useful she might find her.",
        "In that respect Mrs. Weston's loss had been important.",
        "Her father never went beyond the shrubbery, where two divisions of the ground sufficed him for his long walk, or his short, as the year varied; and since Mrs. Weston's marriage her exercise had been too much confined.",
        "She had ventured once alone to Randalls, but it was not pleasant; and a Harriet Smith, therefore, one whom she could summon at any time to a walk, would be a valuable addition to her privileges.",
        "But in every respect, as she saw more of her, she approved her, and was confirmed in all her kind designs.",
    ].joined(separator: " ")

    static let submission = [
        "The release notes for version two of the scheduler were published on Tuesday.",
        "Most of the changes concern how background jobs are retried after a failure.",
        "Before long, Harriet's close friendship with the household at Hartfield was firmly established.",
        "Emma, who was swift and resolute, kept inviting her and urging her to visit often, and the more they knew each other the more they enjoyed one another's company.",
        "From the start Emma had seen that Harriet would make a very handy partner for walks.",
        "Her father never walked farther than the shrubbery, and since Mrs. Weston had married, Emma had been kept indoors far too much.",
        "Losing Mrs. Weston had mattered a great deal in this respect.",
        "The more Emma saw of Harriet, the more she liked her in every way, and the firmer her kind plans became.",
        "Rain is expected across the northern valleys for the rest of the week.",
        "Commuters are advised to allow extra time on the coastal road.",
    ].joined(separator: " ")

    /// Unrelated to both: Melville (Corpus/texts, r-cran-tokenizers__mobydick_03, public domain).
    static let unrelated = "Call me Ishmael. Some years ago, never mind how long precisely, having little or no money in my purse, and nothing particular to interest me on shore, I thought I would sail about a little and see the watery part of the world. It is a way I have of driving off the spleen and regulating the circulation."

    static func similarity(_ query: String, _ work: String) throws -> (matrix: [Float], q: [SentenceSpan], w: [SentenceSpan]) {
        let folder = MiniLMGoldenTests.modelFolder
        let model = try MiniLM(manifest: try Data(contentsOf: folder.appendingPathComponent("model.json")),
                               weights: try Data(contentsOf: folder.appendingPathComponent("weights.bin")))
        let tokenizer = try WordPieceTokenizer(
            vocabulary: try String(contentsOf: folder.appendingPathComponent("vocab.txt"), encoding: .utf8))
        func embed(_ text: String, _ spans: [SentenceSpan]) throws -> [[Float]] {
            let bytes = Array(text.utf8)
            return try spans.map { s in
                try model.embed(tokenIDs: tokenizer.encode(String(decoding: bytes[s.range], as: UTF8.self),
                                                           maxTokens: model.maxTokens))
            }
        }
        let q = SentenceSplitter.split(query), w = SentenceSplitter.split(work)
        let eq = try embed(query, q), ew = try embed(work, w)
        let matrix = eq.flatMap { a in ew.map { b in zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } } }
        return (matrix, q, w)
    }

    @Test func theParaphrasedPassageIsAlignedSentenceBySentence() throws {
        let (matrix, q, w) = try Self.similarity(Self.submission, Self.work)
        #expect(q.count == 10 && w.count == 7)
        let passages = try SentenceAligner.align(similarity: matrix, queryCount: q.count, workCount: w.count)
        let best = try #require(passages.first, "no passage")
        // Paraphrases 2…6 against work sentences 0…4, the swapped pair included; the dropped
        // work sentence 5 and the filler are not pairs.
        #expect(best.queryRange.lowerBound == 2 && best.queryRange.upperBound >= 7, "\(best)")
        #expect(best.workRange.lowerBound == 0 && best.workRange.upperBound >= 5, "\(best)")
        #expect(best.seedCount >= 5 && best.swapCount >= 1, "\(best)")
        #expect(best.pairs.filter { $0.similarity >= 0.6 }.allSatisfy { (2...7).contains($0.query) && $0.work != 5 },
                "\(best)")
        #expect(best.meanSimilarity >= 0.6, "\(best)")
        let spans = try #require(best.byteSpans(query: q, work: w))
        let copied = String(decoding: Array(Self.submission.utf8)[spans.query], as: UTF8.self)
        #expect(copied.hasPrefix("Before long, Harriet's close friendship"))
        #expect(String(decoding: Array(Self.work.utf8)[spans.work], as: UTF8.self).hasPrefix("Harriet Smith's intimacy"))
    }

    @Test func unrelatedTextsAlignNothing() throws {
        let (matrix, q, w) = try Self.similarity(Self.submission, Self.unrelated)
        #expect(try SentenceAligner.align(similarity: matrix, queryCount: q.count, workCount: w.count).isEmpty)
        #expect(matrix.max() ?? 1 < 0.5, "an unrelated pair of sentences came close: \(matrix.max() ?? 1)")
    }
}
