/// Text after normalisation: one entry per word, each with the hash of its folded form and the
/// byte range it came from in the original UTF-8, so evidence can point back at the input.
public struct NormalizedText: Sendable, Equatable {
    /// 64-bit hash of each word's folded form (equal words, equal hashes).
    public var wordHashes: [UInt64]
    /// Byte offset where each word starts in the original UTF-8.
    public var wordStarts: [UInt32]
    /// Byte offset one past each word's end in the original UTF-8.
    public var wordEnds: [UInt32]
    /// Bytes that were not valid UTF-8: decoded leniently as word separators and counted here,
    /// so a caller can refuse the input (`TextFingerprintError.invalidUTF8`) or report it.
    public var replacedBytes: Int
    /// Length of the original UTF-8 input in bytes.
    public var byteCount: Int

    public var wordCount: Int { wordHashes.count }

    /// For texts whose words were hashed elsewhere (stored postings, synthetic benchmarks);
    /// the three arrays must have equal lengths.
    public init(wordHashes: [UInt64], wordStarts: [UInt32], wordEnds: [UInt32], replacedBytes: Int, byteCount: Int) {
        self.wordHashes = wordHashes
        self.wordStarts = wordStarts
        self.wordEnds = wordEnds
        self.replacedBytes = replacedBytes
        self.byteCount = byteCount
    }

    /// Byte range in the original text covered by words `lower..<upper` (empty range for none).
    public func byteRange(words: Range<Int>) -> Range<Int> {
        let lo = max(0, words.lowerBound), hi = min(wordCount, words.upperBound)
        guard lo < hi else { return 0..<0 }
        return Int(wordStarts[lo])..<Int(wordEnds[hi - 1])
    }
}

/// Normalisation that defeats cheap evasion: NFKD, diacritic and format-character removal
/// (zero-width characters, soft hyphen, BOM, bidi controls), case folding and TR39 confusable
/// folding (see `TextFold`), then words = maximal runs of letters/digits, so punctuation and
/// whitespace of any kind and length collapse to one boundary.
///
/// Invalid UTF-8 never traps: each byte that is not part of a well-formed sequence is a word
/// separator and is counted in `replacedBytes`.
public enum TextNormalizer {
    static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let fnvPrime: UInt64 = 0x0000_0100_0000_01b3

    /// Normalises a UTF-8 byte buffer.
    public static func normalize(utf8 bytes: some Collection<UInt8>) -> NormalizedText {
        if let r = bytes.withContiguousStorageIfAvailable({ normalize(buffer: $0) }) { return r }
        return Array(bytes).withUnsafeBufferPointer { normalize(buffer: $0) }
    }

    /// Normalises a string (offsets are into its UTF-8 view).
    public static func normalize(_ text: String) -> NormalizedText {
        var copy = text
        return copy.withUTF8 { normalize(buffer: $0) }
    }

    /// The folded words as strings: for tests and audits, not the hot path.
    public static func foldedWords(_ text: String) -> [String] {
        var words = [String](), current = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            for f in TextFold.foldValue(s.value) {
                if TextFold.isWordScalar(f), let u = Unicode.Scalar(f) {
                    current.append(u)
                } else if !current.isEmpty {
                    words.append(String(current)); current = String.UnicodeScalarView()
                }
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    /// The hash of one folded word, as `NormalizedText.wordHashes` holds it.
    public static func wordHash(folded word: String) -> UInt64 {
        var h = fnvOffset
        for s in word.unicodeScalars { h = (h ^ UInt64(s.value)) &* fnvPrime }
        return TextHash.mix(h)
    }

    /// The reference path: every scalar, ASCII included, decoded and folded through the full
    /// table (`TextFold.foldValue`) with no shortcut. `normalize` must equal it exactly; it is
    /// public so tests can prove that on real text.
    public static func referenceNormalize(utf8 bytes: [UInt8]) -> NormalizedText {
        bytes.withUnsafeBufferPointer { p in
            var out = NormalizedText(wordHashes: [], wordStarts: [], wordEnds: [], replacedBytes: 0,
                                     byteCount: p.count)
            var w = WordState()
            var i = 0
            while i < p.count {
                let scalar: (UInt32, Int)? = p[i] < 0x80 ? (UInt32(p[i]), 1) : decodeScalar(p, at: i)
                guard let (value, length) = scalar else {
                    out.replacedBytes += 1
                    w.close(into: &out)
                    i += 1
                    continue
                }
                w.fold(value, start: i, end: i + length, into: &out)
                i += length
            }
            w.close(into: &out)
            return out
        }
    }

    /// The word being built: its running hash and where it started and (so far) ends.
    struct WordState {
        var inWord = false, h = fnvOffset, start = 0, end = 0

        @inline(__always) mutating func close(into out: inout NormalizedText) {
            if inWord {
                out.wordHashes.append(TextHash.mix(h))
                out.wordStarts.append(UInt32(truncatingIfNeeded: start))
                out.wordEnds.append(UInt32(truncatingIfNeeded: end))
                inWord = false
            }
        }

        @inline(__always) mutating func feed(_ v: UInt32, start s: Int, end e: Int) {
            if !inWord { inWord = true; h = fnvOffset; start = s }
            h = (h ^ UInt64(v)) &* fnvPrime
            end = e
        }

        /// The full path for one scalar: its fold (possibly empty, possibly several scalars),
        /// word scalars extend the word, anything else ends it.
        mutating func fold(_ value: UInt32, start s: Int, end e: Int, into out: inout NormalizedText) {
            for v in TextFold.foldValue(value) {
                if TextFold.isWordScalar(v) { feed(v, start: s, end: e) } else { close(into: &out) }
            }
        }
    }

    /// Fast path: ASCII bytes go through a 256-entry class table (`TextFold.asciiClass`) in tight
    /// loops; anything else (non-ASCII, invalid bytes, an ASCII byte whose fold is not one ASCII
    /// word character or a plain separator) takes the full per-scalar fold of `referenceNormalize`.
    /// The word state lives in plain locals (no helper takes its address) so it stays in registers.
    static func normalize(buffer p: UnsafeBufferPointer<UInt8>) -> NormalizedText {
        let n = p.count
        guard let base = p.baseAddress, n > 0 else {
            return NormalizedText(wordHashes: [], wordStarts: [], wordEnds: [], replacedBytes: 0, byteCount: n)
        }
        return TextFold.asciiClass.withUnsafeBufferPointer { cls in
            let estimate = n / 5 + 16
            var hashes = [UInt64](), starts = [UInt32](), ends = [UInt32]()
            hashes.reserveCapacity(estimate)
            starts.reserveCapacity(estimate)
            ends.reserveCapacity(estimate)
            var replaced = 0
            var inWord = false, h = fnvOffset, start = 0, end = 0
            var i = 0
            while i < n {
                var c = cls[Int(base[i])]
                if c == 0 { // separator run
                    if inWord { emit(h, start, end, &hashes, &starts, &ends); inWord = false }
                    i &+= 1
                    while i < n, cls[Int(base[i])] == 0 { i &+= 1 }
                    continue
                }
                if c < 0x80 { // run of ASCII word characters
                    if !inWord { inWord = true; h = fnvOffset; start = i }
                    repeat {
                        h = (h ^ UInt64(c)) &* fnvPrime
                        i &+= 1
                        guard i < n else { break }
                        c = cls[Int(base[i])]
                    } while c != 0 && c < 0x80
                    end = i
                    continue
                }
                let scalar: (UInt32, Int)? = base[i] < 0x80 ? (UInt32(base[i]), 1) : decodeScalar(p, at: i)
                guard let (value, length) = scalar else {
                    replaced += 1
                    if inWord { emit(h, start, end, &hashes, &starts, &ends); inWord = false }
                    i += 1
                    continue
                }
                for v in TextFold.foldValue(value) {
                    if TextFold.isWordScalar(v) {
                        if !inWord { inWord = true; h = fnvOffset; start = i }
                        h = (h ^ UInt64(v)) &* fnvPrime
                        end = i + length
                    } else if inWord {
                        emit(h, start, end, &hashes, &starts, &ends); inWord = false
                    }
                }
                i += length
            }
            if inWord { emit(h, start, end, &hashes, &starts, &ends) }
            return NormalizedText(wordHashes: hashes, wordStarts: starts, wordEnds: ends,
                                  replacedBytes: replaced, byteCount: n)
        }
    }

    @inline(__always)
    static func emit(_ h: UInt64, _ start: Int, _ end: Int, _ hashes: inout [UInt64],
                     _ starts: inout [UInt32], _ ends: inout [UInt32]) {
        hashes.append(TextHash.mix(h))
        starts.append(UInt32(truncatingIfNeeded: start))
        ends.append(UInt32(truncatingIfNeeded: end))
    }

    /// Decodes one well-formed UTF-8 sequence (no overlongs, surrogates or values past
    /// U+10FFFF) starting at a non-ASCII byte; `nil` if the bytes there are not one.
    @inline(__always)
    static func decodeScalar(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int)? {
        let b0 = UInt32(p[i]), n = p.count
        @inline(__always) func cont(_ k: Int) -> UInt32? {
            guard i + k < n else { return nil }
            let c = UInt32(p[i + k])
            return c & 0xC0 == 0x80 ? c & 0x3F : nil
        }
        switch b0 {
        case 0xC2...0xDF:
            guard let c1 = cont(1) else { return nil }
            return ((b0 & 0x1F) << 6 | c1, 2)
        case 0xE0...0xEF:
            guard let c1 = cont(1), let c2 = cont(2) else { return nil }
            let v = (b0 & 0x0F) << 12 | c1 << 6 | c2
            guard v >= 0x800, !(0xD800...0xDFFF).contains(v) else { return nil }
            return (v, 3)
        case 0xF0...0xF4:
            guard let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) else { return nil }
            let v = (b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
            guard v >= 0x10000, v <= 0x10FFFF else { return nil }
            return (v, 4)
        default:
            return nil
        }
    }
}
