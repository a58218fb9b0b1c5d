import HashmarkFingerprint

/// One stored shingle of a corpus work: the row the store persists as (work, hash, position).
public struct TextPosting: Sendable, Hashable {
    public var work: Int32
    public var hash: UInt64
    public var position: UInt32

    public init(work: Int32, hash: UInt64, position: UInt32) {
        self.work = work
        self.hash = hash
        self.position = position
    }
}

/// Inverted index from shingle hash to (work, position): sorted arrays and binary search,
/// about 16 bytes per posting plus 12 per distinct hash, immutable once built.
public struct TextShingleIndex: Sendable {
    /// Distinct hashes, ascending.
    private let keys: [UInt64]
    /// `entries[starts[i]..<starts[i+1]]` belong to `keys[i]`.
    private let starts: [UInt32]
    /// (work, position) packed by `pack` so that numeric order of works is kept, sorted.
    private let entries: [UInt64]

    /// Number of postings.
    public var count: Int { entries.count }
    /// Number of distinct shingle hashes.
    public var distinctHashes: Int { keys.count }

    /// Builds from postings in any order (duplicates are kept once).
    public init(postings: some Sequence<TextPosting>) {
        var rows = postings.map { (hash: $0.hash, packed: Self.pack($0.work, $0.position)) }
        rows.sort { $0.hash != $1.hash ? $0.hash < $1.hash : $0.packed < $1.packed }
        var keys = [UInt64](), starts = [UInt32](), entries = [UInt64]()
        entries.reserveCapacity(rows.count)
        for (i, r) in rows.enumerated() {
            if i > 0, rows[i - 1] == r { continue }
            if keys.last != r.hash || keys.isEmpty {
                keys.append(r.hash)
                starts.append(UInt32(truncatingIfNeeded: entries.count))
            }
            entries.append(r.packed)
        }
        starts.append(UInt32(truncatingIfNeeded: entries.count))
        self.keys = keys
        self.starts = starts
        self.entries = entries
    }

    /// Builds from works' normalised texts, winnowing each with `parameters`.
    public init(works: [(id: Int32, text: NormalizedText)],
                parameters: TextFingerprintParameters = .default) {
        self.init(postings: works.flatMap { work in
            TextShingler.corpusShingles(work.text, parameters: parameters).map {
                TextPosting(work: work.id, hash: $0.hash, position: $0.position)
            }
        })
    }

    /// The sign bit is flipped so that negative work ids sort before positive ones.
    static func pack(_ work: Int32, _ position: UInt32) -> UInt64 {
        UInt64(UInt32(bitPattern: work) ^ 0x8000_0000) << 32 | UInt64(position)
    }

    static func work(_ packed: UInt64) -> Int32 {
        Int32(bitPattern: UInt32(truncatingIfNeeded: packed >> 32) ^ 0x8000_0000)
    }

    /// All (work, position) postings of one hash, ordered by work then position.
    public func postings(for hash: UInt64) -> [(work: Int32, position: UInt32)] {
        guard let r = range(of: hash) else { return [] }
        return entries[r].map { (Self.work($0), UInt32(truncatingIfNeeded: $0)) }
    }

    /// Number of postings of one hash.
    public func frequency(of hash: UInt64) -> Int { range(of: hash)?.count ?? 0 }

    private func range(of hash: UInt64) -> Range<Int>? {
        var lo = 0, hi = keys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if keys[mid] < hash { lo = mid + 1 } else { hi = mid }
        }
        guard lo < keys.count, keys[lo] == hash else { return nil }
        return Int(starts[lo])..<Int(starts[lo + 1])
    }

    /// Seeds per work for a query: every query shingle (not winnowed) is looked up; hashes with
    /// more than `maxPostingsPerHash` postings (stop phrases) are skipped. Works with fewer than
    /// `minSeeds` seeds are dropped and at most `maxCandidates` works (most seeds first, then
    /// lowest id) are returned.
    public func seeds(query: NormalizedText, parameters: TextFingerprintParameters = .default,
                      model: TextAlignmentParameters = .default) -> [(work: Int32, seeds: [TextSeed])] {
        var byWork = [Int32: [TextSeed]]()
        for (i, h) in TextShingler.shingleHashes(query.wordHashes, k: parameters.k).enumerated() {
            guard let r = range(of: h), r.count <= model.maxPostingsPerHash else { continue }
            for e in entries[r] {
                let work = Self.work(e)
                byWork[work, default: []].append(TextSeed(queryPosition: UInt32(i),
                                                          workPosition: UInt32(truncatingIfNeeded: e)))
            }
        }
        return byWork.filter { $0.value.count >= model.minSeeds }
            .sorted { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }
            .prefix(model.maxCandidates)
            .map { (work: $0.key, seeds: $0.value) }
    }
}

/// The result of aligning a submission with a work.
public struct TextWorkMatch: Sendable, Hashable {
    public var work: Int32
    public var passages: [TextPassageMatch]
    public var summary: TextAlignmentSummary
}

extension TextShingleIndex {
    /// Seeding and alignment against every candidate work. `workText` returns a work's
    /// normalised text; works it cannot supply are skipped. Results: most matched words first,
    /// every work with an aligned passage (the decision is the engine's).
    public func match(query: NormalizedText, parameters: TextFingerprintParameters = .default,
                      model: TextAlignmentParameters = .default,
                      workText: (Int32) -> NormalizedText?) -> [TextWorkMatch] {
        var out = [TextWorkMatch]()
        for candidate in seeds(query: query, parameters: parameters, model: model) {
            guard let text = workText(candidate.work) else { continue }
            let passages = TextAligner.align(query: query, work: text, seeds: candidate.seeds,
                                             k: parameters.k, model: model)
            guard !passages.isEmpty else { continue }
            out.append(TextWorkMatch(work: candidate.work, passages: passages, summary: TextAlignmentSummary(passages)))
        }
        return out.sorted {
            $0.summary.matchedWords != $1.summary.matchedWords ? $0.summary.matchedWords > $1.summary.matchedWords : $0.work < $1.work
        }
    }
}
