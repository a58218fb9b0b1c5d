import HashmarkFingerprint

/// The candidate stage of a large audio catalogue: a query's combined keys (`LandmarkCombiner`)
/// vote by offset first, and only the `shortlist` recordings with the highest vote bounds are
/// aligned by their pair landmarks, exactly as `AudioLandmarkIndex.query` aligns every recording
/// without the stage.
///
/// A combined key needs both of its landmarks, so a work buried under louder music, which keeps
/// only a few dozen of its landmarks, may keep too few combined keys to be shortlisted. A second
/// source adds the `rareShortlist` recordings with the highest vote bounds over the query's
/// *rarest pair hashes* (at most `rareBudget` pair postings per shard): chance votes from rare
/// hashes scatter over recordings and offsets, while a buried copy's stand at one offset.
///
/// Approximate: a recording outside both shortlists is not aligned, however many pair votes it
/// would collect. Bounded: a query walks at most `budget` combined-key and `rareBudget` pair
/// postings per shard (one shard holds up to 27,700 hours), the rarest first, so its time does
/// not grow with the catalogue beyond the shortlists' searches.
public struct AudioCandidateStage: Sendable, Hashable {
    public var combiner: LandmarkCombiner
    /// Recordings aligned per query. 30: on the 244-track audio pool the stage then loses 6 of
    /// the 593 `mix` detections the exhaustive search makes (19 with 10), for 30.4 ms (max 46.2)
    /// a 10 s query at 10,000 hours against 20.1 (28.6) with 10 (Benchmarks/AUDIO.md).
    public var shortlist: Int
    public var budget: Int
    /// Votes a recording needs (within the sweep's offset window) to be shortlisted, by either source.
    public var minVotes: Int
    /// Recordings added by the rarest pair hashes' vote bounds (0: none), searched only when no
    /// alignment of the combined keys' shortlist settles the query (`query(…, settled:)`). 10,
    /// over the rarest 2 % of the query's pair postings: see Benchmarks/AUDIO.md for what it
    /// finds and costs on the audio pool and at 1,000 and 10,000 synthetic hours.
    public var rareShortlist: Int
    /// Pair postings the rarest-pair source walks per shard at most: binds where 2 % of a query's
    /// pair postings exceed it (above 3 M for a 10 s query at 10,000 hours of music). 3 M: the
    /// walk (`AudioVoteTable.offsetBounds`) costs ~5 ns a posting there, and a buried work ranks
    /// first 7/10 with it against 5/10 with 1 M, within 50 ms (Benchmarks/AUDIO.md).
    public var rareBudget: Int
    /// The share of the query's pair postings the rarest-pair source walks at most: the same share
    /// at any catalogue size below the budget, so that a small pool measures what a large
    /// catalogue's walk sees (all of them would also count the common hashes' chance votes).
    public var rareShare: Double

    public init(combiner: LandmarkCombiner = LandmarkCombiner(), shortlist: Int = 30, budget: Int = 1_000_000, minVotes: Int = 2,
                rareShortlist: Int = 10, rareBudget: Int = 3_000_000, rareShare: Double = 0.02) {
        self.combiner = combiner
        self.shortlist = max(1, shortlist)
        self.budget = max(1, budget)
        self.minVotes = max(1, minVotes)
        self.rareShortlist = max(0, rareShortlist)
        self.rareBudget = max(1, rareBudget)
        self.rareShare = min(1, max(0, rareShare))
    }
}

extension AudioLandmarkIndex {
    /// `query` through the candidate stage: the shortlist by combined-key vote bounds (ties: lower
    /// recording first), then, unless one of its alignments has `settled` distinct hashes, the
    /// one by the rarest pair hashes' bounds; each shortlisted recording aligned by its pair
    /// votes, gathered by interpolation search.
    func shortlisted(_ fingerprint: AudioFingerprint, stage: AudioCandidateStage, bound: AudioVoteBound, limit: Int,
                     sweep: AudioSpeedSweep, minVotes: Int, settled: Int) -> [AudioMatch] {
        let keys = stage.combiner.combined(fingerprint.landmarks)
        var best = AudioShortlist(capacity: stage.shortlist, minBound: stage.minVotes)
        for (s, shard) in candidateShards.enumerated() {
            AudioVoteTable(keys, shard: shard, budget: stage.budget).forEachBound(floor: { best.floor }, bound) { r, b in
                best.offer(bound: b, recording: shard.firstRecording + r, shard: s)
            }
        }
        let spf = parameters.layout.secondsPerFrame
        var tables: [Int: AudioVoteTable] = [:]
        var found: [AudioMatch] = []
        func alignAll(_ entries: [(bound: Int, recording: Int, shard: Int)]) {
            for (_, r, s) in entries {
                let table = tables[s] ?? AudioVoteTable(fingerprint.landmarks, shard: shards[s])
                tables[s] = table
                guard let m = align(table.votes(r - shards[s].firstRecording), recording: r, sweep: sweep,
                                    secondsPerFrame: spf, minVotes: minVotes) else { continue }
                found.append(m)
            }
        }
        alignAll(best.entries)
        if stage.rareShortlist > 0, !found.contains(where: { $0.distinctHashes >= settled }) {
            alignAll(rareShortlist(fingerprint.landmarks, stage: stage, bound: bound)
                .filter { e in !best.entries.contains { $0.recording == e.recording } })
        }
        found.sort { ($1.votes, $0.recording) < ($0.votes, $1.recording) }
        return Array(found.prefix(limit))
    }
}

extension AudioLandmarkIndex {
    /// The rarest-pair source's shortlist: the `stage.rareShortlist` recordings with the highest
    /// offset bounds (`AudioVoteTable.offsetBounds`) over the query's rarest pair postings (at most
    /// `stage.rareBudget` and `stage.rareShare` of them per shard), at least `stage.minVotes`, best
    /// first (ties: lower recording).
    func rareShortlist(_ landmarks: [Landmark], stage: AudioCandidateStage, bound: AudioVoteBound,
                       chunkBits: Int = AudioVoteTable.offsetChunkBits) -> [(bound: Int, recording: Int, shard: Int)] {
        var offers: [(bound: Int, recording: Int, shard: Int)] = []
        for (s, shard) in shards.enumerated() {
            let table = AudioVoteTable(landmarks, shard: shard, budget: stage.rareBudget, share: stage.rareShare)
            offers += table.offsetBounds(bound, capacity: stage.rareShortlist, minBound: stage.minVotes, chunkBits: chunkBits)
                .map { ($0.bound, shard.firstRecording + $0.recording, s) }
        }
        offers.sort { ($1.bound, $0.recording) < ($0.bound, $1.recording) }
        return Array(offers.prefix(stage.rareShortlist))
    }

    /// `rareShortlist` for a query at `speeds` (tests).
    @_spi(Testing) public func rareShortlist(_ fingerprint: AudioFingerprint, stage: AudioCandidateStage, speeds: [Double],
                                             chunkBits: Int? = nil) -> [(bound: Int, recording: Int)] {
        rareShortlist(fingerprint.landmarks, stage: stage, bound: voteBound(fingerprint, speeds: speeds),
                      chunkBits: chunkBits ?? AudioVoteTable.offsetChunkBits)
            .map { ($0.bound, $0.recording) }
    }
}

/// The `capacity` highest bounds offered (at least `minBound`), best first, ties to the lower
/// recording, for recordings offered in ascending order: what sorting every offer and keeping the
/// first `capacity` would keep. Once full, only a bound above the last entry's can enter, so
/// `floor` rises, and a recording with fewer votes than it (votes bound the bound) is not bounded.
@_spi(Testing) public struct AudioShortlist: Sendable {
    public let capacity: Int
    public let minBound: Int
    public private(set) var entries: [(bound: Int, recording: Int, shard: Int)] = []

    public init(capacity: Int, minBound: Int) {
        self.capacity = max(1, capacity)
        self.minBound = minBound
    }

    /// The least bound that can still enter.
    public var floor: Int {
        entries.count < capacity ? minBound : max(minBound, entries[entries.count - 1].bound + 1)
    }

    /// Offers a recording numbered above every one offered before.
    public mutating func offer(bound: Int, recording: Int, shard: Int) {
        guard bound >= floor else { return }
        entries.insert((bound, recording, shard), at: entries.firstIndex { $0.bound < bound } ?? entries.count)
        if entries.count > capacity { entries.removeLast() }
    }
}
