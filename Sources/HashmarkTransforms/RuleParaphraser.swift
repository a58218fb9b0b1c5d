/// A rule-based paraphraser for the evaluation's `paraphrase` family: WordNet synonym swaps,
/// clause moves, tense changes, active → passive, sentence splits and merges, and a few
/// dropped or added sentences. Output is meant to be natural-ish, not fluent: it measures how
/// far a copy detector follows rewording, it is not a product feature.
///
/// Pure: the same text, strength and generator state give the same output.
public struct RuleParaphraser: Sendable {
    public let lexicon: WordNetLexicon
    /// 0…1: the chance of each swap and rule, and the share of dropped and added sentences.
    public let strength: Double

    public init(lexicon: WordNetLexicon, strength: Double) {
        self.lexicon = lexicon
        self.strength = min(1, max(0, strength))
    }

    /// The passage reworded; blank lines between paragraphs are kept, other whitespace becomes
    /// single spaces. Strength 0 returns the text unchanged.
    public func paraphrase(_ text: String, rng: inout SeededGenerator) -> String {
        let sentences = ParaphraseText.sentences(text)
        guard strength > 0, !sentences.isEmpty else { return text }
        let names = passageNames(sentences)
        let isName = { (core: String) in self.isName(core, names) }
        var edited: [ParaphraseSentence] = []
        for var s in sentences {
            s.tokens = swapSynonyms(s.tokens, probability: strength, isName: isName, rng: &rng)
            if rng.nextBool(probability: strength), let p = passive(s.tokens, isName: isName) { s.tokens = p }
            if rng.nextBool(probability: 0.6 * strength),
               let m = ParaphraseRules.moveLeadingClause(s.tokens, isName: isName)
                ?? ParaphraseRules.moveTrailingClause(s.tokens, isName: isName) {
                s.tokens = m
            }
            if rng.nextBool(probability: 0.3 * strength), let t = ParaphraseRules.changeTense(s.tokens) { s.tokens = t }
            if rng.nextBool(probability: 0.3 * strength), let (a, b) = ParaphraseRules.split(s.tokens, isName: isName) {
                edited.append(ParaphraseSentence(tokens: a, paragraph: s.paragraph))
                s.tokens = b
            }
            edited.append(s)
        }
        var merged: [ParaphraseSentence] = []
        var i = 0
        while i < edited.count {
            if i + 1 < edited.count, edited[i].paragraph == edited[i + 1].paragraph,
               rng.nextBool(probability: 0.3 * strength),
               let m = ParaphraseRules.merge(edited[i].tokens, edited[i + 1].tokens,
                                             semicolon: rng.nextBool(probability: 0.5), isName: isName) {
                merged.append(ParaphraseSentence(tokens: m, paragraph: edited[i].paragraph))
                i += 2
            } else {
                merged.append(edited[i])
                i += 1
            }
        }
        return ParaphraseText.join(dropAndBridge(merged, rng: &rng))
    }

    /// Drops ⌊n·strength/8⌋ sentences (at most one in eight), then adds round(n·strength/12)
    /// bridging sentences from `ParaphraseText.bridges` between others.
    func dropAndBridge(_ sentences: [ParaphraseSentence], rng: inout SeededGenerator) -> [ParaphraseSentence] {
        var out = sentences
        let drops = Int((Double(out.count) * strength / 8).rounded(.down))
        for i in rng.sample(drops, from: out.count).reversed() { out.remove(at: i) }
        let adds = Int((Double(out.count) * strength / 12).rounded())
        for _ in 0..<adds where !out.isEmpty {
            let at = rng.nextInt(in: 1...out.count)
            let bridge = ParaphraseText.bridges[rng.nextInt(below: ParaphraseText.bridges.count)]
            out.insert(ParaphraseSentence(tokens: bridge.split(separator: " ").map(String.init),
                                          paragraph: out[at - 1].paragraph), at: at)
        }
        return out
    }

    /// Lower-cased words written with a capital inside a sentence (not after an opening quote).
    func passageNames(_ sentences: [ParaphraseSentence]) -> Set<String> {
        var names = Set<String>()
        for s in sentences {
            for token in s.tokens.dropFirst() {
                let (pre, core, _) = TextTokenizer.splitCore(token)
                if pre.isEmpty, core != "I", core.first?.isUppercase == true { names.insert(core.lowercased()) }
            }
        }
        return names
    }

    /// A capitalised core is a name when the passage capitalises it mid-sentence, or when it is
    /// no function word and WordNet does not know it.
    func isName(_ core: String, _ names: Set<String>) -> Bool {
        guard core.first?.isUppercase == true else { return false }
        let w = core.lowercased()
        if names.contains(w) { return true }
        if ParaphraseText.stopwords.contains(w) || ParaphraseText.pronouns.contains(w)
            || ParaphraseText.determiners.contains(w) { return false }
        return !WordNetPOS.allCases.contains { !lexicon.baseForms(of: w, $0).isEmpty }
    }
}
