/// How a word form relates to its base form (only the inflections the paraphraser re-creates).
public enum WordNetInflection: Sendable, Hashable {
    case base, plural, thirdPerson, past, gerund
}

extension WordNetLexicon {
    /// WordNet's detachment rules (`morphy(7WN)`): suffix → replacement.
    static let detachment: [WordNetPOS: [(String, String)]] = [
        .noun: [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
                ("men", "man"), ("ies", "y")],
        .verb: [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")],
        .adjective: [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
        .adverb: [],
    ]

    /// The lemmas `index.<pos>` has for a word form: the exception list's bases first (so `saw`
    /// gives `see` before the tool), then the form itself, then the detachment rules' results —
    /// which morphy only tries when the form is not an exception.
    public func baseForms(of word: String, _ pos: WordNetPOS) -> [String] {
        guard let part = parts[pos] else { return [] }
        let form = word.lowercased().replacingSpaces()
        guard !form.isEmpty else { return [] }
        var candidates: [String]
        if let bases = part.exceptions[form] {
            candidates = bases + [form]
        } else {
            candidates = [form]
            for (suffix, replacement) in Self.detachment[pos] ?? [] where form.hasSuffix(suffix) {
                candidates.append(String(form.dropLast(suffix.count)) + replacement)
            }
        }
        var seen = Set<String>()
        return candidates.filter { !$0.isEmpty && seen.insert($0).inserted && entry($0, pos) != nil }
    }

    /// The inflection turning `base` into `form`, or nil when it is none of `WordNetInflection`'s
    /// (comparatives, irregular third persons).
    public func inflection(of form: String, base: String, _ pos: WordNetPOS) -> WordNetInflection? {
        let f = form.lowercased().replacingSpaces(), b = base.lowercased().replacingSpaces()
        if f == b { return .base }
        switch pos {
        case .noun: return .plural
        case .verb:
            if f.hasSuffix("ing") { return .gerund }
            if f.hasSuffix("s") { return f == Self.regularS(b) ? .thirdPerson : nil }
            return .past
        case .adjective, .adverb: return nil
        }
    }

    /// `base` (words joined by `_` or spaces; the result uses spaces) in an inflection: the head
    /// word (a verb's first, a noun's last) changes. Nil when unsure — several irregular forms
    /// (began/begun) — or when the inflection does not apply to the part of speech.
    public func inflect(_ base: String, _ inflection: WordNetInflection, _ pos: WordNetPOS) -> String? {
        var words = base.split(whereSeparator: { $0 == "_" || $0 == " " }).map(String.init)
        guard !words.isEmpty else { return nil }
        let head = pos == .verb ? 0 : words.count - 1
        guard let inflected = inflectWord(words[head], inflection, pos) else { return nil }
        words[head] = inflected
        return words.joined(separator: " ")
    }

    /// The exception lists' forms whose base is `base` (e.g. ran, running for run).
    public func irregularForms(of base: String, _ pos: WordNetPOS) -> [String] {
        parts[pos]?.irregular[base.lowercased().replacingSpaces()] ?? []
    }

    private func inflectWord(_ w: String, _ inflection: WordNetInflection, _ pos: WordNetPOS) -> String? {
        let irregular = irregularForms(of: w, pos)
        func only(_ forms: [String], or regular: () -> String) -> String? {
            forms.count == 1 ? forms[0] : forms.isEmpty ? regular() : nil
        }
        switch (inflection, pos) {
        case (.base, _): return w
        case (.plural, .noun): return only(irregular) { Self.regularS(w) }
        case (.thirdPerson, .verb): return Self.regularS(w)
        case (.past, .verb):
            return only(irregular.filter { !$0.hasSuffix("ing") && !$0.hasSuffix("s") }) { Self.regularPast(w) }
        case (.gerund, .verb): return only(irregular.filter { $0.hasSuffix("ing") }) { Self.regularGerund(w) }
        default: return nil
        }
    }

    static func isVowel(_ c: Character) -> Bool { "aeiou".contains(c) }

    /// Plural noun or third-person verb: -es after sibilants, -ies after consonant + y.
    static func regularS(_ w: String) -> String {
        if ["s", "x", "z", "ch", "sh"].contains(where: { w.hasSuffix($0) }) { return w + "es" }
        if w.hasSuffix("y"), w.count > 1, !isVowel(w[w.index(w.endIndex, offsetBy: -2)]) {
            return w.dropLast() + "ies"
        }
        return w + "s"
    }

    /// Doubled final consonants are not guessed: WordNet lists them (`stopped stop`).
    static func regularPast(_ w: String) -> String {
        if w.hasSuffix("e") { return w + "d" }
        if w.hasSuffix("y"), w.count > 1, !isVowel(w[w.index(w.endIndex, offsetBy: -2)]) {
            return w.dropLast() + "ied"
        }
        return w + "ed"
    }

    static func regularGerund(_ w: String) -> String {
        if w.hasSuffix("ie") { return w.dropLast(2) + "ying" }
        if w.hasSuffix("e"), !["ee", "ye", "oe"].contains(where: { w.hasSuffix($0) }), w.count > 2 {
            return w.dropLast() + "ing"
        }
        return w + "ing"
    }
}
