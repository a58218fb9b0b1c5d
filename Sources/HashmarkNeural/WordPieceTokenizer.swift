/// The WordPiece tokenizer of all-MiniLM-L6-v2 (BERT uncased): text in, token ids out, the same
/// ids as the reference (HuggingFace `tokenizers` with the model's `tokenizer.json`).
///
/// Steps, as the reference does them: the special tokens `[CLS]`, `[SEP]`, `[PAD]`, `[UNK]`,
/// `[MASK]` written literally in the raw text are kept as themselves; the rest is normalised
/// (control and format characters dropped, whitespace made a space, CJK ideographs set apart,
/// accents stripped, lowercased), split on whitespace and around punctuation, and each word is
/// cut greedily into the longest vocabulary pieces ("##" marks a continuation). A word longer
/// than 100 scalars, or one that cannot be cut, becomes `[UNK]`.
public struct WordPieceTokenizer: Sendable {
    public let unknownID: Int32
    public let classifierID: Int32
    public let separatorID: Int32
    public let paddingID: Int32
    public let maskID: Int32
    /// Words longer than this (in Unicode scalars, after normalisation) become `[UNK]`.
    public static let maxInputCharsPerWord = 100

    let vocabulary: WordPieceVocabulary
    let unicode = WordPieceUnicode.shared
    /// The special tokens recognised in raw text, without their opening "[".
    private let specials: [(name: [UInt8], id: Int32)]

    /// - Parameter vocabulary: the text of `vocab.txt`, one token a line, line number = id.
    public init(vocabulary: String) throws(NeuralError) {
        try self.init(vocabularyUTF8: Array(vocabulary.utf8))
    }

    /// - Parameter vocabularyUTF8: the bytes of `vocab.txt`.
    public init(vocabularyUTF8: [UInt8]) throws(NeuralError) {
        let vocabulary = try WordPieceVocabulary(text: vocabularyUTF8)
        func id(_ token: String) throws(NeuralError) -> Int32 {
            guard let id = vocabulary.id(of: token) else {
                throw NeuralError(.missingSpecialToken, "the vocabulary has no \(token)")
            }
            return id
        }
        self.vocabulary = vocabulary
        unknownID = try id("[UNK]")
        classifierID = try id("[CLS]")
        separatorID = try id("[SEP]")
        paddingID = try id("[PAD]")
        maskID = try id("[MASK]")
        specials = [("PAD]", paddingID), ("UNK]", unknownID), ("CLS]", classifierID),
                    ("SEP]", separatorID), ("MASK]", maskID)].map { (Array($0.0.utf8), $0.1) }
    }

    /// The number of tokens in the vocabulary.
    public var vocabularySize: Int { vocabulary.count }

    /// `[CLS]`, the ids of `text`, `[SEP]`: at most `maxTokens` ids (at least 2), the text's
    /// ids cut at the end as sentence-transformers does (its max_seq_length, 256 for this model).
    public func encode(_ text: String, maxTokens: Int = 256) -> [Int32] {
        var text = text
        return text.withUTF8 { encode(utf8: $0, maxTokens: maxTokens) }
    }

    /// As `encode(_:maxTokens:)`, for text already in UTF-8. Bytes that are not valid UTF-8 give
    /// ids that mean nothing, but never trap.
    public func encode(utf8 text: UnsafeBufferPointer<UInt8>, maxTokens: Int = 256) -> [Int32] {
        var state = WordPieceEncoding(tokenizer: self, limit: Swift.max(maxTokens, 2) - 1,
                                      capacity: Swift.min(maxTokens, text.count / 3 + 2))
        let count = text.count
        let ascii = unicode.ascii
        var i = 0
        while i < count, state.ids.count < state.limit {
            let b = text[i]
            if b < 0x80 {
                if b == 0x5B, let (id, length) = special(in: text, at: i) {
                    state.flush()
                    state.ids.append(id)
                    i += length
                    continue
                }
                switch ascii[Int(b)] {
                case .append: state.append(byte: b)
                case .appendLowercased: state.append(byte: b | 0x20)
                case .drop: break
                case .space: state.flush()
                case .punctuation:
                    state.flush()
                    state.append(byte: b)
                    state.flush()
                }
                i += 1
                continue
            }
            let (scalar, length) = Self.decode(text, at: i)
            i += length
            state.normalise(scalar)
        }
        state.flush()
        if state.ids.count > state.limit { state.ids.removeSubrange(state.limit...) }
        state.ids.append(separatorID)
        return state.ids
    }

    /// The id and byte length of a special token written at `i` (which holds "["), if any.
    @inline(__always)
    private func special(in text: UnsafeBufferPointer<UInt8>, at i: Int) -> (Int32, Int)? {
        for (name, id) in specials where i + name.count < text.count {
            var same = true
            for k in name.indices where text[i + 1 + k] != name[k] {
                same = false
                break
            }
            if same { return (id, name.count + 1) }
        }
        return nil
    }

    /// The scalar that starts at `i` in valid UTF-8, and its length in bytes.
    @inline(__always)
    static func decode(_ text: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b = UInt32(text[i])
        let count = text.count
        func next(_ k: Int) -> UInt32 { i + k < count ? UInt32(text[i + k]) & 0x3F : 0 }
        if b < 0xE0 { return ((b & 0x1F) << 6 | next(1), 2) }
        if b < 0xF0 { return ((b & 0x0F) << 12 | next(1) << 6 | next(2), 3) }
        return ((b & 0x07) << 18 | next(1) << 12 | next(2) << 6 | next(3), 4)
    }
}
