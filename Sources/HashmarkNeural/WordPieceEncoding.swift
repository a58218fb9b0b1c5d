/// One `encode` call: the ids so far and the word being collected (normalised UTF-8).
struct WordPieceEncoding {
    let tokenizer: WordPieceTokenizer
    /// Ids allowed before `[SEP]`, `[CLS]` included.
    let limit: Int
    var ids: [Int32]
    var word: [UInt8] = []
    var wordScalars = 0

    init(tokenizer: WordPieceTokenizer, limit: Int, capacity: Int) {
        self.tokenizer = tokenizer
        self.limit = limit
        ids = [tokenizer.classifierID]
        ids.reserveCapacity(capacity)
        word.reserveCapacity(64)
    }

    @inline(__always)
    mutating func append(byte: UInt8) {
        word.append(byte)
        wordScalars += 1
    }

    /// Normalises one non-ASCII scalar and adds what it becomes.
    mutating func normalise(_ scalar: UInt32) {
        let unicode = tokenizer.unicode
        switch unicode.kind(scalar) {
        case .keep: add(scalar)
        case .drop: break
        case .space: flush()
        case .isolate:
            flush()
            add(scalar)
            flush()
        case .hangul:
            let s = scalar - 0xAC00
            add(0x1100 + s / 588)
            add(0x1161 + (s % 588) / 28)
            if s % 28 != 0 { add(0x11A7 + s % 28) }
        case .map:
            for out in unicode.mapping(scalar) {
                if out == 0x20 { flush() } else { add(out) }
            }
        }
    }

    /// Adds a normalised scalar: to the word, or as a word of its own if it is punctuation.
    @inline(__always)
    mutating func add(_ scalar: UInt32) {
        let punctuation = tokenizer.unicode.isPunctuation(scalar)
        if punctuation { flush() }
        if scalar < 0x80 {
            word.append(UInt8(scalar))
        } else if scalar < 0x800 {
            word.append(UInt8(0xC0 | scalar >> 6))
            word.append(UInt8(0x80 | scalar & 0x3F))
        } else if scalar < 0x10000 {
            word.append(UInt8(0xE0 | scalar >> 12))
            word.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
            word.append(UInt8(0x80 | scalar & 0x3F))
        } else {
            word.append(UInt8(0xF0 | scalar >> 18))
            word.append(UInt8(0x80 | (scalar >> 12) & 0x3F))
            word.append(UInt8(0x80 | (scalar >> 6) & 0x3F))
            word.append(UInt8(0x80 | scalar & 0x3F))
        }
        wordScalars += 1
        if punctuation { flush() }
    }

    /// Cuts the collected word into pieces, greedy longest match first.
    mutating func flush() {
        guard wordScalars > 0 else { return }
        defer {
            word.removeAll(keepingCapacity: true)
            wordScalars = 0
        }
        if wordScalars > WordPieceTokenizer.maxInputCharsPerWord {
            ids.append(tokenizer.unknownID)
            return
        }
        let vocabulary = tokenizer.vocabulary
        let first = ids.count
        let matched: Bool = word.withUnsafeBufferPointer { word in
            vocabulary.bytes.withUnsafeBufferPointer { bytes in
                let n = word.count
                var start = 0
                while start < n {
                    let table = start == 0 ? vocabulary.initial : vocabulary.continuation
                    var end = Swift.min(n, start + table.longestKey)
                    while end < n, end > start, word[end] & 0xC0 == 0x80 { end -= 1 }
                    var found: Int32?
                    while end > start {
                        if let id = table.lookup(UnsafeBufferPointer(rebasing: word[start..<end]), in: bytes) {
                            found = id
                            break
                        }
                        end -= 1
                        while end > start, word[end] & 0xC0 == 0x80 { end -= 1 }
                    }
                    guard let id = found else { return false }
                    ids.append(id)
                    start = end
                }
                return true
            }
        }
        if !matched {
            ids.removeSubrange(first...)
            ids.append(tokenizer.unknownID)
        }
    }
}
