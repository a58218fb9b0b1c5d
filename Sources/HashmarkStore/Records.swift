import HashmarkFingerprint

/// A registered work: what a verdict names when it matches.
public struct Work: Sendable, Hashable, Codable {
    /// Stable id chosen at registration (default: file name without extension).
    public var id: String
    public var title: String
    /// The rights holder.
    public var owner: String
    /// SPDX id or free text, as registered.
    public var license: String
    /// Where the work came from (path, URL, hash bank name).
    public var source: String
    /// `image`, `text`, … as decided by the media layer.
    public var mediaType: String
    /// Lower-case hex SHA-256 of the registered file; `nil` for hash-only works imported from a
    /// hash bank, which have no file (those are identified by `id` instead).
    public var sha256: String?
    /// Seconds since 1970, set by the store when the work is first added.
    public var addedAt: Double
    /// A work, or an element (a logo, a watermark) whose matches never count on their own.
    public var role: WorkRole

    public init(id: String, title: String = "", owner: String = "", license: String = "",
                source: String = "", mediaType: String, sha256: String?, addedAt: Double = 0, role: WorkRole = .work) {
        self.id = id
        self.title = title
        self.owner = owner
        self.license = license
        self.source = source
        self.mediaType = mediaType
        self.sha256 = sha256
        self.addedAt = addedAt
        self.role = role
    }

    enum CodingKeys: String, CodingKey { case id, title, owner, license, source, mediaType, sha256, addedAt, role }

    /// JSON written before `role` existed reads as a work.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), title: try c.decode(String.self, forKey: .title),
                  owner: try c.decode(String.self, forKey: .owner), license: try c.decode(String.self, forKey: .license),
                  source: try c.decode(String.self, forKey: .source), mediaType: try c.decode(String.self, forKey: .mediaType),
                  sha256: try c.decodeIfPresent(String.self, forKey: .sha256), addedAt: try c.decode(Double.self, forKey: .addedAt),
                  role: try c.decodeIfPresent(WorkRole.self, forKey: .role) ?? .work)
    }
}

/// What a registered item is for (the `role` column, `corpus list`, a manifest's `role` column).
public enum WorkRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// A rights holder's work: what verdicts name.
    case work
    /// An ignore-element: a logo, wordmark, watermark or frame that many images share. It is never
    /// matched as a work; keypoints of a submission that lie on it do not count towards a match
    /// (only its local features are stored).
    case ignoreElement = "ignore-element"
}

/// One stored fingerprint of a work. The store keeps the bytes opaque; `algorithm` + `version`
/// say how to read them, so fingerprints of different algorithms are never compared.
///
/// A work with transparent pixels is registered as it shows over white (variant 0, as every
/// work) and over the other `WorkVariant.backgrounds` (black, mid-grey), so that a copy pasted onto
/// a dark, grey or busy background still finds one of them.
public struct StoredFingerprint: Sendable, Hashable {
    /// E.g. `pdq`, `minhash`.
    public var algorithm: String
    public var version: Int
    /// Which variant of the work this is (`WorkVariant`: 0 the work as it is; PDQ rows may also
    /// name a dihedral transform 0…7; `WorkVariant.backgrounds` a transparent work over another
    /// background).
    public var variant: Int
    public var data: [UInt8]
    /// Algorithm-specific quality (PDQ: 0…100); `nil` when the algorithm has none.
    public var quality: Int?

    public init(algorithm: String, version: Int, variant: Int = 0, data: [UInt8], quality: Int? = nil) {
        self.algorithm = algorithm
        self.version = version
        self.variant = variant
        self.data = data
        self.quality = quality
    }

    /// The PDQ algorithm id used by `allPDQ()`.
    public static let pdqAlgorithm = FingerprintAlgorithm.pdq.id

    /// A PDQ fingerprint: 32 bytes, the hash's hex order (`words[0]` big-endian first).
    public static func pdq(_ hash: Hash256, quality: Int, variant: Int = 0,
                           version: Int = FingerprintAlgorithm.pdq.version) -> StoredFingerprint {
        StoredFingerprint(algorithm: pdqAlgorithm, version: version, variant: variant,
                          data: hash.bigEndianBytes, quality: quality)
    }

    /// The hash of a PDQ fingerprint; `nil` for other algorithms or malformed data.
    public var pdqHash: Hash256? {
        algorithm == Self.pdqAlgorithm ? Hash256(bigEndianBytes: data) : nil
    }
}

/// All PDQ rows in one bulk read, laid out for building an in-memory index.
///
/// Parallel arrays (not an array of structs) so an index can take `hashes` as is; row `i`
/// belongs to work `workIDs[Int(workIndex[i])]`.
public struct PDQTable: Sendable {
    /// Distinct work ids; `workIndex` points into this.
    public var workIDs: [String]
    public var workIndex: [UInt32]
    public var hashes: [Hash256]
    /// PDQ quality, 0…100 (−1 when missing).
    public var quality: [Int8]
    /// Dihedral variant 0…7.
    public var variant: [UInt8]

    public init(workIDs: [String] = [], workIndex: [UInt32] = [], hashes: [Hash256] = [],
                quality: [Int8] = [], variant: [UInt8] = []) {
        self.workIDs = workIDs
        self.workIndex = workIndex
        self.hashes = hashes
        self.quality = quality
        self.variant = variant
    }

    public var count: Int { hashes.count }
}

/// All text postings in one bulk read, for building the inverted shingle index.
public struct PostingsTable: Sendable {
    public var workIDs: [String]
    public var workIndex: [UInt32]
    public var hashes: [UInt64]
    public var positions: [Int32]

    public init(workIDs: [String] = [], workIndex: [UInt32] = [], hashes: [UInt64] = [], positions: [Int32] = []) {
        self.workIDs = workIDs
        self.workIndex = workIndex
        self.hashes = hashes
        self.positions = positions
    }

    public var count: Int { hashes.count }
}

/// Counts for `hashmark corpus stats`.
public struct StoreStats: Sendable, Hashable, Codable {
    public var works: Int
    /// Works per media type.
    public var worksByMediaType: [String: Int]
    /// Fingerprint rows per algorithm.
    public var fingerprintsByAlgorithm: [String: Int]
    public var textPostings: Int
    public var snapshotVersion: Int64
    /// Size of the database file in bytes (main file only, WAL excluded).
    public var fileBytes: Int64
    /// Registered ignore-elements (`WorkRole.ignoreElement`; not counted in `works`).
    public var ignoreElements: Int = 0
}

/// A citable corpus state: every verdict names the corpus it was matched against.
///
/// `version` increases by one in the same transaction as every change; `digest` is SHA-256 over
/// the sorted works and their fingerprints and texts, so two stores with equal contents have
/// equal digests whatever their history.
public struct CorpusSnapshot: Sendable, Hashable, Codable {
    public var version: Int64
    /// 64 lower-case hex digits.
    public var digest: String
    /// `v<version>-<first 16 hex digits of digest>`: short enough for a log line.
    public var id: String { "v\(version)-\(digest.prefix(16))" }
}

extension Hash256 {
    /// 32 bytes in hex order: `words[0]` big-endian first.
    var bigEndianBytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32)
        for k in 0..<4 {
            let w = words[k]
            for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: w >> UInt64(s))) }
        }
        return out
    }

    /// Inverse of `bigEndianBytes`; `nil` unless exactly 32 bytes.
    init?(bigEndianBytes b: some Collection<UInt8>) {
        guard b.count == 32 else { return nil }
        var w = SIMD4<UInt64>.zero
        for (i, byte) in b.enumerated() { w[i >> 3] = (w[i >> 3] << 8) | UInt64(byte) }
        self.init(words: w)
    }
}

/// The `variant` values of stored fingerprints that are not PDQ's dihedral transforms.
public enum WorkVariant {
    /// The work as its file shows it (transparent pixels over white).
    public static let original = 0
    /// A transparent work composited over black.
    public static let overBlack = 16
    /// A transparent work composited over mid-grey.
    public static let overGrey = 17

    /// The backgrounds a transparent work is registered over besides white: variant, the name
    /// reports give it (`workBackground`), and its colour.
    public static let backgrounds: [(variant: Int, name: String, colour: (r: UInt8, g: UInt8, b: UInt8))] = [
        (overBlack, "black", (0, 0, 0)), (overGrey, "grey", (128, 128, 128)),
    ]

    /// The background a variant was registered over, as reports name it: nil for the original.
    public static func background(_ variant: Int) -> String? {
        backgrounds.first { $0.variant == variant }?.name
    }
}
