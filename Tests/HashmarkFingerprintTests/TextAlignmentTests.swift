import Foundation
import HashmarkFingerprint
import Testing

/// Passages of real corpus works, edited the ways the issue lists, must be found with the right
/// work and with spans that point at the copied bytes in both texts.
@Suite("Text alignment on real text")
struct TextAlignmentTests {
    static let corpus = Result { try TextCorpus() }

    enum Edit: String, CaseIterable, Sendable {
        case verbatim, substitute10, substitute20, substitute30, shuffle, interleave3
        case casing, homoglyph, zeroWidth, punctuation, combined
    }

    static let slack = 100 // bytes: edges may pick up a word or two beyond the copy

    /// (work, first word) of the passage used for each edit: spread over works and places.
    static func place(_ edit: Edit) -> (work: Int, start: Int) {
        let i = Edit.allCases.firstIndex(of: edit) ?? 0
        return (i % TextCorpus.workNames.count, 300 + 211 * i)
    }

    static func makeCase(_ edit: Edit, _ c: TextCorpus) -> TextCase {
        var rng = SplitMix(seed: UInt64(Edit.allCases.firstIndex(of: edit) ?? 0) + 100)
        let (work, start) = place(edit)
        let length = edit == .interleave3 ? 90 : 60
        let (text, bytes) = c.passage(work: work, words: start..<start + length)
        let one: (String) -> TextCase = { c.embed([$0], source: bytes, gap: 10 * length / 2) }
        switch edit {
        case .verbatim: return one(text)
        case .substitute10: return one(TextEdit.substitute(text, fraction: 0.1, filler: c.filler, rng: &rng))
        case .substitute20: return one(TextEdit.substitute(text, fraction: 0.2, filler: c.filler, rng: &rng))
        case .substitute30: return one(TextEdit.substitute(text, fraction: 0.3, filler: c.filler, rng: &rng))
        case .shuffle: return one(TextEdit.shuffleSentences(text, rng: &rng))
        case .casing: return one(TextEdit.randomCase(text, rng: &rng))
        case .homoglyph: return one(TextEdit.homoglyphs(text, rng: &rng))
        case .zeroWidth: return one(TextEdit.zeroWidth(text, rng: &rng))
        case .punctuation: return one(TextEdit.punctuation(text, rng: &rng))
        case .combined:
            var t = TextEdit.substitute(text, fraction: 0.1, filler: c.filler, rng: &rng)
            t = TextEdit.homoglyphs(TextEdit.randomCase(t, rng: &rng), rng: &rng)
            return one(TextEdit.punctuation(TextEdit.zeroWidth(t, rng: &rng), rng: &rng))
        case .interleave3:
            let words = TextEdit.words(text)
            let pieces = stride(from: 0, to: words.count, by: 30).map {
                words[$0..<min(words.count, $0 + 30)].joined(separator: " ")
            }
            return c.embed(pieces, source: bytes, gap: 120)
        }
    }

    static func covered(_ spans: [Range<Int>], _ target: Range<Int>) -> Int {
        target.filter { b in spans.contains { $0.contains(b) } }.count
    }

    @Test(arguments: Edit.allCases)
    func editedPassageIsFoundWithSpans(_ edit: Edit) throws {
        let c = try Self.corpus.get()
        let t = Self.makeCase(edit, c)
        let results = c.match(t.query)
        let expected = Self.place(edit).work
        let top = try #require(results.first, "\(edit): nothing matched")
        #expect(top.work == expected, "\(edit): matched \(TextCorpus.workNames[top.work])")
        #expect(top.score.isMatch, "\(edit): below threshold \(top.score)")
        #expect(results.dropFirst().allSatisfy { !$0.score.isMatch }, "\(edit): another work also matched")
        guard top.work == expected else { return }
        let s = Self.slack
        let workSpans = top.passages.map { $0.workOffset..<$0.workOffset + $0.workLength }
        let querySpans = top.passages.map { $0.queryOffset..<$0.queryOffset + $0.queryLength }
        for w in workSpans {
            #expect(w.lowerBound >= t.sourceBytes.lowerBound - s && w.upperBound <= t.sourceBytes.upperBound + s,
                    "\(edit): work span \(w) outside the source \(t.sourceBytes)")
        }
        for q in querySpans {
            #expect(t.pieces.contains { q.lowerBound >= $0.lowerBound - s && q.upperBound <= $0.upperBound + s },
                    "\(edit): query span \(q) outside the copied pieces \(t.pieces)")
        }
        let sourceCovered = Double(Self.covered(workSpans, t.sourceBytes)) / Double(t.sourceBytes.count)
        let piecesTotal = t.pieces.reduce(0) { $0 + $1.count }
        let queryCovered = Double(t.pieces.reduce(0) { $0 + Self.covered(querySpans, $1) }) / Double(piecesTotal)
        #expect(sourceCovered >= 0.7, "\(edit): source covered \(sourceCovered)")
        #expect(queryCovered >= 0.7, "\(edit): copied pieces covered \(queryCovered)")
    }

    @Test func verbatimEvidenceIsExact() throws {
        let c = try Self.corpus.get()
        let t = Self.makeCase(.verbatim, c)
        let top = try #require(c.match(t.query).first)
        #expect(top.passages.count == 1)
        let p = try #require(top.passages.first)
        #expect(p.workOffset == t.sourceBytes.lowerBound && p.workLength == t.sourceBytes.count)
        #expect(p.queryOffset == t.pieces[0].lowerBound && p.queryLength == t.pieces[0].count)
        #expect(p.matchedWords == 60 && p.alignedWords == 60 && p.longestRun == 60 && p.coverage == 1)
        let copied = Array(t.query.utf8)[p.queryOffset..<p.queryOffset + p.queryLength]
        #expect(Array(copied) == Array(c.texts[top.work][p.workOffset..<p.workOffset + p.workLength]))
    }

    @Test(arguments: ["r-cran-janeaustenr__austen_persuasion_04.txt", "r-cran-janeaustenr__austen_emma_04.txt",
                      "r-cran-tokenizers__mobydick_11.txt", "python3.11-doc__py_howto_sockets.txt",
                      "perl-doc__perl_perlintro.txt"])
    func textsNotInTheCorpusDoNotMatch(_ name: String) throws {
        let c = try Self.corpus.get()
        let query = String(decoding: try TextFixtures.bytes(name), as: UTF8.self)
        let results = c.match(query)
        for r in results {
            #expect(!r.score.isMatch, "\(name) matched \(TextCorpus.workNames[r.work]): \(r.score)")
        }
    }

    @Test func shortQuotesStayBelowTheThreshold() throws {
        // A 30-word verbatim quote is evidence but not, by the default model, a copy.
        let c = try Self.corpus.get()
        let (text, bytes) = c.passage(work: 2, words: 1000..<1030)
        let results = c.match(c.embed([text], source: bytes, gap: 300).query)
        let top = try #require(results.first)
        #expect(top.work == 2 && top.score.alignedWords == 30 && !top.score.isMatch)
    }

    @Test func alignmentParametersRoundTripThroughJSONAndDecideTheSpans() throws {
        let parameters = TextAlignmentParameters.default
        let json = try JSONEncoder().encode(parameters)
        #expect(try JSONDecoder().decode(TextAlignmentParameters.self, from: json) == parameters)
        // Passages must be longer than the whole copy: nothing is aligned.
        var strict = parameters
        strict.minPassageWords = 10_000
        let c = try Self.corpus.get()
        let t = Self.makeCase(.verbatim, c)
        #expect(c.match(t.query).first?.score.isMatch == true)
        #expect(c.match(t.query, parameters: strict).isEmpty)
    }
}
