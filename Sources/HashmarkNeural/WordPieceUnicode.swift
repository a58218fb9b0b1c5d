/// The reference tokenizer's per-scalar behaviour (`WordPieceUnicodeData`), parsed into sorted
/// arrays. Every step of BERT normalisation (clean text, spaces around CJK ideographs, NFD and
/// dropping non-spacing marks, lowercase) maps one scalar to zero or more scalars on its own, so
/// a table per scalar reproduces it. The one thing a table cannot see is NFD's canonical
/// reordering of combining marks. It matters only for the ~200 marks the reference keeps (its
/// Unicode tables are older than its normaliser's, or the mark is spacing), two of them in a row
/// and not in canonical order: text in NFC or NFD never has that (checked over all pairs by
/// hand, Tests/Fixtures/minilm/README.md), so we do not reorder.
struct WordPieceUnicode: Sendable {
    enum Kind: UInt8, Sendable {
        case keep, drop, space, isolate, hangul, map
    }

    /// What the tokenizer does with an ASCII byte, normaliser and pre-tokeniser together.
    enum ASCIIAction: UInt8, Sendable {
        case append, appendLowercased, drop, space, punctuation
    }

    let kindStart: [UInt32]
    let kinds: [Kind]
    let mapKeys: [UInt32]
    /// Mapping `i` is `mapScalars[mapOffsets[i]..<mapOffsets[i + 1]]`.
    let mapOffsets: [Int32]
    let mapScalars: [UInt32]
    let punctuationStart: [UInt32]
    let punctuation: [Bool]
    private(set) var ascii: [ASCIIAction]

    static let shared = WordPieceUnicode()

    private init() {
        var kindStart: [UInt32] = [], kinds: [Kind] = []
        for field in Self.fields(WordPieceUnicodeData.normalizer) {
            let letter = field.last ?? "?"
            kindStart.append(UInt32(field.dropLast(), radix: 16) ?? 0)
            switch letter {
            case "k": kinds.append(.keep)
            case "d": kinds.append(.drop)
            case "s": kinds.append(.space)
            case "i": kinds.append(.isolate)
            case "h": kinds.append(.hangul)
            default: kinds.append(.map)
            }
        }
        var mapKeys: [UInt32] = [], mapOffsets: [Int32] = [0], mapScalars: [UInt32] = []
        for field in Self.fields(WordPieceUnicodeData.mappings) {
            let parts = field.split(separator: "=")
            mapKeys.append(UInt32(parts[0], radix: 16) ?? 0)
            for scalar in parts[1].split(separator: ",") { mapScalars.append(UInt32(scalar, radix: 16) ?? 0) }
            mapOffsets.append(Int32(mapScalars.count))
        }
        var punctuationStart: [UInt32] = [], punctuation: [Bool] = []
        for field in Self.fields(WordPieceUnicodeData.preTokenizer) {
            punctuationStart.append(UInt32(field.dropLast(), radix: 16) ?? 0)
            punctuation.append(field.last == "p")
        }
        self.kindStart = kindStart
        self.kinds = kinds
        self.mapKeys = mapKeys
        self.mapOffsets = mapOffsets
        self.mapScalars = mapScalars
        self.punctuationStart = punctuationStart
        self.punctuation = punctuation
        self.ascii = []
        // The ASCII fast path comes from the same tables, so it cannot disagree with them.
        var ascii: [ASCIIAction] = []
        for b in UInt32(0)..<128 {
            switch self.kind(b) {
            case _ where b == 0x20: ascii.append(.space)
            case .drop: ascii.append(.drop)
            case .space: ascii.append(.space)
            case .map where self.mapping(b).count == 1 && self.mapping(b).first == b | 0x20:
                ascii.append(.appendLowercased)
            default: ascii.append(self.isPunctuation(b) ? .punctuation : .append)
            }
        }
        self.ascii = ascii
    }

    private static func fields(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" })
    }

    /// The index of the last range that starts at or before `scalar`.
    @inline(__always)
    private static func range(of scalar: UInt32, in starts: [UInt32]) -> Int {
        var low = 0, high = starts.count
        while high - low > 1 {
            let mid = (low + high) >> 1
            if starts[mid] <= scalar { low = mid } else { high = mid }
        }
        return low
    }

    func kind(_ scalar: UInt32) -> Kind {
        kinds[Self.range(of: scalar, in: kindStart)]
    }

    func mapping(_ scalar: UInt32) -> ArraySlice<UInt32> {
        var low = 0, high = mapKeys.count
        while low < high {
            let mid = (low + high) >> 1
            if mapKeys[mid] < scalar { low = mid + 1 } else { high = mid }
        }
        guard low < mapKeys.count, mapKeys[low] == scalar else { return [] }
        return mapScalars[Int(mapOffsets[low])..<Int(mapOffsets[low + 1])]
    }

    func isPunctuation(_ scalar: UInt32) -> Bool {
        punctuation[Self.range(of: scalar, in: punctuationStart)]
    }
}
