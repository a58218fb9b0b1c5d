/// A run of the input that is either whitespace or a word (maximal non-whitespace run), with
/// its UTF-8 offset in the text it came from.
struct TextToken {
    var text: String
    var isWord: Bool
    var utf8Offset: Int
}

enum TextTokenizer {
    static func tokenize(_ s: String) -> [TextToken] {
        var tokens: [TextToken] = []
        var current = ""
        var currentIsWord = false
        var start = 0, offset = 0
        for ch in s {
            let word = !ch.isWhitespace
            if !current.isEmpty, word != currentIsWord {
                tokens.append(TextToken(text: current, isWord: currentIsWord, utf8Offset: start))
                current = ""
                start = offset
            }
            if current.isEmpty { currentIsWord = word }
            current.append(ch)
            offset += ch.utf8.count
        }
        if !current.isEmpty { tokens.append(TextToken(text: current, isWord: currentIsWord, utf8Offset: start)) }
        return tokens
    }

    static func words(_ s: String) -> [String] {
        tokenize(s).filter(\.isWord).map(\.text)
    }

    /// Splits a word token into leading punctuation, letter/digit core, trailing punctuation.
    static func splitCore(_ token: String) -> (String, String, String) {
        let chars = Array(token)
        guard let first = chars.firstIndex(where: { $0.isLetter || $0.isNumber }),
              let last = chars.lastIndex(where: { $0.isLetter || $0.isNumber }) else {
            return (token, "", "")
        }
        return (String(chars[..<first]), String(chars[first...last]), String(chars[(last + 1)...]))
    }

    /// Distinct lower-case letter-only words (≥ 2 letters) of a text, sorted so draws from it
    /// depend only on the seed.
    static func vocabulary(_ s: String) -> [String] {
        var set = Set<String>()
        for w in words(s) {
            let core = splitCore(w).1.lowercased()
            if core.count >= 2, core.allSatisfy(\.isLetter) { set.insert(core) }
        }
        return set.sorted()
    }
}
