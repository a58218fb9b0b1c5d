/// Single rules on single sentences, for tests. Each returns nil (or the input) where the rule
/// does not apply.
@_spi(Testing) extension RuleParaphraser {
    private func context(_ text: String) -> ([String], (String) -> Bool) {
        let names = passageNames(ParaphraseText.sentences(text))
        return (text.split(whereSeparator: \.isWhitespace).map(String.init), { self.isName($0, names) })
    }

    /// Every content word offered a swap.
    public func swappingSynonyms(_ sentence: String, rng: inout SeededGenerator) -> String {
        let (tokens, isName) = context(sentence)
        return swapSynonyms(tokens, probability: 1, isName: isName, rng: &rng).joined(separator: " ")
    }

    public func guessedPartOfSpeech(_ word: String, after previous: String = "", before next: String = "") -> WordNetPOS? {
        guessPOS(word.lowercased(), after: previous.lowercased(), before: next.lowercased())?.0
    }

    public func movingClause(_ sentence: String) -> String? {
        let (tokens, isName) = context(sentence)
        return (ParaphraseRules.moveLeadingClause(tokens, isName: isName)
            ?? ParaphraseRules.moveTrailingClause(tokens, isName: isName))?.joined(separator: " ")
    }

    public func changingTense(_ sentence: String) -> String? {
        ParaphraseRules.changeTense(context(sentence).0)?.joined(separator: " ")
    }

    public func passivising(_ sentence: String) -> String? {
        let (tokens, isName) = context(sentence)
        return passive(tokens, isName: isName)?.joined(separator: " ")
    }

    public func splitting(_ sentence: String) -> [String]? {
        let (tokens, isName) = context(sentence)
        return ParaphraseRules.split(tokens, isName: isName).map { [$0.0, $0.1].map { $0.joined(separator: " ") } }
    }

    public func merging(_ a: String, _ b: String, semicolon: Bool) -> String? {
        let (tokens, isName) = context(a + " " + b)
        let first = ParaphraseText.sentences(a).first?.tokens ?? []
        return ParaphraseRules.merge(first, Array(tokens.dropFirst(first.count)), semicolon: semicolon,
                                     isName: isName)?.joined(separator: " ")
    }

    /// The sentences (one per element) after `dropAndBridge`.
    public func droppingAndBridging(_ sentences: [String], rng: inout SeededGenerator) -> [String] {
        let list = sentences.map { ParaphraseSentence(tokens: $0.split(separator: " ").map(String.init), paragraph: 0) }
        return dropAndBridge(list, rng: &rng).map { $0.tokens.joined(separator: " ") }
    }

    public static var bridgingSentences: [String] { ParaphraseText.bridges }
}
