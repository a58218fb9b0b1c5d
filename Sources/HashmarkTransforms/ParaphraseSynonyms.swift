/// Synonym swaps: a content word becomes another lemma of its most frequent WordNet sense (or
/// of a hypernym, or for adjectives of a similar head), re-inflected like the original.
extension RuleParaphraser {
    static let verbContext: Set<String> = ["to", "will", "would", "could", "should", "can", "may", "might", "must",
                                           "shall", "did", "do", "does"]
    static let degreeContext: Set<String> = ["very", "so", "too", "quite", "rather", "more", "most", "less", "least",
                                             "how"]

    /// Each content word swapped with `probability`: not a function word, not a name, not a
    /// capitalised word inside the sentence; the first word's capital is kept.
    func swapSynonyms(_ s: [String], probability: Double, isName: (String) -> Bool,
                      rng: inout SeededGenerator) -> [String] {
        var out = s
        for i in s.indices {
            let (pre, whole, post) = TextTokenizer.splitCore(s[i])
            var core = whole, possessive = ""
            if core.hasSuffix("'s") || core.hasSuffix("\u{2019}s") {
                possessive = String(core.suffix(2))
                core = String(core.dropLast(2))
            }
            guard core.count >= 3, core.allSatisfy({ $0.isASCII && $0.isLetter }) else { continue }
            let capital = core.first?.isUppercase == true
            if capital, i > 0 || isName(core) || core.allSatisfy(\.isUppercase) { continue }
            let word = core.lowercased()
            guard !ParaphraseText.stopwords.contains(word), rng.nextBool(probability: probability) else { continue }
            let prev = i > 0 ? ParaphraseText.lower(s[i - 1]) : ""
            let next = post.isEmpty && i + 1 < s.count ? ParaphraseText.lower(s[i + 1]) : "."
            guard var new = replacement(for: word, after: prev, before: next) else { continue }
            if capital { new = ParaphraseText.capitalised(new) }
            out[i] = pre + new + possessive + post
            if i > 0, ["a", "an"].contains(out[i - 1].lowercased()) { out[i - 1] = Self.article(out[i - 1], word, new) }
        }
        return out
    }

    /// "a" or "an" for the new word, when the article agreed with the old word by spelling
    /// (so "an hour" is left alone).
    static func article(_ article: String, _ old: String, _ new: String) -> String {
        let vowel = { (w: String) in w.first.map { "aeiouAEIOU".contains($0) } ?? false }
        let an = article.lowercased() == "an"
        guard an == vowel(old), an != vowel(new) else { return article }
        let fixed = an ? "a" : "an"
        return article.first?.isUppercase == true ? ParaphraseText.capitalised(fixed) : fixed
    }

    /// The part of speech and lemma of a word form: among the parts its neighbours allow (after
    /// "the" a noun or adjective — a noun if "of" or punctuation follows —, after "to"/"will" a
    /// verb, after "very" an adjective or adverb), the one with the most sense-tagged senses.
    /// `next` is "." when punctuation follows the word.
    func guessPOS(_ word: String, after prev: String, before next: String = "") -> (WordNetPOS, String)? {
        let article = ParaphraseText.determiners.contains(prev)
        let allowed: [WordNetPOS] =
            article && (next == "of" || next == ".") ? [.noun]
            : article ? [.noun, .adjective]
            : Self.verbContext.contains(prev) ? [.verb]
            : Self.degreeContext.contains(prev) ? [.adjective, .adverb]
            : WordNetPOS.allCases
        var best: (WordNetPOS, String, Int)?
        for pos in allowed {
            guard let base = lexicon.baseForms(of: word, pos).first, let entry = lexicon.entry(base, pos) else { continue }
            let score = entry.taggedSenseCount * 1000 + entry.synsetOffsets.count
            if score > best?.2 ?? -1 { best = (pos, base, score) }
        }
        return best.map { ($0.0, $0.1) }
    }

    /// A replacement for a lower-case word form, already inflected; nil when there is none or
    /// the inflection cannot be re-created with confidence.
    func replacement(for word: String, after prev: String, before next: String) -> String? {
        guard let (pos, base) = guessPOS(word, after: prev, before: next),
              let inflection = lexicon.inflection(of: word, base: base, pos),
              let first = lexicon.entry(base, pos)?.synsetOffsets.first,
              let synset = lexicon.synset(at: first, pos) else { return nil }
        let related = pos == .adjective ? lexicon.similar(to: synset) : lexicon.hypernyms(of: synset)
        let synonyms = candidates([synset], excluding: base, pos)
        let broader = candidates(related, excluding: base, pos, commonFirst: true)
        let single = { (c: [String]) in c.filter { !$0.contains("_") } }
        let double = { (c: [String]) in c.filter { $0.contains("_") } }
        for group in [single(synonyms), single(broader), double(synonyms)] {
            for lemma in group {
                if let form = lexicon.inflect(lemma, inflection, pos), form != word { return form }
            }
        }
        return nil
    }

    /// Lower-case lemmas of at most two words, unrelated in spelling to `base`, seen in the
    /// sense-tagged concordance and meaning this synset in one of their first three senses
    /// (so car gives automobile, not machine); best first: earlier sense, then more tagged
    /// (or the other way round with `commonFirst`).
    func candidates(_ synsets: [WordNetSynset], excluding base: String, _ pos: WordNetPOS,
                    commonFirst: Bool = false) -> [String] {
        var ranked: [(lemma: String, sense: Int, tagged: Int, order: Int)] = []
        var seen = Set<String>()
        for synset in synsets {
            for lemma in synset.lemmas where seen.insert(lemma).inserted {
                guard lemma.count >= 3, lemma.contains(where: { "aeiou".contains($0) }),
                      lemma.allSatisfy({ ($0.isASCII && $0.isLowercase) || $0 == "_" || $0 == "-" }),
                      lemma.split(separator: "_").count <= 2, !lemma.contains(base), !base.contains(lemma),
                      let entry = lexicon.entry(lemma, pos) else { continue }
                guard entry.taggedSenseCount > 0, let sense = entry.synsetOffsets.firstIndex(of: synset.offset),
                      sense < 3 else { continue }
                ranked.append((lemma, sense, entry.taggedSenseCount, ranked.count))
            }
        }
        ranked.sort {
            commonFirst ? (-$0.tagged, $0.sense, $0.order) < (-$1.tagged, $1.sense, $1.order)
                : ($0.sense, -$0.tagged, $0.order) < ($1.sense, -$1.tagged, $1.order)
        }
        return ranked.map(\.lemma)
    }
}
