// Synthetic books for the 10,000-book index benchmark.
//
// Book b is `perBook` chapters (whole texts of the data set) drawn at random and shuffled, so
// its length and word statistics are real ones. Drawn verbatim, every chapter would recur in
// ~(books × perBook / texts) books and every one of its shingles would have that many postings:
// an index of copies, not of books. So each book also gets its own vocabulary: every word hash
// except the `keepFrequent` most frequent words of the data set is replaced by a per-book
// bijection (mix(h ^ salt_b)). Phrases made only of frequent words ("and it was in the") stay
// shared by all books, as stop phrases are in a real library; content phrases do not.

import HashmarkFingerprint

struct SyntheticBooks {
    let chapters: [NormalizedText]
    let frequent: Set<UInt64>
    let count: Int
    let perBook: Int
    let seed: UInt64

    init(chapters: [NormalizedText], count: Int, perBook: Int, keepFrequent: Int, seed: UInt64 = 0x626F_6F6B) {
        var freq = [UInt64: Int]()
        for c in chapters { for h in c.wordHashes { freq[h, default: 0] += 1 } }
        frequent = Set(freq.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(keepFrequent).map(\.key))
        self.chapters = chapters
        self.count = count
        self.perBook = perBook
        self.seed = seed
    }

    /// The chapters of book `b`, in their shuffled order (distinct within a book).
    func composition(_ b: Int) -> [Int] {
        var rng = SplitMix64(state: seed ^ (UInt64(b) &* 0x9E37_79B9_7F4A_7C15))
        var picked = [Int]()
        while picked.count < min(perBook, chapters.count) {
            let c = Int(rng.next() % UInt64(chapters.count))
            if !picked.contains(c) { picked.append(c) }
        }
        return picked
    }

    /// Book `b`'s normalised text, regenerated on demand (as the engine re-normalises a work
    /// from the corpus for alignment); byte offsets continue from chapter to chapter.
    func text(_ b: Int) -> NormalizedText {
        let salt = TextHash.mix(seed &+ UInt64(b) &+ 1)
        var out = NormalizedText(wordHashes: [], wordStarts: [], wordEnds: [], replacedBytes: 0, byteCount: 0)
        for c in composition(b) {
            let ch = chapters[c], base = UInt32(out.byteCount)
            out.wordHashes += ch.wordHashes.map { frequent.contains($0) ? $0 : TextHash.mix($0 ^ salt) }
            out.wordStarts += ch.wordStarts.map { $0 + base }
            out.wordEnds += ch.wordEnds.map { $0 + base }
            out.byteCount += ch.byteCount + 1
        }
        return out
    }

    var words: Int { (0..<count).reduce(0) { n, b in n + composition(b).reduce(0) { $0 + chapters[$1].wordCount } } }
}

struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
