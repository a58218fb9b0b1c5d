/// Active → passive for the one pattern where it is safe: the whole sentence is
/// "<subject> <verb>ed <determiner> <noun phrase>." with a regular transitive verb.
extension RuleParaphraser {
    static let objectPronoun = ["i": "me", "he": "him", "she": "her", "we": "us", "they": "them", "you": "you",
                                "it": "it"]
    static let phraseDeterminers: Set<String> = ["the", "a", "an", "his", "her", "their", "my", "our", "your",
                                                 "its", "this", "that"]

    /// "The keeper counted the ships." → "The ships were counted by the keeper."
    func passive(_ s: [String], isName: (String) -> Bool) -> [String]? {
        guard (4...9).contains(s.count), !ParaphraseText.hasQuote(s),
              let (body, end) = ParaphraseRules.splitTerminal(s), end == ".",
              body.allSatisfy({ $0.allSatisfy(\.isLetter) }) else { return nil }
        let verbs = body.indices.dropFirst().filter { body[$0].hasSuffix("ed") && isTransitivePast(body[$0]) }
        guard verbs.count == 1, let v = verbs.first,
              let agent = agentPhrase(Array(body[..<v]), isName: isName) else { return nil }
        let object = Array(body[(v + 1)...])
        guard (2...3).contains(object.count), Self.phraseDeterminers.contains(object[0]),
              object.dropFirst().allSatisfy(isContentWord), let head = object.last,
              let noun = lexicon.baseForms(of: head, .noun).first else { return nil }
        var out = object
        out[0] = ParaphraseText.capitalised(out[0])
        out += [noun == head ? "was" : "were", body[v], "by"] + agent
        out[out.count - 1] += end
        return out
    }

    private func isContentWord(_ w: String) -> Bool {
        w == w.lowercased() && !ParaphraseText.stopwords.contains(w)
    }

    /// A regular past tense (so the participle is the same word) of a verb whose most frequent
    /// sense takes an object (frames 8–11).
    func isTransitivePast(_ form: String) -> Bool {
        guard form == form.lowercased(), let base = lexicon.baseForms(of: form, .verb).first, base != form,
              lexicon.inflection(of: form, base: base, .verb) == .past,
              lexicon.irregularForms(of: base, .verb).allSatisfy({ $0 == form || $0.hasSuffix("ing") }),
              let first = lexicon.entry(base, .verb)?.synsetOffsets.first,
              let synset = lexicon.synset(at: first, .verb) else { return false }
        return !Set(synset.verbFrames).isDisjoint(with: [8, 9, 10, 11])
    }

    /// The "by" phrase for a subject: a pronoun in object form, a name of one to three words,
    /// or a determiner and one or two content words.
    func agentPhrase(_ subject: [String], isName: (String) -> Bool) -> [String]? {
        guard let first = subject.first else { return nil }
        if subject.count == 1, let pronoun = Self.objectPronoun[first.lowercased()] { return [pronoun] }
        if subject.count <= 3, subject.allSatisfy(isName) { return subject }
        guard (2...3).contains(subject.count), Self.phraseDeterminers.contains(first.lowercased()),
              subject.dropFirst().allSatisfy(isContentWord) else { return nil }
        return [first.lowercased()] + subject.dropFirst()
    }
}
