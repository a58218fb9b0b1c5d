import Foundation
import HashmarkEngine

/// Records evidence features on the training split with permissive models, then fits.
///
/// The engine keeps one match per work (the highest-scoring), and local features run only when
/// PDQ has not matched, so one call cannot show both matchers' numbers for a work. Images are
/// therefore checked once per matcher, each time with a model that isolates it:
/// PDQ (any distance ≤ 64, any quality, no local verification), local features (PDQ never
/// matches, every inlier count kept) and, with a descriptor model, the descriptor (PDQ never
/// matches, no local verification, the 3 closest works' similarities kept). Texts are checked once: the engine reports every work with
/// an aligned passage whatever the thresholds.
enum Recording {
    static let pdqRadius = 64

    static func pdqModel(_ base: DecisionModel) -> DecisionModel {
        var m = base
        m.id = "eval-record-pdq"
        m.description = "hashmark eval: records PDQ distances on the train split (not for matching)."
        m.image.pdqMaxDistance = pdqRadius
        m.image.pdqCandidateRadius = pdqRadius
        m.image.pdqMinQuality = 0
        m.image.localMaxCandidates = 0
        m.audio.minAlignedHashes = 2   // every alignment of ≥ 1 hash reported (near misses start at three quarters)
        m.audio.minDistinctHashes = 0
        m.descriptor.enabled = false
        return m
    }

    static func localModel(_ base: DecisionModel) -> DecisionModel {
        var m = base
        m.id = "eval-record-local"
        m.description = "hashmark eval: records local-feature inliers on the train split (not for matching)."
        m.image.pdqMaxDistance = -1
        m.image.pdqCandidateRadius = 0
        m.image.localMinInliers = 1
        m.descriptor.enabled = false
        return m
    }

    static func descriptorModel(_ base: DecisionModel) -> DecisionModel {
        var m = base
        m.id = "eval-record-descriptor"
        m.description = "hashmark eval: records image descriptor cosines on the train split (not for matching)."
        m.image.pdqMaxDistance = -1
        m.image.pdqCandidateRadius = 0
        m.image.localMaxCandidates = 0
        m.descriptor.enabled = true
        m.descriptor.nearMissSimilarity = -2
        m.descriptor.maxCandidates = 3
        return m
    }

    static func record(_ plans: [CasePlan], index: CorpusIndex, base: DecisionModel, folder: URL, jobs: Int,
                       semantic: SemanticModel? = nil, descriptor: DescriptorModel? = nil,
                       progress: EvalProgress?) async -> [FeatureCase?] {
        guard let pdq = try? EvalSuite.writeModel(pdqModel(base), to: folder.appendingPathComponent("pdq.json").path),
              let local = try? EvalSuite.writeModel(localModel(base), to: folder.appendingPathComponent("local.json").path),
              let described = try? EvalSuite.writeModel(descriptorModel(base), to: folder.appendingPathComponent("descriptor.json").path)
        else { return [] }
        let pdqEngine = Engine(index: index, model: pdq, semantic: semantic)
        let localEngine = Engine(index: index, model: local)
        let descriptorEngine = { var e = Engine(index: index, model: described); e.descriptor = descriptor; return e }()
        return await Runner.run(plans, jobs: jobs, progress: { progress?("train", $0, plans.count) }) { plan, bytes in
            guard case .success(let b) = bytes else { return nil }
            var table: [String: WorkFeatures] = [:]
            let name = Materialiser.fileName(plan)
            WorkFeatures.merge(pdqEngine.check(bytes: b, fileName: name), into: &table)
            if plan.modality == .image {
                WorkFeatures.merge(localEngine.check(bytes: b, fileName: name), into: &table)
                if descriptor != nil { WorkFeatures.merge(descriptorEngine.check(bytes: b, fileName: name), into: &table) }
            }
            return FeatureCase(positive: plan.label == .positive, expectedWork: plan.expectedWork,
                               works: table.values.sorted { $0.work < $1.work })
        }
    }

    static func fit(_ features: [FeatureCase?], train: [CasePlan], base: DecisionModel, options: SuiteOptions,
                    split: WorkSplit) throws(EvalError) -> (model: DecisionModel, summary: FitSummary) {
        guard features.count == train.count else {
            throw EvalError(code: "fit-failed", message: "could not record training features")
        }
        var images: [FeatureCase] = [], texts: [FeatureCase] = [], audio: [FeatureCase] = []
        for (plan, f) in zip(train, features) {
            guard let f else { continue }
            switch plan.modality {
            case .image: images.append(f)
            case .text: texts.append(f)
            case .audio: audio.append(f)
            }
        }
        var model = base
        var summary = FitSummary(image: nil, text: nil, trainCases: images.count + texts.count + audio.count)
        var descriptorBaseFP = 0
        // Too few negatives to show the target: thresholds may only be tightened from `base`.
        let imageNegatives = images.count { !$0.positive }, textNegatives = texts.count { !$0.positive }
        let loosenImage = Fitter.negativesCanLoosen(imageNegatives, targetFPR: options.targetFPR)
        let loosenText = Fitter.negativesCanLoosen(textNegatives, targetFPR: options.targetFPR)
        let audioNegatives = audio.count { !$0.positive }
        let loosenAudio = Fitter.negativesCanLoosen(audioNegatives, targetFPR: options.targetFPR)
        if !images.isEmpty {
            if !options.fitDescriptorOnly {
                let maxDistance = loosenImage ? pdqRadius : min(pdqRadius, base.image.pdqMaxDistance)
                let fit = Fitter.fitImage(images, base: base, targetFPR: options.targetFPR,
                                          pdqDistances: 0...maxDistance,
                                          inliers: (loosenImage ? 6 : max(6, base.image.localMinInliers))...120)
                model.image = fit.rule
                summary.image = fit
            }
            // The descriptor's similarity with the fitted PDQ and local rule (it decides only where they did not).
            if images.contains(where: { $0.works.contains { $0.descriptorSimilarity != nil } }) {
                let floor = loosenImage ? 0.0 : base.descriptor.minSimilarity
                let d = Fitter.fitDescriptor(images, base: model, targetFPR: options.targetFPR,
                                             similarities: stride(from: 0.8, through: floor - 1e-9, by: -0.005).map { $0 })
                model.descriptor = d.fit.rule
                summary.descriptor = d.fit
                descriptorBaseFP = d.baseFalsePositives
            }
        }
        if !texts.isEmpty, !options.fitDescriptorOnly {
            let floor = loosenText ? 20 : max(20, base.text.minAlignedWords)
            let fit = Fitter.fitText(texts, base: base, targetFPR: options.targetFPR,
                                     alignedWords: Array(stride(from: floor, through: 400, by: 5)),
                                     coverages: [0.4, 0.5, 0.6, 0.7, 0.8, 0.9].filter { loosenText || $0 >= base.text.minCoverage })
            model.text = fit.rule
            summary.text = fit
            // Paraphrase thresholds on the text cases, decided with the fitted text rule (the
            // matcher runs for the works the passage aligner did not match).
            if texts.contains(where: { $0.works.contains { $0.paraphrase != nil } }) {
                let p = Fitter.fitParaphrase(texts, base: model, targetFPR: options.targetFPR,
                                             seedPairs: Array((loosenText ? 3 : max(3, base.paraphrase.minSeedPairs))...12),
                                             means: stride(from: 0.55, through: 0.9, by: 0.025)
                                                 .filter { loosenText || $0 >= base.paraphrase.minMeanSimilarity - 1e-9 })
                model.paraphrase = p.rule
                summary.paraphrase = p
            }
        }
        if !audio.isEmpty, !options.fitDescriptorOnly {
            let fit = Fitter.fitAudio(audio, base: base, targetFPR: options.targetFPR,
                                      hashes: Array(stride(from: loosenAudio ? 10 : max(10, base.audio.minAlignedHashes,
                                                                                    base.audio.minDistinctHashes),
                                                                  through: 200, by: 2)),
                                      margins: Array(stride(from: loosenAudio ? 8 : max(8, base.audio.minIsolationMargin), through: 30, by: 1)))
            model.audio = fit.rule
            summary.audio = fit
        }
        summary.limitedToPrior = [(loosenImage, "image", imageNegatives), (loosenText, "text", textNegatives),
                                  (loosenAudio, "audio", audioNegatives)]
            .filter { !$0.0 && $0.2 > 0 }.map(\.1)
        let date = DateFormatter()
        date.dateFormat = "yyyyMMdd"
        date.timeZone = TimeZone(identifier: "UTC")
        model.schema = "hashmark.model/1"
        model.id = "hashmark-fitted-\(date.string(from: Date()))-\(options.seed)"
        func count(_ m: Modality, _ works: [PoolWork]) -> Int { works.filter { $0.modality == m }.count }
        var parts = ["Fitted by `\(options.command)` on the train split of \(URL(fileURLWithPath: options.manifest).lastPathComponent) (seed \(options.seed)"]
        parts[0] += ": \(count(.image, split.registeredTrain)) registered + \(count(.image, split.distractorTrain)) distractor images, "
            + "\(count(.text, split.registeredTrain)) registered + \(count(.text, split.distractorTrain)) distractor texts, "
            + "\(count(.audio, split.registeredTrain)) registered + \(count(.audio, split.distractorTrain)) distractor recordings) "
            + "at a target FPR of \(Format.pct(options.targetFPR)) per modality."
        if let f = summary.image {
            parts.append("Image: pdqMaxDistance \(f.rule.pdqMaxDistance), localMinInliers \(f.rule.localMinInliers); "
                + "train TPR \(Format.pct(f.trainTPR.rate)), FPR \(f.trainFPR.successes)/\(f.trainFPR.trials)"
                + (f.metTarget ? "." : " (target not met: strictest thresholds kept)."))
        }
        if let f = summary.text {
            parts.append("Text: minAlignedWords \(f.rule.minAlignedWords), minCoverage \(f.rule.minCoverage); "
                + "train TPR \(Format.pct(f.trainTPR.rate)), FPR \(f.trainFPR.successes)/\(f.trainFPR.trials)"
                + (f.metTarget ? "." : " (target not met: strictest thresholds kept)."))
        }
        if let f = summary.paraphrase {
            parts.append("Paraphrase: minSeedPairs \(f.rule.minSeedPairs), minMeanSimilarity \(f.rule.minMeanSimilarity); "
                + "train TPR \(Format.pct(f.trainTPR.rate)), FPR \(f.trainFPR.successes)/\(f.trainFPR.trials)"
                + (f.metTarget ? "." : " (target not met: strictest thresholds kept)."))
        }
        if options.fitDescriptorOnly {
            parts.append("Only the image descriptor's threshold was fitted: every other rule is \(base.id)'s.")
        }
        if let f = summary.descriptor {
            parts.append("Image descriptor: minSimilarity \(f.rule.minSimilarity); "
                + "train TPR \(Format.pct(f.trainTPR.rate)), FPR \(f.trainFPR.successes)/\(f.trainFPR.trials)"
                + " (\(descriptorBaseFP) of them from PDQ and keypoints alone)"
                + (f.metTarget ? "." : " (target not met: strictest threshold kept)."))
        }
        if let f = summary.audio {
            parts.append("Audio: minAlignedHashes \(f.rule.minAlignedHashes), minDistinctHashes \(f.rule.minDistinctHashes)"
                + (f.rule.minIsolatedHashes > 0
                   ? ", by isolation \(f.rule.minIsolatedHashes) distinct hashes \(f.rule.minIsolationMargin) above the sidelobe" : "") + "; "
                + "train TPR \(Format.pct(f.trainTPR.rate)), FPR \(f.trainFPR.successes)/\(f.trainFPR.trials)"
                + (f.metTarget ? "." : " (target not met: strictest thresholds kept)."))
        }
        for m in summary.limitedToPrior {
            let n = m == "image" ? imageNegatives : m == "text" ? textNegatives : audioNegatives
            parts.append("\(m.capitalized) thresholds were not loosened beyond \(base.id): \(n) train negatives "
                + "cannot show an FPR of \(Format.pct(options.targetFPR)) (that needs >= \(Int((3 / options.targetFPR).rounded(.up)))).")
        }
        parts.append("Other parameters from \(base.id). Refit: see Models/README.md.")
        model.description = parts.joined(separator: " ")
        return (model, summary)
    }
}
