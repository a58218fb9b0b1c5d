#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A part of speech, named as in the WordNet file names (`index.adj`, …).
public enum WordNetPOS: String, Sendable, Hashable, CaseIterable, Codable {
    case noun, verb
    case adjective = "adj"
    case adverb = "adv"

    /// From a synset type or pointer part-of-speech letter (`s` is a satellite adjective).
    init?(letter: Substring) {
        switch letter {
        case "n": self = .noun
        case "v": self = .verb
        case "a", "s": self = .adjective
        case "r": self = .adverb
        default: return nil
        }
    }
}

/// A word's line of `index.<pos>`: its synsets in sense order (most frequent first).
public struct WordNetIndexEntry: Sendable, Hashable {
    public let lemma: String
    public let pos: WordNetPOS
    public let synsetOffsets: [Int]
    /// How many of the senses were seen in the sense-tagged concordance (a frequency signal).
    public let taggedSenseCount: Int
}

/// One synonym set of `data.<pos>`.
public struct WordNetSynset: Sendable, Hashable {
    public let pos: WordNetPOS
    public let offset: Int
    /// As stored: underscores between words, capitals kept (proper names), adjective markers
    /// such as `(a)` removed.
    public let lemmas: [String]
    /// Targets of `@` pointers (same part of speech).
    public let hypernymOffsets: [Int]
    /// Targets of `&` pointers (adjective clusters: a satellite's head and the reverse).
    public let similarOffsets: [Int]
    /// Verb frame numbers (`wndb(5)`); 8–11 are the transitive ones ("Somebody ----s something").
    public let verbFrames: [Int]
}

/// Princeton WordNet 3.0 read from its database files (Debian: `wordnet-base`).
public struct WordNetLexicon: Sendable {
    struct Part: Sendable {
        let index: [UInt8]
        let lines: [Int32]
        let data: [UInt8]
        let exceptions: [String: [String]]
        /// The exception list read backwards: base form → irregular forms.
        let irregular: [String: [String]]
    }

    let parts: [WordNetPOS: Part]
    public let folder: String

    /// `$HASHMARK_WORDNET`, else Debian's `/usr/share/wordnet`.
    public static var defaultFolder: String {
        if let env = getenv("HASHMARK_WORDNET"), env.pointee != 0 { return String(cString: env) }
        return "/usr/share/wordnet"
    }

    /// Reads the index, data and exception files of the four parts of speech in `folder`.
    public init(folder: String) throws(TransformError) {
        var parts: [WordNetPOS: Part] = [:]
        for pos in WordNetPOS.allCases {
            let base = folder.hasSuffix("/") ? folder : folder + "/"
            guard let index = WordNetFiles.load(base + "index." + pos.rawValue),
                  let data = WordNetFiles.load(base + "data." + pos.rawValue),
                  let exc = WordNetFiles.load(base + pos.rawValue + ".exc") else {
                throw .unavailable("WordNet not found at \(folder): apt-get install wordnet-base")
            }
            let exceptions = WordNetFiles.exceptions(exc)
            var irregular: [String: [String]] = [:]
            for (form, bases) in exceptions.sorted(by: { $0.key < $1.key }) {
                for b in bases { irregular[b, default: []].append(form) }
            }
            parts[pos] = Part(index: index, lines: WordNetFiles.lineStarts(index), data: data,
                              exceptions: exceptions, irregular: irregular)
        }
        self.parts = parts
        self.folder = folder
    }

    private static let loaded = Result { () throws(TransformError) -> WordNetLexicon in
        try WordNetLexicon(folder: defaultFolder)
    }

    /// The lexicon of `defaultFolder`, loaded on first use (once per process, thread-safe).
    public static func shared() throws(TransformError) -> WordNetLexicon {
        try loaded.get()
    }

    /// The index line of an exact lemma (lower case; spaces or underscores between words).
    public func entry(_ lemma: String, _ pos: WordNetPOS) -> WordNetIndexEntry? {
        guard let part = parts[pos], !lemma.isEmpty else { return nil }
        let key = Array(lemma.lowercased().replacingSpaces().utf8)
        var lo = 0, hi = part.lines.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let c = WordNetFiles.compare(part.index, lineAt: Int(part.lines[mid]), with: key)
            if c == 0 { return parseEntry(WordNetFiles.fields(part.index, at: Int(part.lines[mid])), pos) }
            if c < 0 { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    private func parseEntry(_ f: [Substring], _ pos: WordNetPOS) -> WordNetIndexEntry? {
        guard f.count >= 4, let synsets = Int(f[2]), let pointers = Int(f[3]) else { return nil }
        let tagged = 5 + pointers
        guard f.count >= tagged + 1 + synsets, let taggedCount = Int(f[tagged]) else { return nil }
        let offsets = f[(tagged + 1)..<(tagged + 1 + synsets)].compactMap { Int($0) }
        return WordNetIndexEntry(lemma: String(f[0]), pos: pos, synsetOffsets: offsets, taggedSenseCount: taggedCount)
    }

    /// The synset stored at `offset` of `data.<pos>`.
    public func synset(at offset: Int, _ pos: WordNetPOS) -> WordNetSynset? {
        guard let part = parts[pos] else { return nil }
        let f = WordNetFiles.fields(part.data, at: offset)
        guard f.count >= 4, Int(f[0]) == offset, let words = Int(f[3], radix: 16) else { return nil }
        var i = 4
        var lemmas: [String] = []
        for _ in 0..<words where i + 1 < f.count {
            let word = f[i].split(separator: "(", maxSplits: 1).first ?? f[i]
            lemmas.append(String(word))
            i += 2
        }
        guard i < f.count, let pointers = Int(f[i]) else { return nil }
        i += 1
        var hypernyms: [Int] = [], similar: [Int] = []
        for _ in 0..<pointers where i + 3 < f.count {
            if f[i] == "@", let target = Int(f[i + 1]) { hypernyms.append(target) }
            if f[i] == "&", let target = Int(f[i + 1]) { similar.append(target) }
            i += 4
        }
        var frames: [Int] = []
        if pos == .verb, i < f.count, let count = Int(f[i]) {
            i += 1
            for _ in 0..<count where i + 2 < f.count {
                if let frame = Int(f[i + 1]) { frames.append(frame) }
                i += 3
            }
        }
        return WordNetSynset(pos: pos, offset: offset, lemmas: lemmas, hypernymOffsets: hypernyms,
                             similarOffsets: similar, verbFrames: frames)
    }

    /// The synsets of a word form, in sense order, after lemmatisation (`baseForms`).
    public func synsets(of word: String, _ pos: WordNetPOS) -> [WordNetSynset] {
        var seen = Set<Int>()
        var out: [WordNetSynset] = []
        for base in baseForms(of: word, pos) {
            for offset in entry(base, pos)?.synsetOffsets ?? [] where seen.insert(offset).inserted {
                if let s = synset(at: offset, pos) { out.append(s) }
            }
        }
        return out
    }

    /// The synsets a synset's `@` pointers lead to.
    public func hypernyms(of synset: WordNetSynset) -> [WordNetSynset] {
        synset.hypernymOffsets.compactMap { self.synset(at: $0, synset.pos) }
    }

    /// The synsets a synset's `&` pointers lead to.
    public func similar(to synset: WordNetSynset) -> [WordNetSynset] {
        synset.similarOffsets.compactMap { self.synset(at: $0, synset.pos) }
    }
}

extension String {
    func replacingSpaces() -> String { String(map { $0 == " " ? "_" : $0 }) }
}
