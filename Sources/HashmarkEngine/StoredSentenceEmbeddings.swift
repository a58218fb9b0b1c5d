import HashmarkPrimitives

/// A text work's sentences embedded by the paraphrase matcher's transformer, as registration
/// stored them (one fingerprint row a work, `FingerprintAlgorithm.sentenceEmbeddings`): each
/// sentence's key (`key(of:)`) and unit embedding. Matching reads a corpus sentence's embedding
/// from here instead of computing it; a sentence not found (a text split differently since) is
/// computed as before.
public struct StoredSentenceEmbeddings: Sendable, Equatable {
    public let dimension: Int
    /// One per sentence, in the order the vectors are stored.
    public let keys: [UInt64]
    /// Row-major, `keys.count × dimension`.
    public let vectors: [Float]

    public init(dimension: Int, keys: [UInt64], vectors: [Float]) {
        precondition(vectors.count == keys.count * dimension, "one vector of \(dimension) floats per key")
        self.dimension = dimension
        self.keys = keys
        self.vectors = vectors
    }

    /// A sentence's key: the first 8 bytes of the SHA-256 of its UTF-8, little-endian. By
    /// content, so what is stored does not depend on where a splitter put the sentence.
    public static func key(of utf8: some Sequence<UInt8>) -> UInt64 {
        SHA256.hash(utf8).prefix(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Row `i`'s vector.
    func vector(_ i: Int) -> [Float] { Array(vectors[(i * dimension)..<((i + 1) * dimension)]) }

    static let magic: [UInt8] = Array("HMSE".utf8)

    /// `"HMSE"`, version `UInt8` = 1, dimension `UInt16`, count `UInt32`, the keys (`UInt64`),
    /// then the vectors (float32), all little-endian.
    public func encoded() -> [UInt8] {
        var out = Self.magic + [1]
        out.reserveCapacity(11 + keys.count * (8 + 4 * dimension))
        withUnsafeBytes(of: UInt16(clamping: dimension).littleEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(clamping: keys.count).littleEndian) { out.append(contentsOf: $0) }
        for k in keys { withUnsafeBytes(of: k.littleEndian) { out.append(contentsOf: $0) } }
        for x in vectors { withUnsafeBytes(of: x.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }

    /// `nil` for anything malformed (magic, version, a length that disagrees with the counts, a
    /// non-finite value).
    public init?(encoded b: [UInt8]) {
        guard b.count >= 11, Array(b[0..<4]) == Self.magic, b[4] == 1 else { return nil }
        let d = Int(b[5]) | Int(b[6]) << 8
        let n = Int(b[7]) | Int(b[8]) << 8 | Int(b[9]) << 16 | Int(b[10]) << 24
        guard d > 0, b.count == 11 + n * (8 + 4 * d) else { return nil }
        var keys = [UInt64](repeating: 0, count: n), vectors = [Float](repeating: 0, count: n * d)
        let finite = b.withUnsafeBytes { raw -> Bool in
            for i in 0..<n { keys[i] = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 11 + 8 * i, as: UInt64.self)) }
            let base = 11 + 8 * n
            for i in 0..<(n * d) {
                vectors[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: base + 4 * i, as: UInt32.self)))
                if !vectors[i].isFinite { return false }
            }
            return true
        }
        guard finite else { return nil }
        self.init(dimension: d, keys: keys, vectors: vectors)
    }
}
