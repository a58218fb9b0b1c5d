/// The WordPiece vocabulary as two open-addressing hash tables over UTF-8 bytes: one for the
/// first piece of a word (every token), one for continuations (tokens that start with "##",
/// keyed without it). Keys are compared byte for byte: Swift `String` equality is canonical
/// equivalence, which would let "é" match "e\u{301}" where the reference does not.
struct WordPieceVocabulary: Sendable {
    /// A table keyed by byte strings stored in one shared buffer.
    struct Table: Sendable {
        var keyStart: [Int32] = []
        var keyLength: [Int32] = []
        var ids: [Int32] = []
        var hashes: [UInt64] = []
        /// Entry index + 1, 0 when empty; the count is a power of two.
        var slots: [Int32]
        /// The longest key in bytes: no longer piece can match.
        var longestKey = 0

        init(capacity: Int) {
            var size = 16
            while size < capacity * 2 { size <<= 1 }
            slots = [Int32](repeating: 0, count: size)
        }

        /// Adds a key, or returns the id already stored under the same bytes.
        mutating func insert(start: Int, length: Int, id: Int32, in bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
            let key = UnsafeBufferPointer(rebasing: bytes[start..<(start + length)])
            if let existing = lookup(key, in: bytes) { return existing }
            let hash = WordPieceVocabulary.hash(key)
            var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
            keyStart.append(Int32(start))
            keyLength.append(Int32(length))
            ids.append(id)
            hashes.append(hash)
            slots[slot] = Int32(ids.count)
            longestKey = Swift.max(longestKey, length)
            return nil
        }

        func lookup(_ key: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
            let hash = WordPieceVocabulary.hash(key)
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let stored = Int(slots[slot])
                if stored == 0 { return nil }
                let entry = stored - 1
                if hashes[entry] == hash, Int(keyLength[entry]) == key.count {
                    let start = Int(keyStart[entry])
                    var same = true
                    for k in 0..<key.count where bytes[start + k] != key[k] {
                        same = false
                        break
                    }
                    if same { return ids[entry] }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Every token's bytes, one after the other.
    let bytes: [UInt8]
    let initial: Table
    let continuation: Table
    /// Token id → (start, length) in `bytes`, for looking tokens up by id.
    let tokenStart: [Int32]

    /// Reads `vocab.txt`: one token a line (LF), the line number (from 0) is the id.
    init(text: some Collection<UInt8>) throws(NeuralError) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var starts: [Int32] = [0]
        for b in text {
            if b == 0x0A {
                starts.append(Int32(bytes.count))
            } else {
                bytes.append(b)
            }
        }
        if Int(starts[starts.count - 1]) != bytes.count { starts.append(Int32(bytes.count)) }
        let count = starts.count - 1
        guard count > 0 else { throw NeuralError(.emptyVocabulary, "the vocabulary has no tokens") }
        var initial = Table(capacity: count), continuation = Table(capacity: count)
        try bytes.withUnsafeBufferPointer { all throws(NeuralError) in
            for id in 0..<count {
                let start = Int(starts[id]), length = Int(starts[id + 1]) - start
                guard length > 0 else {
                    throw NeuralError(.emptyToken, "line \(id + 1) of the vocabulary is empty")
                }
                if let other = initial.insert(start: start, length: length, id: Int32(id), in: all) {
                    throw NeuralError(.duplicateToken, "lines \(other + 1) and \(id + 1) of the vocabulary hold the same token")
                }
                if length > 2, all[start] == 0x23, all[start + 1] == 0x23 {
                    _ = continuation.insert(start: start + 2, length: length - 2, id: Int32(id), in: all)
                }
            }
        }
        self.bytes = bytes
        self.initial = initial
        self.continuation = continuation
        self.tokenStart = starts
    }

    var count: Int { tokenStart.count - 1 }

    /// The id of `token`, looked up as a first piece.
    func id(of token: String) -> Int32? {
        var token = token
        return token.withUTF8 { key in bytes.withUnsafeBufferPointer { initial.lookup(key, in: $0) } }
    }

    /// FNV-1a, 64 bits.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key {
            h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3
        }
        return h
    }
}
