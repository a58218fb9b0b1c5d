import HashmarkEngine
import HashmarkEval
import HashmarkFingerprint
import HashmarkTestSupport
import Testing

@Suite("Wilson intervals and the threshold fitter")
struct StatisticsAndFitTests {
    /// Reference values from the closed form (computed independently in Python, z = 1.959964).
    @Test(arguments: [
        (0, 10, 0.0, 0.277533), (10, 10, 0.722467, 1.0), (5, 10, 0.236593, 0.763407),
        (81, 100, 0.722212, 0.874852), (1, 1000, 0.000177, 0.005643), (95, 100, 0.888250, 0.978456),
    ])
    func wilsonMatchesKnownValues(k: Int, n: Int, low: Double, high: Double) {
        let i = Wilson.interval(successes: k, trials: n)
        #expect(abs(i.low - low) < 1e-6)
        #expect(abs(i.high - high) < 1e-6)
        let e = RateEstimate(successes: k, trials: n)
        #expect(e.low <= e.rate && e.rate <= e.high)
    }

    @Test func wilsonWithoutTrialsIsTheWholeRange() {
        let i = Wilson.interval(successes: 0, trials: 0)
        #expect(i.low == 0 && i.high == 1)
    }

    /// Negative "distances": a negative passes threshold t when its distance ≤ t.
    @Test func loosestThresholdStaysWithinTargetAndIsTheLoosest() {
        var rng = TestRandom(seed: 1)
        for _ in 0..<200 {
            let negatives: [Int?] = (0..<Int.random(in: 1...300, using: &rng)).map { _ in
                Bool.random(using: &rng) ? Int.random(in: 0...100, using: &rng) : nil
            }
            let target: Double = [0.0, 0.001, 0.01, 0.05, 0.2].randomElement(using: &rng) ?? 0
            let fpr: (Int) -> Double = { t in
                Double(negatives.filter { ($0 ?? Int.max) <= t }.count) / Double(negatives.count)
            }
            let chosen = Fitter.loosest(negatives: negatives, candidates: Array(0...100), targetFPR: target) { (d: Int, t: Int) in d <= t }
            if let t = chosen {
                #expect(fpr(t) <= target, "\(rng.replay)")
                if t < 100 { #expect(fpr(t + 1) > target, "\(rng.replay)") }
            } else {
                #expect(fpr(0) > target, "\(rng.replay)")
            }
        }
    }

    static func imageCase(_ positive: Bool, pdq: Int?, inliers: Int?, work: String = "w") -> FeatureCase {
        FeatureCase(positive: positive, expectedWork: positive ? work : nil,
                    works: [WorkFeatures(work: work, pdqDistance: pdq, pdqQuality: pdq == nil ? nil : 100,
                                         inliers: inliers)])
    }

    @Test func imageFitNeverExceedsTheTargetOnItsTrainingData() {
        var rng = TestRandom(seed: 2)
        for _ in 0..<10 {
            var cases: [FeatureCase] = []
            for _ in 0..<100 {
                cases.append(Self.imageCase(true, pdq: Int.random(in: 0...64, using: &rng),
                                            inliers: Int.random(in: 0...200, using: &rng)))
                cases.append(Self.imageCase(false, pdq: Int.random(in: 20...64, using: &rng),
                                            inliers: Int.random(in: 0...40, using: &rng), work: "other"))
            }
            let target: Double = [0.0, 0.01, 0.05].randomElement(using: &rng) ?? 0
            let fit = Fitter.fitImage(cases, base: DecisionModel.defaults, targetFPR: target)
            var model = DecisionModel.defaults
            model.image = fit.rule
            let negatives = cases.filter { !$0.positive }
            let fp = negatives.filter { Fitter.detects($0, model) }.count
            #expect(Double(fp) / Double(negatives.count) <= target, "\(rng.replay)")
            #expect(fit.metTarget, "\(rng.replay)")
            #expect(fit.trainFPR.successes == fp, "\(rng.replay)")
        }
    }

    @Test func imageFitPicksTheLoosestThresholdsThatKeepNegativesOut() {
        // Negatives: closest PDQ distance 40, most inliers 25. Positives need looser thresholds.
        let cases = [
            Self.imageCase(false, pdq: 40, inliers: 3, work: "x"), Self.imageCase(false, pdq: 60, inliers: 25, work: "y"),
            Self.imageCase(true, pdq: 39, inliers: nil), Self.imageCase(true, pdq: 50, inliers: 26),
            Self.imageCase(true, pdq: 10, inliers: 0), Self.imageCase(true, pdq: 55, inliers: 30),
        ]
        let fit = Fitter.fitImage(cases, base: DecisionModel.defaults, targetFPR: 0)
        #expect(fit.rule.pdqMaxDistance == 39)
        #expect(fit.rule.localMinInliers == 26)
        #expect(fit.trainTPR.successes == 4)
        #expect(fit.trainFPR.successes == 0)
    }

    @Test func textFitPicksTheFewestAlignedWordsThatKeepNegativesOut() {
        func text(_ positive: Bool, _ aligned: Int, _ coverage: Double) -> FeatureCase {
            FeatureCase(positive: positive, expectedWork: positive ? "w" : nil, works: [WorkFeatures(
                work: positive ? "w" : "z", text: TextAlignmentSummary(alignedWords: aligned,
                    matchedWords: Int(Double(aligned) * coverage), coverage: coverage, longestRun: 20))])
        }
        let cases = [text(false, 80, 0.45), text(false, 30, 1), text(true, 85, 0.95), text(true, 200, 1),
                     text(true, 40, 0.5)]
        let fit = Fitter.fitText(cases, base: .defaults, targetFPR: 0)
        #expect(fit.trainFPR.successes == 0)
        // The 40-word positive has only 20 matched words (< 30): at most two positives are caught.
        #expect(fit.trainTPR.successes == 2)
        // Fewer than 35 words admits the 30-word negative; coverage 0.4 admits the 80-word one.
        #expect(fit.rule.minAlignedWords == 35)
        #expect(fit.rule.minCoverage == 0.5)
    }

    /// A negative that only the paraphrase matcher matches does not hold the word aligner's
    /// thresholds at their strictest: no word threshold could keep it out.
    @Test func textFitLeavesParaphraseMatchesToTheParaphraseFit() {
        let para = ParaphraseSummary(spannedSentences: 4, seedPairs: 4, meanSimilarity: 0.8, minSimilarity: 0.7, sourceWords: 90)
        let cases = [
            FeatureCase(positive: false, expectedWork: nil, works: [WorkFeatures(work: "z", paraphrase: para)]),
            FeatureCase(positive: false, expectedWork: nil, works: [WorkFeatures(work: "y", text: TextAlignmentSummary(
                alignedWords: 30, matchedWords: 30, coverage: 1, longestRun: 20))]),
            FeatureCase(positive: true, expectedWork: "w", works: [WorkFeatures(work: "w", text: TextAlignmentSummary(
                alignedWords: 60, matchedWords: 60, coverage: 1, longestRun: 20))]),
        ]
        let fit = Fitter.fitText(cases, base: .defaults, targetFPR: 0)
        #expect(fit.metTarget && fit.trainFPR.successes == 0, "\(fit)")
        #expect(fit.rule.minAlignedWords == 35 && fit.rule.minCoverage == 0.4, "\(fit.rule)")
        #expect(Fitter.fitParaphrase(cases, base: .defaults, targetFPR: 0).rule.minMeanSimilarity > 0.8)
    }

    @Test func audioFitPicksTheFewestHashesThatKeepNegativesOut() {
        func audio(_ positive: Bool, _ hashes: Int, seconds: Double = 8) -> FeatureCase {
            FeatureCase(positive: positive, expectedWork: positive ? "w" : nil,
                        works: [WorkFeatures(work: positive ? "w" : "z", audioHashes: hashes, audioSeconds: seconds)])
        }
        let cases = [audio(false, 14), audio(false, 23, seconds: 1.5), audio(true, 57), audio(true, 300), audio(true, 16),
                     audio(true, 90, seconds: 1)]
        let fit = Fitter.fitAudio(cases, base: .defaults, targetFPR: 0)
        // 14 aligned hashes is a negative: 16 is the fewest kept out of it; the 23-hash negative
        // spans only 1.5 s, under the 2 s the rule also asks (so is the 90-hash positive).
        #expect(fit.rule.minAlignedHashes == 16)
        #expect(fit.rule.minDistinctHashes == 16)
        #expect(fit.trainFPR.successes == 0)
        #expect(fit.trainTPR.successes == 3)
    }

    /// The fit reads distinct hashes: a negative that aligns many repeats of few hashes stays out
    /// without raising the bar for a positive whose aligned hashes all differ.
    @Test func audioFitCountsDistinctHashes() {
        func audio(_ positive: Bool, _ hashes: Int, distinct: Int) -> FeatureCase {
            FeatureCase(positive: positive, expectedWork: positive ? "w" : nil,
                        works: [WorkFeatures(work: positive ? "w" : "z", audioHashes: hashes, audioDistinctHashes: distinct,
                                             audioSeconds: 8)])
        }
        let cases = [audio(false, 60, distinct: 19), audio(true, 30, distinct: 30), audio(true, 24, distinct: 22)]
        let fit = Fitter.fitAudio(cases, base: .defaults, targetFPR: 0)
        #expect(fit.rule.minDistinctHashes == 20)
        #expect(fit.rule.minAlignedHashes == 20)
        #expect(fit.trainFPR.successes == 0)
        #expect(fit.trainTPR.successes == 2)
    }

    /// With matches by isolation in the prior, the fit also finds the narrowest margin above the
    /// sidelobe that keeps the negatives out (a periodic coincidence stands 9 above its own), not
    /// the widest that still finds the positives (12 and 11).
    @Test func audioFitFindsTheIsolationMargin() {
        func audio(_ positive: Bool, _ distinct: Int, sidelobe: Int) -> FeatureCase {
            FeatureCase(positive: positive, expectedWork: positive ? "w" : nil,
                        works: [WorkFeatures(work: positive ? "w" : "z", audioHashes: distinct, audioDistinctHashes: distinct,
                                             audioSeconds: 8, audioSidelobe: sidelobe)])
        }
        var base = DecisionModel.defaults
        base.audio = AudioRule(minAlignedHashes: 35, minDistinctHashes: 35, minMatchedSeconds: 2,
                               minIsolatedHashes: 20, minIsolationMargin: 15)
        let cases = [audio(false, 33, sidelobe: 24), audio(false, 30, sidelobe: 30), audio(true, 21, sidelobe: 9),
                     audio(true, 25, sidelobe: 14), audio(true, 60, sidelobe: 10)]
        let fit = Fitter.fitAudio(cases, base: base, targetFPR: 0)
        #expect(fit.rule.minDistinctHashes == 34 && fit.rule.minIsolationMargin == 10)
        #expect(fit.trainTPR.successes == 3 && fit.trainFPR.successes == 0)
        // A prior without matches by isolation keeps them off: only the plain match is found.
        base.audio.minIsolatedHashes = 0
        let plain = Fitter.fitAudio(cases, base: base, targetFPR: 0)
        #expect(plain.rule.minIsolatedHashes == 0 && plain.rule.minIsolationMargin == 15 && plain.rule.minDistinctHashes == 34)
        #expect(plain.trainTPR.successes == 1)
    }
}
