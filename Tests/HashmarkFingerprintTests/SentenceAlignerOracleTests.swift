@_spi(Testing) import HashmarkFingerprint
import HashmarkTestSupport
import Testing

/// The DP's best score equals an exhaustive search over every chain of aligned units (single
/// pairs; swapped adjacent pairs, splits and merges when both of their pairs are seeds),
/// strictly increasing in both texts,
/// scored with the same pair scores and a gap penalty for each sentence skipped between units.
@Suite("Sentence alignment oracle")
struct SentenceAlignerOracleTests {
    /// An aligned unit: query `q..<q+qs`, work `w..<w+ws`, with its score.
    struct Unit { var q: Int, w: Int, qs: Int, ws: Int, score: Float }

    static func units(_ s: [Float], _ n: Int, _ m: Int, _ p: SentenceAlignmentParameters) -> [Unit] {
        var units = [Unit]()
        for q in 0..<n {
            for w in 0..<m {
                units.append(Unit(q: q, w: w, qs: 1, ws: 1, score: p.pairScore(s[q * m + w])))
                if q + 1 < n, w + 1 < m, p.isSeed(s[q * m + w + 1]), p.isSeed(s[(q + 1) * m + w]) {
                    units.append(Unit(q: q, w: w, qs: 2, ws: 2, score: p.pairScore(s[q * m + w + 1])
                                          + p.pairScore(s[(q + 1) * m + w]) - p.swapPenalty))
                }
                if q + 1 < n, p.isSeed(s[q * m + w]), p.isSeed(s[(q + 1) * m + w]) {
                    units.append(Unit(q: q, w: w, qs: 2, ws: 1, score: p.pairScore(s[q * m + w])
                                          + p.pairScore(s[(q + 1) * m + w]) - p.splitPenalty))
                }
                if w + 1 < m, p.isSeed(s[q * m + w]), p.isSeed(s[q * m + w + 1]) {
                    units.append(Unit(q: q, w: w, qs: 1, ws: 2, score: p.pairScore(s[q * m + w])
                                          + p.pairScore(s[q * m + w + 1]) - p.splitPenalty))
                }
            }
        }
        return units
    }

    /// Best score over all chains, by depth-first enumeration (no memoisation: exhaustive).
    static func bruteForce(_ s: [Float], _ n: Int, _ m: Int, _ p: SentenceAlignmentParameters) -> (Float, Int) {
        let all = units(s, n, m, p)
        var best: Float = 0, chains = 0
        func extend(_ last: Unit, _ score: Float) {
            chains += 1
            best = max(best, score)
            for u in all where u.q >= last.q + last.qs && u.w >= last.w + last.ws {
                let gaps = Float(u.q - last.q - last.qs + u.w - last.w - last.ws)
                extend(u, score - gaps * p.gapPenalty + u.score)
            }
        }
        for u in all { extend(u, u.score) }
        return (best, chains)
    }

    static func randomParameters(_ rng: inout TestRandom) -> SentenceAlignmentParameters {
        var p = SentenceAlignmentParameters.default
        p.seedThreshold = Float.random(in: 0.4...0.8, using: &rng)
        p.mismatch = -Float.random(in: 0...3, using: &rng)
        p.gapPenalty = Float.random(in: 0...2, using: &rng)
        p.swapPenalty = Float.random(in: 0...1.5, using: &rng)
        p.splitPenalty = Float.random(in: 0...1.5, using: &rng)
        return p
    }

    @Test func dpEqualsExhaustiveSearchOnSmallMatrices() throws {
        var rng = TestRandom(seed: 0x5E17_A11C)
        var largest = 0
        for round in 0..<300 {
            let n = Int.random(in: 0...7, using: &rng), m = Int.random(in: 0...7, using: &rng)
            let p = Self.randomParameters(&rng)
            // Mostly seeds in some matrices, mostly noise in others.
            let bias = Float.random(in: 0...0.5, using: &rng)
            let s = (0..<(n * m)).map { _ in min(1, Float.random(in: 0...1, using: &rng) + bias) }
            let dp = try SentenceAligner.bestScore(similarity: s, queryCount: n, workCount: m, parameters: p)
            let (oracle, chains) = Self.bruteForce(s, n, m, p)
            largest = max(largest, chains)
            #expect(abs(dp - oracle) <= 1e-3 * max(1, oracle), "round \(round) \(n)×\(m): dp \(dp) oracle \(oracle), \(rng.replay)")
        }
        #expect(largest > 1000, "the search must have been exhaustive on some large matrices, \(rng.replay)")
    }

    /// Every reported passage is a valid chain whose own score, recomputed, is its score, and
    /// passages are disjoint in both texts.
    @Test func reportedPassagesAreConsistentChains() throws {
        var rng = TestRandom(seed: 0x5E17_C0DE)
        for round in 0..<200 {
            let n = Int.random(in: 1...25, using: &rng), m = Int.random(in: 1...25, using: &rng)
            var p = Self.randomParameters(&rng)
            p.minPairs = 1
            let s = (0..<(n * m)).map { _ in Float.random(in: 0...1, using: &rng) }
            let passages = try SentenceAligner.align(similarity: s, queryCount: n, workCount: m, parameters: p)
            var usedQuery = Set<Int>(), usedWork = Set<Int>()
            for (k, passage) in passages.enumerated() {
                var score: Float = 0
                var i = 0
                var previous: (q: Int, w: Int)?
                while i < passage.pairs.count {
                    let a = passage.pairs[i]
                    let next = i + 1 < passage.pairs.count ? passage.pairs[i + 1] : nil
                    let swapped = next.map { $0.query == a.query + 1 && $0.work == a.work - 1 } ?? false
                    let split = next.map { $0.query == a.query + 1 && $0.work == a.work } ?? false
                    let merged = next.map { $0.query == a.query && $0.work == a.work + 1 } ?? false
                    let two = swapped || split || merged
                    let (q0, w0) = (a.query, swapped ? a.work - 1 : a.work)
                    let (q1, w1) = two ? (next!.query, max(a.work, next!.work)) : (a.query, a.work)
                    if let prev = previous {
                        #expect(q0 > prev.q && w0 > prev.w, "round \(round): not monotone, \(rng.replay)")
                        score -= Float(q0 - prev.q - 1 + w0 - prev.w - 1) * p.gapPenalty
                    }
                    let penalty = swapped ? p.swapPenalty : p.splitPenalty
                    score += two ? p.pairScore(a.similarity) + p.pairScore(next!.similarity) - penalty
                        : p.pairScore(a.similarity)
                    #expect(a.similarity == s[a.query * m + a.work])
                    previous = (q1, w1)
                    i += two ? 2 : 1
                }
                #expect(abs(score - passage.score) <= 1e-3 * max(1, score), "round \(round) passage \(k), \(rng.replay)")
                if k > 0 { #expect(passage.score <= passages[k - 1].score + 1e-4, "\(rng.replay)") }
                for q in passage.queryRange {
                    #expect(usedQuery.insert(q).inserted, "round \(round): query ranges overlap, \(rng.replay)")
                }
                for w in passage.workRange {
                    #expect(usedWork.insert(w).inserted, "round \(round): work ranges overlap, \(rng.replay)")
                }
            }
        }
    }
}
