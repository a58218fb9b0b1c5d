import HashmarkEngine
import HashmarkFingerprint

/// Detection rate of one transform, or of one family of transforms.
public struct RateRow: Sendable, Codable, Equatable {
    public var family: String
    /// The transform's kind and name (empty for family rows).
    public var kind: String
    public var transform: String
    public var strength: Double
    public var positives: Int
    public var tpr: RateEstimate
    /// Negatives of the same transform that were matched.
    public var negatives: Int
    public var falsePositives: Int
}

/// Everything measured for one modality on the evaluated split.
public struct ModalityReport: Sendable, Codable, Equatable {
    public var modality: Modality
    public var families: [RateRow]
    public var transforms: [RateRow]
    public var positives: Int
    public var overallTPR: RateEstimate
    public var negatives: Int
    public var fpr: RateEstimate
    /// Detected positives / all matched cases; nil when nothing was matched.
    public var precision: Double?
    /// Mean wall time of one `Engine.check` call.
    public var msPerCase: Double
    /// Cases that got an `error` verdict (counted as not detected).
    public var errors: Int
    /// TPR against FPR as the decision threshold on `CaseOutcome.score` moves (all families).
    public var roc: ROCCurve
}

/// A whole run: how it was made, what was measured, whether the bar was met.
public struct EvalReport: Sendable, Codable, Equatable {
    public var schema = "hashmark.eval-report/1"
    /// The command that reproduces this report.
    public var command: String
    public var seed: UInt64?
    public var model: ModelIdentity
    public var modelDescription: String
    /// The learned image descriptor the run used (its model id and weights' SHA-256); nil when none.
    public var descriptorModel: ModelIdentity?
    public var corpusSnapshot: String
    /// Registered / distractor works per split (generated suites) or cases (external).
    public var works: [String: Int]
    public var targetFPR: Double
    public var minTPR: Double
    public var maxFPR: Double
    /// Training-split figures of the fit, when the run fitted the model.
    public var fit: FitSummary?
    public var modalities: [ModalityReport]
    /// The same cases through a real `hashmark watch` (`--end-to-end`).
    public var endToEnd: EndToEndSummary?
    /// Why the run fails the bar (empty: passed).
    public var failures: [String]
    public var passed: Bool { failures.isEmpty }

    /// Aggregates outcomes per modality, family and transform; checks the bar.
    public static func build(outcomes: [CaseOutcome], command: String, seed: UInt64?, model: LoadedModel,
                             descriptor: DescriptorModel?, corpusSnapshot: String, works: [String: Int], targetFPR: Double, minTPR: Double,
                             maxFPR: Double, fit: FitSummary?) -> EvalReport {
        var failures: [String] = []
        var modalities: [ModalityReport] = []
        for modality in Modality.allCases {
            let cases = outcomes.filter { $0.modality == modality }
            guard !cases.isEmpty else { continue }
            let report = ModalityReport.build(modality, cases)
            for f in report.families where f.positives > 0 && f.tpr.rate < minTPR
                && !ParaphraseFixtures.informationalFamilies.contains(f.family) {
                failures.append("\(modality.rawValue) \(f.family): TPR \(Format.pct(f.tpr.rate)) < \(Format.pct(minTPR))")
            }
            if report.negatives > 0 && report.fpr.rate > maxFPR {
                failures.append("\(modality.rawValue): FPR \(Format.pct(report.fpr.rate)) > \(Format.pct(maxFPR))")
            }
            modalities.append(report)
        }
        return EvalReport(command: command, seed: seed, model: model.identity, modelDescription: model.model.description,
                          descriptorModel: descriptor?.identity,
                          corpusSnapshot: corpusSnapshot, works: works, targetFPR: targetFPR, minTPR: minTPR,
                          maxFPR: maxFPR, fit: fit, modalities: modalities, endToEnd: nil, failures: failures)
    }

    /// Adds a daemon run; its missing reports, ledger or disagreements fail the report.
    public mutating func attach(endToEnd summary: EndToEndSummary?) {
        guard let summary else { return }
        endToEnd = summary
        failures += summary.failures
    }
}

/// The thresholds a fit chose and their training-split figures.
public struct FitSummary: Sendable, Codable, Equatable {
    public var image: Fitter.Fit<DecisionModel.ImageRule>?
    public var text: Fitter.Fit<DecisionModel.TextRule>?
    public var paraphrase: Fitter.Fit<ParaphraseRule>?
    public var audio: Fitter.Fit<AudioRule>?
    public var descriptor: Fitter.Fit<DescriptorRule>?
    public var trainCases: Int
    /// Modalities whose thresholds could only be tightened from the prior (too few negatives;
    /// see `Fitter.negativesCanLoosen`).
    public var limitedToPrior: [String] = []
}

extension ModalityReport {
    static func build(_ modality: Modality, _ cases: [CaseOutcome]) -> ModalityReport {
        let positives = cases.filter { $0.label == .positive }
        let negatives = cases.filter { $0.label == .negative }
        func row(_ family: String, _ kind: String, _ transform: String, _ strength: Double,
                 _ group: [CaseOutcome]) -> RateRow {
            let pos = group.filter { $0.label == .positive }, neg = group.filter { $0.label == .negative }
            return RateRow(family: family, kind: kind, transform: transform, strength: strength,
                           positives: pos.count,
                           tpr: RateEstimate(successes: pos.filter(\.detected).count, trials: pos.count),
                           negatives: neg.count, falsePositives: neg.filter(\.detected).count)
        }
        var familyOrder: [String] = [], transformOrder: [String] = []
        var byFamily: [String: [CaseOutcome]] = [:], byTransform: [String: [CaseOutcome]] = [:]
        for c in cases {
            if byFamily[c.family] == nil { familyOrder.append(c.family) }
            byFamily[c.family, default: []].append(c)
            let key = c.family + "\u{1}" + c.transform
            if byTransform[key] == nil { transformOrder.append(key) }
            byTransform[key, default: []].append(c)
        }
        let families = familyOrder.map { row($0, "", "", 0, byFamily[$0] ?? []) }
        let transforms = transformOrder.compactMap { key -> RateRow? in
            guard let group = byTransform[key], let c = group.first else { return nil }
            return row(c.family, c.kind, c.transform, c.strength, group)
        }
        let tp = positives.filter(\.detected).count, fp = negatives.filter(\.detected).count
        let timed = cases.filter { $0.milliseconds > 0 }
        return ModalityReport(
            modality: modality, families: families, transforms: transforms, positives: positives.count,
            overallTPR: RateEstimate(successes: tp, trials: positives.count), negatives: negatives.count,
            fpr: RateEstimate(successes: fp, trials: negatives.count),
            precision: tp + fp > 0 ? Double(tp) / Double(tp + fp) : nil,
            msPerCase: timed.isEmpty ? 0 : timed.reduce(0) { $0 + $1.milliseconds } / Double(timed.count),
            errors: cases.filter { $0.verdict == "error" }.count,
            roc: ROCCurve(positives: positives.map(\.score), negatives: negatives.map(\.score)))
    }
}

enum Format {
    static func pct(_ x: Double) -> String {
        let v = (x * 1000).rounded() / 10
        return "\(v) %"
    }

    static func num(_ x: Double, _ places: Int = 1) -> String {
        var p = 1.0
        for _ in 0..<places { p *= 10 }
        let v = (x * p).rounded() / p
        return v == v.rounded() && places == 0 ? String(Int(v)) : String(v)
    }
}
