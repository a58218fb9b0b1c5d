import HashmarkFingerprint

/// The candidate stage of a large audio catalogue: a query's combined keys (`LandmarkCombiner`)
/// vote by offset first, and only the `shortlist` recordings with the highest vote bounds are
/// aligned by their pair landmarks, exactly as `AudioLandmarkIndex.query` aligns every recording
/// without the stage.
///
/// Approximate: a recording outside the shortlist is not aligned, however many pair votes it
/// would collect. Bounded: a query walks at most `budget` combined-key postings per shard (one
/// shard holds up to 27,700 hours), its rarest keys first, so its time does not grow with the
/// catalogue beyond the shortlist's bisections.
public struct AudioCandidateStage: Sendable, Hashable {
    public var combiner: LandmarkCombiner
    public var shortlist: Int
    public var budget: Int
    /// Combined-key votes a recording needs (within the sweep's offset window) to be shortlisted.
    public var minVotes: Int

    public init(combiner: LandmarkCombiner = LandmarkCombiner(), shortlist: Int = 10, budget: Int = 1_000_000, minVotes: Int = 2) {
        self.combiner = combiner
        self.shortlist = max(1, shortlist)
        self.budget = max(1, budget)
        self.minVotes = max(1, minVotes)
    }
}

extension AudioLandmarkIndex {
    /// `query` through the candidate stage: the shortlist by combined-key vote bounds (ties: lower
    /// recording first), then each shortlisted recording's pair votes, gathered by bisection.
    func shortlisted(_ fingerprint: AudioFingerprint, stage: AudioCandidateStage, bound: AudioVoteBound, limit: Int,
                     speeds: [Double], minVotes: Int) -> [AudioMatch] {
        let keys = stage.combiner.combined(fingerprint.landmarks)
        var ranked: [(bound: Int, recording: Int, shard: Int)] = []
        for (s, shard) in candidateShards.enumerated() {
            AudioVoteTable(keys, shard: shard, budget: stage.budget).forEachBound(floor: stage.minVotes, bound) { r, b in
                if b >= stage.minVotes { ranked.append((b, shard.firstRecording + r, s)) }
            }
        }
        ranked.sort { ($1.bound, $0.recording) < ($0.bound, $1.recording) }
        let spf = parameters.layout.secondsPerFrame
        var tables: [Int: AudioVoteTable] = [:]
        var found: [AudioMatch] = []
        for (_, r, s) in ranked.prefix(stage.shortlist) {
            let table = tables[s] ?? AudioVoteTable(fingerprint.landmarks, shard: shards[s])
            tables[s] = table
            guard let m = align(table.votes(r - shards[s].firstRecording), recording: r, speeds: speeds, secondsPerFrame: spf),
                  m.votes >= max(1, minVotes) else { continue }
            found.append(m)
        }
        found.sort { ($1.votes, $0.recording) < ($0.votes, $1.recording) }
        return Array(found.prefix(limit))
    }
}
