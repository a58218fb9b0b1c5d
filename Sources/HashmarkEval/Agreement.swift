import Foundation
import HashmarkEngine
import HashmarkReport

/// One case decided twice: by the engine with a model, and by the fitter from features recorded
/// once with permissive models.
public struct DecisionAgreement: Sendable, Equatable {
    public var caseID: String
    public var modelID: String
    public var positive: Bool
    /// `hashmark check` with this model detects the case (the right work for positives).
    public var engine: Bool
    /// `Fitter.detects` says it would.
    public var fitter: Bool
}

extension EvalSuite {
    /// Every case of `options`' pool, under every model of `models`, decided by the engine and by
    /// the fitter. A fit is only worth its numbers if the two agree on every row: the fitter
    /// chooses thresholds offline by replaying `DecisionModel.matchedWorks` on recorded features,
    /// the engine applies them to real files. The models may differ from `options.model` only in
    /// fitted thresholds (PDQ distance ≤ 64 and quality, inliers, text thresholds).
    public static func agreement(_ options: SuiteOptions, models: [DecisionModel]) async throws(EvalError)
        -> [DecisionAgreement] {
        let pool = try WorkPool.read(manifest: options.manifest)
        let split = WorkSplit.make(pool, seed: options.seed, limit: options.worksPerModality)
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("hashmark-agree-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        } catch {
            throw EvalError(code: "corpus-build-failed", message: "cannot create \(temp.path)", underlying: error)
        }
        defer { try? FileManager.default.removeItem(at: temp) }
        let (store, skipped) = try buildCorpus(split.registered, at: temp.appendingPathComponent("corpus.sqlite").path,
                                               progress: nil)
        let index: CorpusIndex
        do { index = try CorpusIndex(store: store) } catch {
            throw EvalError(code: "corpus-build-failed", message: error.message)
        }
        let plans = CaseGenerator.plans(split, seed: options.seed).filter { !skipped.contains($0.source.id) }
        let features = await Recording.record(plans, index: index, base: options.model.model, folder: temp,
                                              jobs: options.jobs, progress: nil)
        var rows: [DecisionAgreement] = []
        for (n, model) in models.enumerated() {
            let loaded = try writeModel(model, to: temp.appendingPathComponent("model-\(n).json").path)
            let engine = Engine(index: index, model: loaded)
            let outcomes = await Runner.run(plans, jobs: options.jobs, progress: nil) { plan, bytes -> CaseOutcome? in
                guard case .success(let b) = bytes else { return nil }
                return CaseOutcome(plan, verdict: Runner.check(engine, plan, b).0, milliseconds: 0)
            }
            for (plan, (outcome, recorded)) in zip(plans, zip(outcomes, features)) {
                guard let outcome, let recorded else { continue }
                rows.append(DecisionAgreement(caseID: plan.id, modelID: model.id, positive: recorded.positive,
                                              engine: outcome.detected, fitter: Fitter.detects(recorded, model)))
            }
        }
        return rows
    }
}
