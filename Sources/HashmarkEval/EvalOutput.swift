import Foundation

/// Writes an evaluation report as Markdown (also printed on the terminal), JSON and SVG plots.
public enum EvalOutput {
    public static func markdown(_ r: EvalReport) -> String {
        var out = ["# Hashmark evaluation", "", "Reproduce with:", "", "```", r.command, "```", ""]
        out.append("- Model: `\(r.model.id)` (SHA-256 `\(r.model.sha256)`)")
        out.append("- Image descriptor: " + (r.descriptorModel.map { "`\($0.id)` (weights SHA-256 `\($0.sha256)`)" } ?? "none"))
        out.append("- Corpus snapshot: `\(r.corpusSnapshot)`")
        if let seed = r.seed { out.append("- Seed: \(seed)") }
        out.append("- Works: " + r.works.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        out.append("- Bar: every family TPR ≥ \(Format.pct(r.minTPR)), FPR ≤ \(Format.pct(r.maxFPR)) "
                   + "(target FPR of the fit \(Format.pct(r.targetFPR)))")
        out.append("- Result: " + (r.passed ? "**PASS**" : "**FAIL**: " + r.failures.joined(separator: "; ")))
        if let fit = r.fit {
            out.append("")
            out.append("## Fit (train split, \(fit.trainCases) cases)")
            out.append("")
            if let f = fit.image {
                out.append("- Image: pdqMaxDistance \(f.rule.pdqMaxDistance), localMinInliers \(f.rule.localMinInliers): "
                           + "train TPR \(rate(f.trainTPR)), FPR \(f.trainFPR.successes)/\(f.trainFPR.trials)"
                           + (f.metTarget ? "" : " — target not met"))
            }
            if let f = fit.text {
                out.append("- Text: minAlignedWords \(f.rule.minAlignedWords), minMatchedWords \(f.rule.minMatchedWords), "
                           + "minCoverage \(f.rule.minCoverage): train TPR \(rate(f.trainTPR)), "
                           + "FPR \(f.trainFPR.successes)/\(f.trainFPR.trials)" + (f.metTarget ? "" : " — target not met"))
            }
            if let f = fit.paraphrase {
                out.append("- Paraphrase: minSeedPairs \(f.rule.minSeedPairs), minMeanSimilarity \(f.rule.minMeanSimilarity), "
                           + "minSourceWords \(f.rule.minSourceWords): train TPR \(rate(f.trainTPR)), "
                           + "FPR \(f.trainFPR.successes)/\(f.trainFPR.trials)" + (f.metTarget ? "" : " — target not met"))
            }
            if let f = fit.audio {
                out.append("- Audio: minAlignedHashes \(f.rule.minAlignedHashes), minDistinctHashes \(f.rule.minDistinctHashes), minMatchedSeconds \(f.rule.minMatchedSeconds)"
                           + (f.rule.minIsolatedHashes > 0
                              ? ", by isolation minIsolatedHashes \(f.rule.minIsolatedHashes) minIsolationMargin \(f.rule.minIsolationMargin)" : "")
                           + ": "
                           + "train TPR \(rate(f.trainTPR)), FPR \(f.trainFPR.successes)/\(f.trainFPR.trials)"
                           + (f.metTarget ? "" : " — target not met"))
            }
            for m in fit.limitedToPrior {
                out.append("- \(m.capitalized): too few train negatives to show the target FPR (rule of three), so the fit "
                           + "could only tighten the prior thresholds, not loosen them.")
            }
        }
        if let e = r.endToEnd {
            out.append("")
            out.append("## End to end (`hashmark watch`)")
            out.append("")
            out.append("\(e.cases) cases renamed into a fresh spool's inbox: \(e.verifiedReports) signed reports verified, "
                       + "\(e.missing) missing, ledger \(e.ledgerValid ? "valid" : "INVALID"); \(e.agreeing) agree with "
                       + "the in-process verdict; \(Format.num(e.seconds)) s (\(Format.num(e.filesPerSecond)) files/s).")
            for d in e.disagreements { out.append("- disagrees: \(d)") }
        }
        for m in r.modalities {
            out.append("")
            out.append("## \(m.modality.rawValue.capitalized)s (test split)")
            out.append("")
            out.append("Positives \(m.positives), TPR \(rate(m.overallTPR)); negatives \(m.negatives), "
                       + "FPR \(rate(m.fpr)) (\(m.fpr.successes) false positives); precision "
                       + (m.precision.map { Format.pct($0) } ?? "n/a") + "; \(Format.num(m.msPerCase)) ms per case; "
                       + "\(m.errors) error verdicts.")
            if let auc = m.roc.auc { out.append("ROC AUC \(Format.num(auc, 3)) (roc.svg).") }
            out.append("")
            out.append("| family | transform | positives | TPR [95 % CI] | negatives | FP |")
            out.append("|---|---|---:|---|---:|---:|")
            for f in m.families {
                out.append("| **\(f.family)** | **all** | \(f.positives) | **\(rate(f.tpr))** | \(f.negatives) | \(f.falsePositives) |")
                for t in m.transforms where t.family == f.family {
                    out.append("| \(t.family) | \(t.transform) | \(t.positives) | \(rate(t.tpr)) | \(t.negatives) | \(t.falsePositives) |")
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// `97.5 % [94.1–99.0]`; `n/a` without trials.
    static func rate(_ e: RateEstimate) -> String {
        guard e.trials > 0 else { return "n/a" }
        return "\(Format.pct(e.rate)) [\(Format.num(e.low * 100))–\(Format.num(e.high * 100))]"
    }

    /// Writes `report.json`, `report.md`, `cases.json`, `detection.svg` and `roc.svg` into `folder`.
    public static func write(_ r: EvalReport, outcomes: [CaseOutcome], to folder: String) throws(EvalError) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let dir = URL(fileURLWithPath: folder)
            try encoder.encode(r).write(to: dir.appendingPathComponent("report.json"))
            try encoder.encode(outcomes).write(to: dir.appendingPathComponent("cases.json"))
            try Data(markdown(r).utf8).write(to: dir.appendingPathComponent("report.md"))
            try Data(SVGPlot.detection(r).utf8).write(to: dir.appendingPathComponent("detection.svg"))
            try Data(SVGPlot.roc(r).utf8).write(to: dir.appendingPathComponent("roc.svg"))
        } catch {
            throw EvalError(code: "write-failed", message: "cannot write the report into \(folder)", underlying: error)
        }
    }
}
