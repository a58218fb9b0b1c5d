/// The text fingerprint summary printed by `hashmark hash FILE.txt --json` and kept per work.
public struct TextFingerprintSummary: Sendable, Hashable, Codable {
    public var algorithm: String
    public var parameters: TextFingerprintParameters
    /// Words after normalisation.
    public var tokens: Int
    /// k-word shingles (all of them: the query side).
    public var shingles: Int
    /// Shingles kept by winnowing (the corpus side, what the index stores).
    public var winnowedShingles: Int
    /// Bytes that were not valid UTF-8 (0 whenever strict decoding succeeded).
    public var replacedBytes: Int
    /// MinHash signature, `parameters.permutations` × 8 hex digits.
    public var minhash: String

    /// Fingerprints UTF-8 bytes. With `strict`, any invalid byte throws `invalid-utf8`
    /// (the CLI's choice); otherwise such bytes separate words and are counted.
    public static func make(utf8 bytes: some Collection<UInt8>,
                            parameters: TextFingerprintParameters = .default,
                            strict: Bool = true) throws(TextFingerprintError) -> TextFingerprintSummary {
        try parameters.validate()
        guard bytes.count <= Int(UInt32.max) else {
            throw TextFingerprintError(.inputTooLarge, "text larger than 4 GiB")
        }
        let text = TextNormalizer.normalize(utf8: bytes)
        if strict, text.replacedBytes > 0 {
            throw TextFingerprintError(.invalidUTF8, "\(text.replacedBytes) bytes are not valid UTF-8")
        }
        return make(text, parameters: parameters)
    }

    /// Fingerprints an already normalised text.
    public static func make(_ text: NormalizedText,
                            parameters: TextFingerprintParameters = .default) -> TextFingerprintSummary {
        let hashes = TextShingler.shingleHashes(text.wordHashes, k: parameters.k)
        let winnowed = TextShingler.winnow(hashes, w: parameters.w)
        let minhash = TextMinHash.signature(shingles: hashes, parameters: parameters)
        return TextFingerprintSummary(algorithm: parameters.algorithm, parameters: parameters,
                                      tokens: text.wordCount, shingles: hashes.count,
                                      winnowedShingles: winnowed.count, replacedBytes: text.replacedBytes,
                                      minhash: minhash.hex)
    }
}
