/// The sentence-level rules of `RuleParaphraser` that need no lexicon. Each works on a
/// sentence's tokens and returns nil when its pattern is absent or not safe to rewrite.
/// `isName` tells whether a capitalised word core is a name (so it keeps its capital).
enum ParaphraseRules {
    typealias IsName = (String) -> Bool

    static let leadingSubordinators: Set<String> = ["when", "if", "because", "although", "after", "before", "while",
                                                    "though", "unless"]
    /// Without after/before/until, which are prepositions as often ("looked after the children").
    static let trailingSubordinators: Set<String> = ["when", "if", "because", "although", "while", "though", "unless"]
    /// Verbs whose "if/when" clause is an object, not a condition ("asked if she would come").
    static let complementVerbs: Set<String> = [
        "ask", "asked", "wonder", "wondered", "know", "knew", "known", "see", "saw", "seen", "doubt", "doubted",
        "tell", "told", "inquire", "inquired", "enquired", "learn", "learned", "learnt", "remember", "remembered",
        "forget", "forgot", "say", "said", "decide", "decided", "find", "found", "guess", "guessed", "care", "cared",
        "mind", "think", "thought", "consider", "considered", "imagine", "imagined", "understand", "understood",
    ]

    /// The sentence without its final . ! or ? and that mark; nil unless the last token is a
    /// plain word followed by one of them.
    static func splitTerminal(_ s: [String]) -> ([String], String)? {
        guard let last = s.last else { return nil }
        let (pre, core, post) = TextTokenizer.splitCore(last)
        guard pre.isEmpty, !core.isEmpty, [".", "!", "?"].contains(post) else { return nil }
        return (s.dropLast() + [core], post)
    }

    /// "When he came, she left." → "She left when he came."
    static func moveLeadingClause(_ s: [String], isName: IsName) -> [String]? {
        guard s.count >= 5, !ParaphraseText.hasQuote(s), leadingSubordinators.contains(s[0].lowercased()),
              let comma = s.firstIndex(where: { $0.hasSuffix(",") }), comma >= 2, comma <= 14,
              s[..<comma].allSatisfy(ParaphraseText.isPlainWord),
              ParaphraseText.isPlainWord(String(s[comma].dropLast())) else { return nil }
        let main = Array(s[(comma + 1)...])
        guard main.count >= 3, !main.contains(where: { $0.contains(";") || $0.contains(":") }),
              ParaphraseText.startsSubject(main[0], isName: isName),
              let (body, end) = splitTerminal(main), end != "?" else { return nil }
        var sub = Array(s[...comma])
        sub[0] = sub[0].lowercased()
        sub[comma] = String(sub[comma].dropLast()) + end
        var out = body
        out[0] = ParaphraseText.decapitalised(out[0], keep: isName)
        out = out + sub
        out[0] = ParaphraseText.capitalised(out[0])
        return out
    }

    /// "She left when he came." → "When he came, she left."
    static func moveTrailingClause(_ s: [String], isName: IsName) -> [String]? {
        guard s.count >= 6, !ParaphraseText.hasQuote(s), let (body, end) = splitTerminal(s), end != "?",
              body.allSatisfy(ParaphraseText.isPlainWord),
              let j = (3..<(body.count - 2)).first(where: { trailingSubordinators.contains(body[$0]) }),
              !body[(j - 2)..<j].contains(where: { complementVerbs.contains($0.lowercased()) }),
              ParaphraseText.startsSubject(body[0], isName: isName),
              ParaphraseText.startsSubject(body[j + 1], isName: isName) else { return nil }
        var sub = Array(body[j...])
        sub[0] = ParaphraseText.capitalised(sub[0])
        sub[sub.count - 1] += ","
        var main = Array(body[..<j])
        main[0] = ParaphraseText.decapitalised(main[0], keep: isName)
        main[main.count - 1] += end
        return sub + main
    }

    static let pastOf: [String: String] = [
        "is": "was", "are": "were", "am": "was", "has": "had", "will": "would", "can": "could", "shall": "should",
        "may": "might", "isn't": "wasn't", "aren't": "weren't", "hasn't": "hadn't", "won't": "wouldn't",
        "can't": "couldn't", "cannot": "could not",
    ]
    static let presentOf: [String: String] = [
        "was": "is", "were": "are", "would": "will", "could": "can", "might": "may", "wasn't": "isn't",
        "weren't": "aren't", "wouldn't": "won't", "couldn't": "can't",
    ]

    /// Simple auxiliaries to the past (is → was, will → would, …) or, when the sentence has more
    /// past ones, to the present. "had" changes only after a pronoun that fixes has/have.
    static func changeTense(_ s: [String]) -> [String]? {
        var forward: [(Int, String)] = [], backward: [(Int, String)] = []
        for (i, token) in s.enumerated() {
            let core = TextTokenizer.splitCore(token).1
            guard let first = core.first, i == 0 || !first.isUppercase else { continue }
            let w = ParaphraseText.lower(token), prev = i > 0 ? ParaphraseText.lower(s[i - 1]) : ""
            guard !ParaphraseText.determiners.contains(prev) else { continue }  // "his will", "a can"
            if let past = pastOf[w] { forward.append((i, past)) }
            switch (w, prev) {
            case ("was", "i"): backward.append((i, "am"))
            case ("were", "i"), ("were", "he"), ("were", "she"), ("were", "it"), ("wasn't", "i"): break
            case ("had", "he"), ("had", "she"), ("had", "it"): backward.append((i, "has"))
            case ("had", "i"), ("had", "you"), ("had", "we"), ("had", "they"): backward.append((i, "have"))
            default: if let present = presentOf[w] { backward.append((i, present)) }
            }
        }
        let edits = forward.count >= backward.count ? forward : backward
        guard !edits.isEmpty else { return nil }
        var out = s
        for (i, word) in edits {
            let (pre, core, post) = TextTokenizer.splitCore(s[i])
            var new = core.contains("\u{2019}") ? word.replacingOccurrences("'", "\u{2019}") : word
            if core.first?.isUppercase == true { new = ParaphraseText.capitalised(new) }
            out[i] = pre + new + post
        }
        return out
    }

    /// "A; b." or "A, and he b." → "A." + "B." / "He b."; the first such point whose halves
    /// both have three words or more.
    static func split(_ s: [String], isName: IsName) -> ([String], [String])? {
        guard s.count >= 8, !ParaphraseText.hasQuote(s), splitTerminal(s) != nil else { return nil }
        for i in 2..<(s.count - 3) {
            let (pre, core, post) = TextTokenizer.splitCore(s[i])
            guard !core.isEmpty else { continue }
            var rest: Int?
            if post == ";", ParaphraseText.isPlainWord(s[i + 1]) {
                rest = i + 1
            } else if post == ",", ParaphraseText.lower(s[i + 1]) == "and", s.count - (i + 2) >= 3,
                      ParaphraseText.startsSubject(s[i + 2], isName: isName) {
                rest = i + 2
            }
            guard let rest else { continue }
            var second = Array(s[rest...])
            second[0] = ParaphraseText.capitalised(second[0])
            return (Array(s[..<i]) + [pre + core + "."], second)
        }
        return nil
    }

    /// Two short sentences as one: "A. B." → "A, and b." or "A; b."
    static func merge(_ a: [String], _ b: [String], semicolon: Bool, isName: IsName) -> [String]? {
        guard (3...12).contains(a.count), (3...12).contains(b.count), !ParaphraseText.hasQuote(a + b),
              let (body, end) = splitTerminal(a), end == ".", splitTerminal(b) != nil,
              ParaphraseText.isPlainWord(b[0]),
              !["and", "but", "or", "so", "yet", "for", "nor"].contains(b[0].lowercased()) else { return nil }
        var out = body
        out[out.count - 1] += semicolon ? ";" : ","
        if !semicolon { out.append("and") }
        return out + [ParaphraseText.decapitalised(b[0], keep: isName)] + b.dropFirst()
    }
}

extension String {
    func replacingOccurrences(_ target: Character, _ replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
