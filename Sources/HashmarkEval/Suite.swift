import Foundation
import HashmarkEngine
import HashmarkStore
import HashmarkTransforms

/// How to run the generated suite.
public struct SuiteOptions: Sendable {
    /// The pool: the bundled `Corpus/manifest.csv` or a larger pool's manifest.
    public var manifest: String
    public var seed: UInt64
    /// Keep only this many works per modality (quick runs).
    public var worksPerModality: Int?
    /// Fit on the train split; otherwise evaluate `model` as it is.
    public var fit: Bool
    public var targetFPR: Double
    /// The model evaluated when not fitting, and the base of a fit (its non-fitted parameters).
    public var model: LoadedModel
    /// Where a fitted model is written (a temporary file when nil).
    public var modelOutput: String?
    public var jobs: Int
    /// The command line, recorded in reports and the model's description.
    public var command: String
    /// `--end-to-end`: the `hashmark` binary to run `watch` with; nil runs in process only.
    public var endToEndBinary: String?
    /// The paraphrase matcher's models; nil runs without it.
    public var semantic: SemanticModel?
    /// The learned image descriptor: registered images get its vector and the engine its matcher;
    /// nil runs without it.
    public var descriptor: DescriptorModel?
    /// Fit only the descriptor's threshold; every other rule stays `model`'s.
    public var fitDescriptorOnly = false
    /// The language-model paraphrase fixtures (`ParaphraseFixtures`); nil leaves them out.
    public var paraphraseFixtures: String?
    /// Only the works of this modality (nil: all).
    public var modality: Modality?
    /// Works that share material (a sound bed, a logo, a passage), both ways: a held-out work
    /// related to a registered one is no unrelated control, so it is left out of the distractors
    /// (`WorkPool.related(csv:)`; `related.csv` beside the manifest is read when present).
    public var related: [String: Set<String>] = [:]
    /// Modalities split by source (`WorkSplit.make(bySource:)`), not by work.
    public var splitBySource: Set<Modality> = []
    /// Search audio through the candidate stage of large catalogues whatever the corpus size
    /// (`CorpusIndex.audioCandidateMinimum` 0), to measure its recall on real edits. In-process
    /// checks only: an end-to-end daemon builds its own index.
    public var audioCandidateStage = false

    public init(manifest: String, seed: UInt64 = 1, worksPerModality: Int? = nil, fit: Bool = false,
                targetFPR: Double = 0.001, model: LoadedModel = .defaults, modelOutput: String? = nil,
                jobs: Int = 2, command: String = "hashmark eval", endToEndBinary: String? = nil,
                semantic: SemanticModel? = nil, paraphraseFixtures: String? = nil) {
        self.manifest = manifest
        self.seed = seed
        self.worksPerModality = worksPerModality
        self.fit = fit
        self.targetFPR = targetFPR
        self.model = model
        self.modelOutput = modelOutput
        self.jobs = jobs
        self.command = command
        self.endToEndBinary = endToEndBinary
        self.semantic = semantic
        self.paraphraseFixtures = paraphraseFixtures
    }
}

/// What a run produced.
public struct SuiteResult: Sendable {
    /// Outcomes on the evaluated cases (the test split for generated suites).
    public var outcomes: [CaseOutcome]
    /// The model the outcomes were measured with (the fitted one after a fit).
    public var model: LoadedModel
    public var corpusSnapshot: String
    public var works: [String: Int]
    public var fit: FitSummary?
    /// Works that could not be registered (skipped with their cases).
    public var skipped: [String]
    /// The daemon run, with `--end-to-end`.
    public var endToEnd: EndToEndSummary?
    /// Held-out works not used as distractors because they share material with a registered work.
    public var leftOutAsRelated: [String] = []
}

/// Progress reports: a phase name, cases done, cases in the phase.
public typealias EvalProgress = @Sendable (String, Int, Int) -> Void

public enum EvalSuite {
    /// Generates the cases, registers the registered works in a temporary corpus, fits on the
    /// train split when asked, and runs the test split through `Engine.check(bytes:fileName:)`.
    public static func run(_ options: SuiteOptions, progress: EvalProgress? = nil) async throws(EvalError) -> SuiteResult {
        let pool = try WorkPool.read(manifest: options.manifest).filter { w in options.modality.map { w.modality == $0 } ?? true }
        var split = WorkSplit.make(pool, seed: options.seed, limit: options.worksPerModality,
                                   bySource: options.splitBySource)
        let leftOut = split.dropDistractorsRelated(to: options.related)
        guard !split.registered.isEmpty else {
            throw EvalError(code: "pool-too-small", message: "\(options.manifest) gives no registered works.")
        }
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("hashmark-eval-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        } catch {
            throw EvalError(code: "corpus-build-failed", message: "cannot create \(temp.path)", underlying: error)
        }
        defer { try? FileManager.default.removeItem(at: temp) }
        let (store, skipped) = try buildCorpus(split.registered, at: temp.appendingPathComponent("corpus.sqlite").path, descriptor: options.descriptor,
                                               progress: progress)
        let drop = Set(skipped)
        split.registeredTrain.removeAll { drop.contains($0.id) }
        split.registeredTest.removeAll { drop.contains($0.id) }
        let owners = Set([split.registeredTrain, split.registeredTest].compactMap(RegisteredElement.owner(among:)))
        try RegisteredElement.register(owners.sorted { $0.id < $1.id }, ingest: Ingest(store: store), folder: temp)
        let index: CorpusIndex
        do {
            index = try CorpusIndex(store: store, audioCandidateMinimum: options.audioCandidateStage ? 0 : CorpusIndex.audioCandidateMinimum)
        } catch {
            throw EvalError(code: "corpus-build-failed", message: error.message)
        }
        var plans = CaseGenerator.plans(split, seed: options.seed)
        if let folder = options.paraphraseFixtures {
            plans += ParaphraseFixtures.plans(try ParaphraseFixtures.read(folder: folder), split: split, seed: options.seed)
        }
        var model = options.model
        var fit: FitSummary? = nil
        if options.fit {
            let train = plans.filter { $0.split == .train }
            let features = await Recording.record(train, index: index, base: options.model.model, folder: temp,
                                                  jobs: options.jobs, semantic: options.semantic,
                                                  descriptor: options.descriptor, progress: progress)
            let fitted = try Recording.fit(features, train: train, base: options.model.model, options: options, split: split)
            fit = fitted.summary
            let path = options.modelOutput ?? temp.appendingPathComponent("fitted-model.json").path
            model = try writeModel(fitted.model, to: path)
        }
        let test = plans.filter { $0.split == .test }
        let engine = {
            var e = Engine(index: index, model: model, semantic: options.semantic)
            e.descriptor = options.descriptor
            return e
        }()
        let daemonRun: EndToEndRun? = options.endToEndBinary == nil ? nil
            : try EndToEndRun(root: temp.appendingPathComponent("spool"))
        let outcomes = await Runner.run(test, jobs: options.jobs, progress: { progress?("test", $0, test.count) }) {
            plan, bytes in
            switch bytes {
            case .success(let b):
                daemonRun?.stage(plan, bytes: b)
                let (verdict, ms) = Runner.check(engine, plan, b)
                let outcome = CaseOutcome(plan, verdict: verdict, milliseconds: ms)
                daemonRun?.record(outcome)
                return outcome
            case .failure:
                return CaseOutcome(plan, failure: "case-generation-failed")
            }
        }
        var endToEnd: EndToEndSummary? = nil
        if let daemonRun, let binary = options.endToEndBinary {
            progress?("end-to-end (hashmark watch)", 0, 1)
            // The daemon loads the model from a file: the built-in defaults are written out first.
            var modelPath = model.path
            if modelPath == nil { modelPath = try writeModel(model.model, to: temp.appendingPathComponent("model.json").path).path }
            endToEnd = try daemonRun.run(binary: binary, database: store.path, model: modelPath,
                                         timeout: .seconds(60 + 5 * test.count))
            progress?("end-to-end (hashmark watch)", 1, 1)
        }
        let works = [
            "registeredTrain": split.registeredTrain.count, "registeredTest": split.registeredTest.count,
            "distractorTrain": split.distractorTrain.count, "distractorTest": split.distractorTest.count,
        ]
        return SuiteResult(outcomes: outcomes, model: model, corpusSnapshot: index.snapshot.id, works: works,
                           fit: fit, skipped: skipped, endToEnd: endToEnd, leftOutAsRelated: leftOut)
    }

    /// Registers `works` in a new store at `path`; works that fail are returned by id.
    static func buildCorpus(_ works: [PoolWork], at path: String, descriptor: DescriptorModel? = nil,
                            progress: EvalProgress?) throws(EvalError) -> (CorpusStore, [String]) {
        let store: CorpusStore
        do { store = try CorpusStore(path: path) } catch {
            throw EvalError(code: "corpus-build-failed", message: "cannot create \(path)", underlying: error)
        }
        var ingest = Ingest(store: store)
        ingest.descriptor = descriptor
        var skipped: [String] = []
        for (n, work) in works.enumerated() {
            do { _ = try ingest.add(path: work.path, metadata: work.metadata) } catch { skipped.append(work.id) }
            progress?("register", n + 1, works.count)
        }
        return (store, skipped)
    }

    /// Writes `model` (pretty, sorted keys) and loads it back, so verdicts cite the file's SHA-256.
    public static func writeModel(_ model: DecisionModel, to path: String) throws(EvalError) -> LoadedModel {
        do {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var data = try ModelFile.encoder.encode(model)
            data.append(0x0A)
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            return try LoadedModel.load(path: path)
        } catch let error as EngineError {
            throw EvalError(code: "write-failed", message: error.message)
        } catch {
            throw EvalError(code: "write-failed", message: "cannot write \(path)", underlying: error)
        }
    }
}
