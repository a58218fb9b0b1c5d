/// A sentence as its whitespace-separated tokens (punctuation stays attached), and the
/// paragraph it belongs to.
struct ParaphraseSentence: Equatable {
    var tokens: [String]
    var paragraph: Int
}

/// Sentence splitting and the word lists the paraphrase rules use.
enum ParaphraseText {
    /// Sentences of a text; paragraphs are separated by blank lines.
    static func sentences(_ text: String) -> [ParaphraseSentence] {
        var out: [ParaphraseSentence] = []
        var paragraph = 0, current: [String] = [], inParagraph = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let tokens = line.split(whereSeparator: \.isWhitespace).map(String.init)
            if tokens.isEmpty {
                if !current.isEmpty { out.append(ParaphraseSentence(tokens: current, paragraph: paragraph)) }
                current = []
                if inParagraph { paragraph += 1 }
                inParagraph = false
                continue
            }
            inParagraph = true
            for token in tokens {
                current.append(token)
                if endsSentence(token) {
                    out.append(ParaphraseSentence(tokens: current, paragraph: paragraph))
                    current = []
                }
            }
        }
        if !current.isEmpty { out.append(ParaphraseSentence(tokens: current, paragraph: paragraph)) }
        return out
    }

    /// Paragraphs joined by a blank line, sentences by a space.
    static func join(_ sentences: [ParaphraseSentence]) -> String {
        var out = ""
        var last: Int?
        for s in sentences where !s.tokens.isEmpty {
            if let last { out += last == s.paragraph ? " " : "\n\n" }
            out += s.tokens.joined(separator: " ")
            last = s.paragraph
        }
        return out
    }

    /// Ends in . ! ? (before closing quotes or brackets) and is not an abbreviation or initial.
    static func endsSentence(_ token: String) -> Bool {
        let trimmed = String(token.reversed().drop { ")]}\"'\u{2019}\u{201D}".contains($0) }.reversed())
        guard let end = trimmed.last, ".!?".contains(end) else { return false }
        guard end == "." else { return true }
        let core = TextTokenizer.splitCore(trimmed).1
        return !(core.count == 1 && core.first?.isUppercase == true) && !abbreviations.contains(core.lowercased())
    }

    /// The letters-and-digits core of a token, lower-cased, with curly apostrophes straightened.
    static func lower(_ token: String) -> String {
        String(TextTokenizer.splitCore(token).1.lowercased().map { $0 == "\u{2019}" ? "'" : $0 })
    }

    static func isPlainWord(_ token: String) -> Bool {
        !token.isEmpty && token.allSatisfy { $0.isLetter || $0 == "'" || $0 == "\u{2019}" }
    }

    static func hasQuote(_ tokens: [String]) -> Bool {
        tokens.contains { $0.contains { "\"\u{201C}\u{201D}\u{2018}()[]".contains($0) } }
    }

    /// The token with its first letter upper-cased.
    static func capitalised(_ token: String) -> String {
        guard let i = token.firstIndex(where: \.isLetter) else { return token }
        return token[..<i] + token[i].uppercased() + token[token.index(after: i)...]
    }

    /// The token with its first letter lower-cased, unless `keep` says it is a name (or "I").
    static func decapitalised(_ token: String, keep: (String) -> Bool) -> String {
        let core = TextTokenizer.splitCore(token).1
        guard let i = token.firstIndex(where: \.isLetter), !keep(core), core != "I",
              !core.hasPrefix("I'"), !core.hasPrefix("I\u{2019}") else { return token }
        return token[..<i] + token[i].lowercased() + token[token.index(after: i)...]
    }

    static let abbreviations: Set<String> = ["mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "rev", "col", "capt",
                                             "gen", "lt", "vs", "etc", "viz", "esq"]

    static let determiners: Set<String> = ["the", "a", "an", "his", "her", "its", "their", "my", "our", "your", "this",
                                           "that", "these", "those", "every", "each", "some", "any", "no"]

    static let pronouns: Set<String> = ["i", "he", "she", "it", "we", "they", "you", "there", "one", "nobody",
                                        "everybody", "everyone", "someone", "somebody", "nothing", "everything"]

    /// Words that can open a main clause's subject; `isName` gets the token's core.
    static func startsSubject(_ token: String, isName: (String) -> Bool) -> Bool {
        let w = lower(token)
        return pronouns.contains(w) || determiners.contains(w) || (isPlainWord(token) && isName(token))
    }

    /// Function words, auxiliaries and very general words the synonym swap leaves alone.
    static let stopwords: Set<String> = Set("""
        a about above after again against all almost also although always am among an and another any anybody \
        anyone anything are around as at away be became because become been before being below between both but \
        by can cannot could did do does doing done down during each either else enough even ever every \
        everybody everyone everything few for from further get got had has have having he her here hers herself \
        him himself his how however i if in indeed into is it its itself just least less let like made make \
        many may me might mine more most much must my myself neither never no nobody none nor not nothing now \
        of off often on once one only or other others otherwise ought our ours ourselves out over own perhaps \
        quite rather said same say says see seem seemed shall she should since so some somebody someone \
        something sometimes soon still such than that the their theirs them themselves then there therefore \
        these they this those though through thus till to too toward towards under until up upon us very was \
        we well were what whatever when whenever where whether which while who whoever whole whom whose why will \
        with within without would yes yet you your yours yourself yourselves mr mrs miss sir madam
        """.split(whereSeparator: \.isWhitespace).map(String.init))

    /// Short generic sentences the paraphraser may add between sentences.
    static let bridges = [
        "That was not all, however.", "This mattered more than it first seemed.", "Nobody said as much at the time.",
        "It was worth remembering.", "There was more to it than that.", "Much of this was plain enough.",
        "Still, the matter was not settled.", "All of this came later.", "It is easy to forget this now.",
        "Things were not quite so simple.", "So it went on for a while.", "Nothing more was said about it.",
    ]
}
