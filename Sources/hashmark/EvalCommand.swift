import ArgumentParser
import Foundation
import HashmarkEngine
import HashmarkEval

/// `hashmark eval`: the accuracy suite (detection rate per transform at a fixed FPR) and the
/// decision-model fitter.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure detection rates per transform against distractors; fit the decision model.",
        discussion: """
            Without --cases: splits the pool (default: the bundled Corpus) into registered works and \
            held-out distractors, each into train and test; transforms them with Hashmark's own code; \
            runs every test case through the same engine call as `check`. --fit first fits the \
            thresholds on the train split at --target-fpr and writes Models/hashmark-model.json \
            (or --write-model PATH).
            --end-to-end also renames every test case into the inbox of a real `hashmark watch` \
            (a temporary spool and key), verifies the signed reports and the ledger, and compares each \
            report's verdict with the in-process one; missing reports or disagreements fail the run.
            With --cases FILE.csv (columns path,label,work_id,family,transform) and --db: checks those \
            files against that corpus.
            Exit code: 0 when every family's TPR >= --min-tpr and FPR <= --max-fpr, 1 otherwise, 2 on \
            usage or set-up errors.
            """)

    @Option(help: "Corpus manifest to split (default: Corpus/manifest.csv).") var corpus: String?
    @Option(help: "A larger pool: a folder with manifest.csv (overrides --corpus).") var pool: String?
    @Option(help: "Seed for the split, the transforms and their randomness.") var seed: UInt64 = 1
    @Flag(help: "A small fast subset (10 works per modality).") var quick = false
    @Option(help: "Use only this many works per modality of the pool (seeded choice).") var works: Int?
    @Flag(help: "Fit the model on the train split and write it (Models/hashmark-model.json).") var fit = false
    @Option(name: .customLong("write-model"), help: "Fit and write the model to this path.") var writeModel: String?
    @Flag(name: .customLong("fit-descriptor-only"),
          help: "With --fit/--write-model: fit only the image descriptor's threshold, every other rule kept from --model.")
    var fitDescriptorOnly = false
    @Option(help: "Model to evaluate when not fitting (default: $HASHMARK_MODEL, Models/hashmark-model.json, built-in); when fitting, the prior the fit starts from (default: built-in): its matcher settings are kept, and with too few negatives to show the target its thresholds are only tightened.")
    var model: String?
    @Option(name: .customLong("target-fpr"), help: "False-positive rate the fit aims at, per modality.")
    var targetFPR: Double = 0.001
    @Option(name: .customLong("min-tpr"), help: "Fail when any family's detection rate is below this.")
    var minTPR: Double = 0.90
    @Option(name: .customLong("max-fpr"), help: "Fail when a modality's FPR is above this (default: --target-fpr).")
    var maxFPR: Double?
    @Option(help: "External labelled cases: CSV with path,label,work_id,family,transform (needs --db).")
    var cases: String?
    @Option(help: "Corpus database for --cases.") var db: String?
    @Option(help: "Write report.json, report.md, cases.json, detection.svg and roc.svg here.") var out: String?
    @Option(help: "Concurrent workers.") var jobs: Int = 2
    @Option(name: .customLong("paraphrase-fixtures"),
            help: "Folder of language-model paraphrase fixtures (default: Tests/Fixtures/paraphrase when present).")
    var paraphraseFixtures: String?
    @Option(name: .customLong("semantic-model"),
            help: "Sentence-embedding model folder (default: $HASHMARK_SEMANTIC_MODEL, Models/minilm-l6-v2).")
    var semanticModel: String?
    @Option(name: .customLong("descriptor-model"),
            help: "Image descriptor model folder (default: $HASHMARK_DESCRIPTOR_MODEL, Models/image-descriptor).")
    var descriptorModel: String?
    @Flag(help: "Run without the learned image descriptor (PDQ and keypoints only), to measure what it adds.")
    var noDescriptor = false
    @Option(help: "Only the works of one modality: image, text or audio (default: all).") var only: Modality?
    @Option(help: "CSV of works that share material (work,related,…): a held-out work related to a registered one is not used as a negative (default: related.csv beside the manifest, when present).")
    var related: String?
    @Flag(help: "Split the pool's recordings by source package (a soundtrack's tracks all registered or all held out), as music packages vary their own themes.")
    var splitAudioBySource = false
    @Flag(name: .customLong("audio-candidate-stage"),
          help: "Search audio through the large-catalogue candidate stage at any corpus size, to measure its recall (in-process checks only).")
    var audioCandidateStage = false
    @Flag(name: .customLong("end-to-end"),
          help: "Also run the test cases through a real `hashmark watch` spool and check its signed reports.")
    var endToEnd = false

    func validate() throws {
        if cases != nil && db == nil { throw ValidationError("--cases needs --db (the corpus to match against).") }
        if cases != nil && (fit || writeModel != nil) { throw ValidationError("--fit works on generated suites only.") }
        if cases != nil && endToEnd { throw ValidationError("--end-to-end works on generated suites only.") }
        if !(0...1).contains(targetFPR) || !(0...1).contains(minTPR) { throw ValidationError("rates are in 0…1.") }
    }

    var command: String {
        (["hashmark"] + CommandLine.arguments.dropFirst()).map { arg in
            arg.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,".contains($0) } ? arg : "'\(arg)'"
        }.joined(separator: " ")
    }

    func run() async throws {
        let progress: EvalProgress = { phase, done, total in Terminal.progress(done, of: total, phase) }
        let report: EvalReport
        let outcomes: [CaseOutcome]
        if let cases, let db {
            let engine = try EngineSetup.engine(database: DatabaseOptions.parse(["--db", db]), model: model)
            let plans = try ExternalCases.read(csv: cases)
            outcomes = await ExternalCases.run(plans, engine: engine, jobs: jobs, progress: progress)
            report = EvalReport.build(outcomes: outcomes, command: command, seed: nil, model: engine.model,
                                      descriptor: engine.descriptor, corpusSnapshot: engine.index.snapshot.id, works: ["cases": plans.count],
                                      targetFPR: targetFPR, minTPR: minTPR, maxFPR: maxFPR ?? targetFPR, fit: nil)
        } else {
            let manifest = pool.map { URL(fileURLWithPath: $0).appendingPathComponent("manifest.csv").path }
                ?? corpus ?? "Corpus/manifest.csv"
            guard FileManager.default.fileExists(atPath: manifest) else {
                throw CLIError("no manifest at \(manifest): run from the repository root, or give --corpus / --pool")
            }
            let fitting = fit || writeModel != nil
            let base: LoadedModel
            do {
                // A fit starts from the built-in defaults unless --model names its prior.
                base = fitting && !fitDescriptorOnly && model == nil ? .defaults : try LoadedModel.locate(explicit: model)
            } catch {
                throw CLIError("\(error.code): \(error.message)")
            }
            let semantic: SemanticModel?
            do { semantic = try SemanticModel.load(explicit: semanticModel) } catch {
                throw CLIError("\(error.code): \(error.message)")
            }
            if semantic == nil { Terminal.err("no sentence-embedding model found: paraphrase matching is off") }
            let descriptor: DescriptorModel?
            do { descriptor = noDescriptor ? nil : try DescriptorModel.load(explicit: descriptorModel) } catch {
                throw CLIError("\(error.code): \(error.message)")
            }
            if descriptor == nil, !noDescriptor { Terminal.err("no image descriptor model found: the descriptor matcher is off") }
            let fixtures = paraphraseFixtures ?? (FileManager.default.fileExists(atPath: ParaphraseFixtures.defaultFolder)
                ? ParaphraseFixtures.defaultFolder : nil)
            var options = SuiteOptions(
                manifest: manifest, seed: seed, worksPerModality: works ?? (quick ? 10 : nil), fit: fitting,
                targetFPR: targetFPR, model: base,
                modelOutput: fitting ? (writeModel ?? "Models/hashmark-model.json") : nil, jobs: jobs, command: command,
                endToEndBinary: endToEnd ? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path : nil,
                semantic: semantic, paraphraseFixtures: fixtures)
            options.modality = only
            options.descriptor = descriptor
            options.fitDescriptorOnly = fitDescriptorOnly
            if splitAudioBySource { options.splitBySource = [.audio] }
            options.audioCandidateStage = audioCandidateStage
            let besideManifest = URL(fileURLWithPath: manifest).deletingLastPathComponent().appendingPathComponent("related.csv").path
            if let path = related ?? (FileManager.default.fileExists(atPath: besideManifest) ? besideManifest : nil) {
                do { options.related = try WorkPool.related(csv: path) } catch { throw CLIError("\(error.code): \(error.message)") }
            }
            let result = try await EvalSuite.run(options, progress: progress)
            for id in result.leftOutAsRelated { Terminal.err("left out distractor \(id): it shares material with a registered work") }
            for id in result.skipped { Terminal.err("skipped work \(id): it could not be registered") }
            if fitting, let path = result.model.path { Terminal.err("wrote \(path) (\(result.model.model.id))") }
            outcomes = result.outcomes
            var built = EvalReport.build(outcomes: outcomes, command: command, seed: seed, model: result.model,
                                         descriptor: descriptor, corpusSnapshot: result.corpusSnapshot, works: result.works,
                                         targetFPR: targetFPR, minTPR: minTPR, maxFPR: maxFPR ?? targetFPR, fit: result.fit)
            built.attach(endToEnd: result.endToEnd)
            report = built
        }
        print(EvalOutput.markdown(report), terminator: "")
        if let out {
            try EvalOutput.write(report, outcomes: outcomes, to: out)
            Terminal.err("wrote \(out)/report.md, report.json, cases.json, detection.svg, roc.svg")
        }
        if !report.passed { throw ExitCode(1) }
    }
}

extension Modality: ExpressibleByArgument {}
