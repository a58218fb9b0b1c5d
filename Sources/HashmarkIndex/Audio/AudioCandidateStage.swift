import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import HashmarkFingerprint

/// The candidate stage of a large audio catalogue: a query's combined keys (`LandmarkCombiner`)
/// vote by offset first, and only the `shortlist` recordings with the highest vote bounds are
/// aligned by their pair landmarks, exactly as `AudioLandmarkIndex.query` aligns every recording
/// without the stage.
///
/// A combined key needs both of its landmarks, so a work buried under louder music, which keeps
/// only a few dozen of its landmarks, may keep too few combined keys to be shortlisted. A second
/// source adds `rareShortlist` recordings found by the query's *rarest pair hashes* (at most
/// `rareBudget` pair postings per shard): chance votes from rare hashes scatter over recordings
/// and offsets, while a buried copy's stand at one offset. At 10,000 hours a buried copy's few
/// rare votes tie with hundreds of chance windows, so every window above the chance floor
/// (`chanceFloor`) is a candidate, and the next rarest pair hashes (`confirmBudget` postings
/// more) confirm them: each candidate scores its bound plus their votes in its window, which a
/// chance window rarely gets and a copy's gets from every hash it kept.
///
/// Approximate: a recording outside both shortlists is not aligned, however many pair votes it
/// would collect. Bounded: a query walks at most `budget` combined-key and `rareBudget` plus
/// `confirmBudget` pair postings per shard (one shard holds up to 27,700 hours), the rarest
/// first, so its time does not grow with the catalogue beyond the shortlists' searches.
/// With `concurrent`, the rarest-pair source runs on a second thread while the combined keys'
/// shortlist is found and aligned, and stops as soon as that settles the query.
public struct AudioCandidateStage: Sendable, Hashable {
    public var combiner: LandmarkCombiner
    /// Recordings aligned per query. 30: on the 244-track audio pool the stage then loses 6 of
    /// the 593 `mix` detections the exhaustive search makes (19 with 10), for 30.4 ms (max 46.2)
    /// a 10 s query at 10,000 hours against 20.1 (28.6) with 10 (Benchmarks/AUDIO.md).
    public var shortlist: Int
    public var budget: Int
    /// Votes a recording needs (within the sweep's offset window) to be shortlisted, by either source.
    public var minVotes: Int
    /// Recordings added by the rarest pair hashes (0: none), searched only when no alignment of
    /// the combined keys' shortlist settles the query (`query(…, settled:)`): the 10 confirmed
    /// candidates with the best scores (see `rareShortlist(_:stage:bound:chunkBits:)`).
    public var rareShortlist: Int
    /// Pair postings the rarest-pair source walks per shard at most: binds where 2 % of a query's
    /// pair postings exceed it (above 2 M for a 10 s query at 10,000 hours of music). The walk
    /// (`AudioVoteTable.offsetBounds`) costs ~5 ns a posting there. 2 M with 4 M confirming: a
    /// buried work ranks first 10/10 at 10,000 hours in 40.8 ms (max 43.9), against 6/10 unconfirmed
    /// (Benchmarks/AUDIO.md).
    public var rareBudget: Int
    /// The share of the query's pair postings the rarest-pair source walks at most: the same share
    /// at any catalogue size below the budget, so that a small pool measures what a large
    /// catalogue's walk sees (all of them would also count the common hashes' chance votes).
    public var rareShare: Double
    /// About how many chance windows per shard the walk's floor lets through (`chanceFloor`), and
    /// the most recordings it keeps for the confirmation: 5,000, so that the floor at 10,000 hours
    /// is 3 votes, not 4 (a buried work's window may hold 3).
    public var rareCandidates: Int
    /// Pair postings after the walked ones that confirm the candidates, per shard at most (0: no
    /// confirmation; the walk then keeps its `rareShortlist` best bounds): 4 M. 8 M found no more
    /// at 10,000 hours and took 48.1 ms (max 51.8).
    public var confirmBudget: Int
    /// The share of the query's pair postings the walked and the confirming ones take at most.
    public var confirmShare: Double
    /// Frames of a bucket of the walk's offset counts (a power of two, at most 1,024). 32: a window
    /// spans 2 buckets, so a floor of 3 makes a bucket hot at 2 votes; with 16 (3 buckets) every
    /// bucket with a vote is hot, and the walk at 10,000 hours took 50 ms instead of 26.
    public var rareBucket: Int
    /// Whether the rarest-pair source runs on a second thread beside the combined keys' shortlist
    /// and its alignments, instead of after them: the same matches, in about the longer of the
    /// two's time instead of their sum. A query the combined keys settle stops the source within
    /// a chunk of its walk (its CPU time until then is spent for nothing). At 10,000 hours a
    /// buried work's query took 31.3 ms (max 42.0) against 40.9 (56.0) on one thread, a settled
    /// one 18.9 (32.4) against 18.1 (27.2) (Benchmarks/AUDIO.md).
    public var concurrent: Bool

    public init(combiner: LandmarkCombiner = LandmarkCombiner(), shortlist: Int = 30, budget: Int = 1_000_000, minVotes: Int = 2,
                rareShortlist: Int = 10, rareBudget: Int = 2_000_000, rareShare: Double = 0.02,
                rareCandidates: Int = 5_000, confirmBudget: Int = 4_000_000, confirmShare: Double = 0.08, rareBucket: Int = 32,
                concurrent: Bool = true) {
        self.combiner = combiner
        self.shortlist = max(1, shortlist)
        self.budget = max(1, budget)
        self.minVotes = max(1, minVotes)
        self.rareShortlist = max(0, rareShortlist)
        self.rareBudget = max(1, rareBudget)
        self.rareShare = min(1, max(0, rareShare))
        self.rareCandidates = max(0, rareCandidates)
        self.confirmBudget = max(0, confirmBudget)
        self.confirmShare = min(1, max(0, confirmShare))
        self.rareBucket = 1 << max(0, min(10, Int.bitWidth - 1 - max(1, rareBucket).leadingZeroBitCount))
        self.concurrent = concurrent
    }

    /// The least floor (at least `minBound`) above which chance leaves about `candidates` windows
    /// at most: `votes` spread at random over `buckets` put Poisson(`votes · span / buckets`)
    /// votes in a window of `span` buckets, and `buckets` windows each have that chance to reach
    /// the floor. A walk that keeps its `candidates` best bounds would otherwise hold thousands
    /// of chance windows tied at a floor of 2 or 3 and keep an arbitrary few of them, and it
    /// would sum the windows around every vote (a floor of `span` or less makes each bucket with
    /// a vote hot).
    @_spi(Testing) public static func chanceFloor(votes: Int, buckets: Int, span: Int, candidates: Int, minBound: Int) -> Int {
        guard votes > 0, buckets > 0 else { return max(1, minBound) }
        let mean = Double(votes) * Double(span) / Double(buckets)
        // P(X = k) for k = 0, 1, …; the tail P(X ≥ f) = 1 − P(X < f).
        var term = exp(-mean), below = 0.0, f = 0
        while true {
            if f >= max(1, minBound), Double(buckets) * max(0, 1 - below) <= Double(max(1, candidates)) { return f }
            below += term
            f += 1
            term *= mean / Double(f)
        }
    }
}

extension AudioLandmarkIndex {
    /// `query` through the candidate stage: the shortlist by combined-key vote bounds (ties: lower
    /// recording first), then, unless one of its alignments has `settled` distinct hashes, the
    /// one by the rarest pair hashes' bounds (searched meanwhile on a second thread when
    /// `stage.concurrent`); each shortlisted recording aligned by its pair votes, gathered by
    /// interpolation search.
    func shortlisted(_ fingerprint: AudioFingerprint, stage: AudioCandidateStage, bound: AudioVoteBound, limit: Int,
                     sweep: AudioSpeedSweep, minVotes: Int, settled: Int) -> [AudioMatch] {
        let spf = parameters.layout.secondsPerFrame
        // The query's pair lists in each shard, looked up once for both the rarest-pair source and alignment.
        let lists = shards.map { AudioVoteTable.lists(fingerprint.landmarks, shard: $0) }
        typealias Entries = [(bound: Int, recording: Int, shard: Int)]
        func alignAll(_ entries: Entries) -> [AudioMatch] {
            var tables: [Int: AudioVoteTable] = [:]
            return entries.compactMap { _, r, s in
                let table = tables[s] ?? AudioVoteTable(shard: shards[s], lists: lists[s])
                tables[s] = table
                return align(table.votes(r - shards[s].firstRecording), recording: r, sweep: sweep,
                             secondsPerFrame: spf, minVotes: minVotes)
            }
        }
        func combined() -> (entries: Entries, found: [AudioMatch]) {
            let keys = stage.combiner.combined(fingerprint.landmarks)
            var best = AudioShortlist(capacity: stage.shortlist, minBound: stage.minVotes)
            for (s, shard) in candidateShards.enumerated() {
                let table = AudioVoteTable(keys, shard: shard, budget: stage.budget, gathered: false)
                table.forEachBound(floor: { best.floor }, bound) { r, b in best.offer(bound: b, recording: shard.firstRecording + r, shard: s) }
            }
            return (best.entries, alignAll(best.entries))
        }
        /// The rarest-pair source's alignments, but of the recordings in `excluding`.
        func rare(excluding: Entries, stop: () -> Bool = { false }) -> [AudioMatch] {
            let entries = rareShortlist({ lists[$0] }, stage: stage, bound: bound, stop: stop)
            return stop() ? [] : alignAll(entries.filter { e in !excluding.contains { $0.recording == e.recording } })
        }
        func isSettled(_ found: [AudioMatch]) -> Bool { found.contains { $0.distinctHashes >= settled } }
        var found: [AudioMatch]
        if stage.rareShortlist > 0, stage.concurrent {
            // The two share nothing mutable but `settling`: once the combined keys settle the
            // query, the source stops (within a chunk of its walk) and nothing waits on it. Its
            // alignments of recordings the combined keys also shortlisted are theirs, dropped.
            let settling = Atomic<Bool>(false)
            let (first, second) = inParallel({
                let first = combined()
                if isSettled(first.found) { settling.store(true, ordering: .relaxed) }
                return first
            }, { rare(excluding: [], stop: { settling.load(ordering: .relaxed) }) })
            found = first.found
            if !isSettled(found) {
                found += second.filter { m in !first.entries.contains { $0.recording == m.recording } }
            }
        } else {
            let first = combined()
            found = first.found
            if stage.rareShortlist > 0, !isSettled(found) {
                found += rare(excluding: first.entries)
            }
        }
        found.sort { ($1.votes, $0.recording) < ($0.votes, $1.recording) }
        return Array(found.prefix(limit))
    }
}

/// A value handed to another thread by a caller that has made sure no one else touches it then.
private struct Unchecked<T>: @unchecked Sendable { let value: T }

/// `a()` and `b()` at once, on the calling thread and one more; both results. The two must share
/// no mutable state.
func inParallel<A, B>(_ a: () -> A, _ b: () -> B) -> (A, B) {
    var ra: A? = nil, rb: B? = nil
    withoutActuallyEscaping(a) { a in
        withoutActuallyEscaping(b) { b in
            withUnsafeMutablePointer(to: &ra) { pa in
                withUnsafeMutablePointer(to: &rb) { pb in
                    let work = Unchecked(value: (a, b, pa, pb))
                    DispatchQueue.concurrentPerform(iterations: 2) { i in
                        if i == 0 { work.value.2.pointee = work.value.0() } else { work.value.3.pointee = work.value.1() }
                    }
                }
            }
        }
    }
    return (ra!, rb!)
}

extension AudioLandmarkIndex {
    /// The rarest-pair source's shortlist. Per shard, the query's rarest pair postings (at most
    /// `stage.rareBudget` and `stage.rareShare` of them) bound every recording by offset, in
    /// buckets of `stage.rareBucket` frames (`AudioVoteTable.offsetBounds`); the recordings whose
    /// bounds reach the chance floor (`chanceFloor`, at least `stage.minVotes`; at most
    /// `stage.rareCandidates` of them) are candidates, each scored by its bound plus the votes the
    /// next rarest postings (to `stage.confirmBudget` more, `stage.confirmShare` in all) cast in the
    /// window that holds the bound (`AudioVoteTable.windowVotes`). The `stage.rareShortlist` best
    /// scores, best first (ties: lower recording). Without confirming postings, the best bounds.
    /// `lists`: the query's pair lists in a shard (`AudioVoteTable.lists`). `stop`: asked as the
    /// walks go; once it says so, they end early and the shortlist is no longer the source's.
    func rareShortlist(_ lists: (Int) -> [AudioVoteTable.List], stage: AudioCandidateStage, bound: AudioVoteBound,
                       chunkBits: Int = AudioVoteTable.offsetChunkBits,
                       stop: () -> Bool = { false }) -> [(bound: Int, recording: Int, shard: Int)] {
        var offers: [(bound: Int, recording: Int, shard: Int)] = []
        let bound = AudioVoteBound(window: bound.window, bucket: stage.rareBucket)
        for (s, shard) in shards.enumerated() where !stop() {
            let lists = lists(s), total = lists.reduce(0) { $0 + $1.range.count }
            let rarest = AudioVoteTable.rarestFirst(lists)
            let walked = AudioVoteTable.cut(rarest[...], budget: stage.rareBudget, share: stage.rareShare, total: total)
            let votes = rarest[..<walked].reduce(0) { $0 + $1.range.count }
            // The next lists, within `confirmBudget` postings and `confirmShare` of all with the walked ones.
            let more = min(stage.confirmBudget, Int(Double(total) * stage.confirmShare) - votes)
            let confirming = walked + AudioVoteTable.cut(rarest[walked...], budget: more, share: 1, total: total)
            // Confirmed: every recording whose bound stands above the chance floor; else the best.
            let capacity = confirming > walked ? max(stage.rareShortlist, stage.rareCandidates) : stage.rareShortlist
            let floor = confirming > walked
                ? AudioCandidateStage.chanceFloor(votes: votes, buckets: Int(shard.bases[shard.recordings]) / bound.bucket + 1,
                                                  span: bound.span, candidates: stage.rareCandidates, minBound: stage.minVotes)
                : stage.minVotes
            let candidates = AudioVoteTable(shard: shard, lists: Array(rarest[..<walked]), gathered: false)
                .offsetBounds(bound, capacity: capacity, minBound: floor, chunkBits: chunkBits, stop: stop)
            var scores = candidates.map(\.bound)
            if confirming > walked {
                let more = AudioVoteTable(shard: shard, lists: Array(rarest[walked..<confirming]), gathered: false)
                for (i, n) in more.windowVotes(candidates.map { ($0.recording, $0.window) }, stop: stop).enumerated() { scores[i] += n }
            }
            offers += zip(candidates, scores).map { ($1, shard.firstRecording + $0.recording, s) }
        }
        offers.sort { ($1.bound, $0.recording) < ($0.bound, $1.recording) }
        return Array(offers.prefix(stage.rareShortlist))
    }

    /// `rareShortlist` for a query at `speeds` (tests).
    @_spi(Testing) public func rareShortlist(_ fingerprint: AudioFingerprint, stage: AudioCandidateStage, speeds: [Double],
                                             chunkBits: Int? = nil, stop: () -> Bool = { false }) -> [(bound: Int, recording: Int)] {
        rareShortlist({ AudioVoteTable.lists(fingerprint.landmarks, shard: shards[$0]) }, stage: stage,
                      bound: voteBound(fingerprint, speeds: speeds),
                      chunkBits: chunkBits ?? AudioVoteTable.offsetChunkBits, stop: stop)
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
