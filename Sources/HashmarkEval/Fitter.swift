import HashmarkEngine
import HashmarkFingerprint

/// Fits decision thresholds on training features at a target false-positive rate.
///
/// A positive counts as detected only when the work it copies is matched; a negative is a false
/// positive when any work is matched. The engine's image rule is a cascade (PDQ first; local
/// features only when no PDQ match), and `detects` simulates it exactly.
public enum Fitter {
    /// The loosest threshold whose false-positive rate on `negatives` stays ≤ `targetFPR`.
    /// A score passes a threshold `t` when `passes(score, t)`; `candidates` are ordered from
    /// strictest to loosest. `nil` when even the strictest candidate exceeds the target.
    public static func loosest<T>(negatives: [T?], candidates: [Int], targetFPR: Double,
                                  passes: (T, Int) -> Bool) -> Int? {
        var chosen: Int? = nil
        for t in candidates {
            let fp = negatives.reduce(0) { $0 + (($1.map { passes($0, t) } ?? false) ? 1 : 0) }
            if rate(fp, negatives.count) <= targetFPR { chosen = t } else { break }
        }
        return chosen
    }

    static func rate(_ k: Int, _ n: Int) -> Double { n > 0 ? Double(k) / Double(n) : 0 }

    /// Whether `negatives` training negatives can show a false-positive rate as low as
    /// `targetFPR` at all. With none of n negatives matched, the 95 % upper bound on the FPR is
    /// about 3/n (the rule of three), so below n = 3/target "no false positive in training" says
    /// nothing about the target — and the loosest threshold that kept the few negatives out
    /// over-fits (measured: 20 aligned words from 216 text negatives gave 2.3 % FPR on test).
    /// Then a fit may tighten the prior (the documented defaults) but not loosen it.
    public static func negativesCanLoosen(_ negatives: Int, targetFPR: Double) -> Bool {
        targetFPR > 0 && Double(negatives) * targetFPR >= 3
    }

    /// Whether the engine, deciding with `model`, would detect this case: the right work for
    /// positives that name one, any work otherwise (`DecisionModel.matchedWorks`, as the engine
    /// decides; `CaseOutcome.detected` counts the same way).
    public static func detects(_ c: FeatureCase, _ model: DecisionModel) -> Bool {
        let hits = model.matchedWorks(c.works.flatMap { w in w.features.map { (w.work, $0) } })
        if c.positive, let expected = c.expectedWork, !expected.isEmpty { return hits.contains(expected) }
        return !hits.isEmpty
    }

    /// What a fit chose and how it did on the training split.
    public struct Fit<Rule: Sendable & Codable & Equatable>: Sendable, Codable, Equatable {
        public var rule: Rule
        public var trainTPR: RateEstimate
        public var trainFPR: RateEstimate
        /// False when no candidate met the target (the strictest one was kept).
        public var metTarget: Bool
    }

    /// Grid search over PDQ distance and local inliers: the highest training TPR with FPR ≤
    /// target; ties go to the loosest PDQ distance, then the fewest inliers.
    public static func fitImage(_ cases: [FeatureCase], base: DecisionModel, targetFPR: Double,
                                pdqDistances: ClosedRange<Int> = 0...64,
                                inliers: ClosedRange<Int> = 6...120) -> Fit<DecisionModel.ImageRule> {
        grid(cases, targetFPR: targetFPR, candidates: pdqDistances.reversed().flatMap { d in
            inliers.map { n in
                var r = base.image
                r.pdqMaxDistance = d
                r.pdqCandidateRadius = max(base.image.pdqCandidateRadius, d)
                r.localMinInliers = n
                return r
            }
        }, strictest: { var r = base.image; r.pdqMaxDistance = pdqDistances.lowerBound
                        r.localMinInliers = inliers.upperBound; return r }(),
        detects: { c, r in var m = base; m.image = r; return detects(c, m) })
    }

    /// Grid search over aligned words and coverage (other text thresholds kept from `base`);
    /// ties go to the fewest aligned words, then the lowest coverage. Judged on the word aligner's
    /// evidence alone: a paraphrase match (fitted next, with this rule) does not hold these
    /// thresholds at their strictest, which no word threshold could undo (as the descriptor is not
    /// blamed for a PDQ false positive).
    public static func fitText(_ cases: [FeatureCase], base: DecisionModel, targetFPR: Double,
                               alignedWords: [Int] = Array(stride(from: 20, through: 400, by: 5)),
                               coverages: [Double] = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) -> Fit<DecisionModel.TextRule> {
        let wordsOnly = cases.map { c in
            var c = c
            c.works = c.works.map { var w = $0; w.paraphrase = nil; return w }
            return c
        }
        return grid(wordsOnly, targetFPR: targetFPR, candidates: alignedWords.flatMap { a in
            coverages.map { c in
                var t = base.text
                t.minAlignedWords = a
                t.minMatchedWords = min(base.text.minMatchedWords, a)
                t.minCoverage = c
                return t
            }
        }, strictest: { var t = base.text; t.minAlignedWords = alignedWords.last ?? base.text.minAlignedWords
                        t.minCoverage = coverages.last ?? base.text.minCoverage; return t }(),
        detects: { c, t in var m = base; m.text = t; return detects(c, m) })
    }

    /// Grid search over seed pairs and mean similarity (source words kept from `base`); ties go
    /// to the fewest seed pairs, then the lowest mean similarity. `floor` bounds both from below
    /// (the prior's values when too few negatives may loosen it).
    public static func fitParaphrase(_ cases: [FeatureCase], base: DecisionModel, targetFPR: Double,
                                     seedPairs: [Int] = Array(3...12),
                                     means: [Double] = stride(from: 0.55, through: 0.9, by: 0.025).map { $0 })
        -> Fit<ParaphraseRule> {
        grid(cases, targetFPR: targetFPR, candidates: seedPairs.flatMap { n in
            means.map { m in
                var r = base.paraphrase
                r.minSeedPairs = n
                r.minMeanSimilarity = (m * 1000).rounded() / 1000
                return r
            }
        }, strictest: { var r = base.paraphrase; r.minSeedPairs = seedPairs.last ?? r.minSeedPairs
                        r.minMeanSimilarity = means.last ?? r.minMeanSimilarity; return r }(),
        detects: { c, r in var m = base; m.paraphrase = r; return detects(c, m) })
    }

    /// Grid search over distinct aligned landmark hashes (the aligned ones held to the same
    /// count, which they can never be below; the matched duration kept from `base`) and, when
    /// `base` matches by isolation, over its margin above the sidelobe (`minIsolatedHashes` kept);
    /// ties go to the fewest hashes, then the narrowest margin (the loosest rule, as elsewhere:
    /// the negatives bound it, not the positives).
    public static func fitAudio(_ cases: [FeatureCase], base: DecisionModel, targetFPR: Double,
                                hashes: [Int] = Array(stride(from: 10, through: 200, by: 2)),
                                margins: [Int] = Array(8...30)) -> Fit<AudioRule> {
        let margins = base.audio.minIsolatedHashes > 0 && !margins.isEmpty ? margins : [base.audio.minIsolationMargin]
        func rule(_ n: Int, _ margin: Int) -> AudioRule {
            var r = base.audio
            r.minAlignedHashes = n
            r.minDistinctHashes = n
            r.minIsolationMargin = margin
            return r
        }
        return grid(cases, targetFPR: targetFPR, candidates: hashes.flatMap { n in margins.map { rule(n, $0) } },
                    strictest: rule(hashes.last ?? base.audio.minAlignedHashes, margins.max() ?? base.audio.minIsolationMargin),
                    detects: { c, r in var m = base; m.audio = r; return detects(c, m) })
    }

    /// The descriptor's similarity threshold given `base`'s PDQ and local rule: the loosest of
    /// `similarities` (strictest first) whose false positives *beyond those the rest of the cascade
    /// already makes* keep the upper end of their 95 % Wilson interval within `targetFPR` (the
    /// descriptor cannot undo a PDQ or keypoint false positive, and should not be blamed for one;
    /// `baseFalsePositives` reports them). The interval, not the point rate: a point-rate fit on
    /// 4,620 pool negatives allowed 4 added false positives and met 14 of 4,543 on the test split.
    public static func fitDescriptor(_ cases: [FeatureCase], base: DecisionModel, targetFPR: Double,
                                     similarities: [Double]) -> (fit: Fit<DescriptorRule>, baseFalsePositives: Int) {
        let positives = cases.filter(\.positive), negatives = cases.filter { !$0.positive }
        func model(_ r: DescriptorRule) -> DecisionModel { var m = base; m.descriptor = r; return m }
        var off = base.descriptor
        off.enabled = false
        let baseFP = negatives.count { detects($0, model(off)) }
        var best: (rule: DescriptorRule, tp: Int, fp: Int)? = nil
        var strictest: (rule: DescriptorRule, tp: Int, fp: Int)? = nil
        for s in similarities {
            var r = base.descriptor
            r.minSimilarity = (s * 1000).rounded() / 1000
            let fp = negatives.count { detects($0, model(r)) }
            let tp = positives.count { detects($0, model(r)) }
            if strictest == nil { strictest = (r, tp, fp) }
            guard RateEstimate(successes: fp - baseFP, trials: negatives.count).high <= targetFPR else { continue }
            if best.map({ tp > $0.tp }) ?? true { best = (r, tp, fp) }
        }
        let chosen = best ?? strictest ?? (base.descriptor, 0, 0)
        return (Fit(rule: chosen.rule, trainTPR: RateEstimate(successes: chosen.tp, trials: positives.count),
                    trainFPR: RateEstimate(successes: chosen.fp, trials: negatives.count), metTarget: best != nil), baseFP)
    }

    /// `candidates` in tie-break order (preferred first).
    static func grid<R: Sendable & Codable & Equatable>(_ cases: [FeatureCase], targetFPR: Double, candidates: [R], strictest: R,
                        detects: (FeatureCase, R) -> Bool) -> Fit<R> {
        let positives = cases.filter(\.positive), negatives = cases.filter { !$0.positive }
        func measure(_ r: R) -> (tp: Int, fp: Int) {
            (positives.reduce(0) { $0 + (detects($1, r) ? 1 : 0) },
             negatives.reduce(0) { $0 + (detects($1, r) ? 1 : 0) })
        }
        var best: (rule: R, tp: Int, fp: Int)? = nil
        for r in candidates {
            let m = measure(r)
            guard rate(m.fp, negatives.count) <= targetFPR else { continue }
            if best.map({ m.tp > $0.tp }) ?? true { best = (r, m.tp, m.fp) }
        }
        let chosen = best ?? { let m = measure(strictest); return (strictest, m.tp, m.fp) }()
        return Fit(rule: chosen.rule, trainTPR: RateEstimate(successes: chosen.tp, trials: positives.count),
                   trainFPR: RateEstimate(successes: chosen.fp, trials: negatives.count), metTarget: best != nil)
    }
}
