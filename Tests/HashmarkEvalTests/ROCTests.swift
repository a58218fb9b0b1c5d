import HashmarkEval
import Testing

@Suite("ROC curve")
struct ROCTests {
    @Test func pointsAUCAndOperatingPointFromScores() {
        let roc = ROCCurve(positives: [0.9, 0.6, 0.4], negatives: [0.55, 0.1])
        #expect(roc.points.first?.tpr == 0 && roc.points.first?.fpr == 0)
        #expect(roc.points.last?.tpr == 1 && roc.points.last?.fpr == 1)
        // Monotone: lowering the threshold never lowers either rate.
        for (a, b) in zip(roc.points, roc.points.dropFirst()) {
            #expect(b.threshold < a.threshold && b.tpr >= a.tpr && b.fpr >= a.fpr)
        }
        // AUC = P(positive score > negative score): 5 of the 6 pairs.
        #expect(abs((roc.auc ?? 0) - 5.0 / 6.0) < 1e-12)
        let op = roc.at(0.5)
        #expect(op?.tpr == 2.0 / 3.0 && op?.fpr == 0.5)
    }

    @Test func tiesCountHalfAndEmptySidesHaveNoAUC() {
        #expect(ROCCurve(positives: [0.7], negatives: [0.7]).auc == 0.5)
        #expect(ROCCurve(positives: [0.7], negatives: []).auc == nil)
        #expect(ROCCurve(positives: [], negatives: [0.2]).auc == nil)
    }
}

@Suite("Fit guard")
struct FitGuardTests {
    /// Rule of three: 0 false positives in n negatives bounds the FPR only near 3/n.
    @Test func fewNegativesCannotLoosenThePrior() {
        #expect(!Fitter.negativesCanLoosen(216, targetFPR: 0.001))
        #expect(!Fitter.negativesCanLoosen(2_999, targetFPR: 0.001))
        #expect(Fitter.negativesCanLoosen(3_000, targetFPR: 0.001))
        #expect(Fitter.negativesCanLoosen(300, targetFPR: 0.01))
        #expect(!Fitter.negativesCanLoosen(1_000_000, targetFPR: 0))
    }
}
