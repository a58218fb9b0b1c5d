import Foundation
import HashmarkEngine
import HashmarkMedia

/// Labelled cases someone else built: `path,label,work_id,family,transform` (paths relative to
/// the CSV's folder; label `positive`/`negative`). The corpus is whatever the engine's index holds.
public enum ExternalCases {
    public static func read(csv path: String) throws(EvalError) -> [CasePlan] {
        let table: CSVTable
        do {
            table = try CSVTable.read(path: path, required: ["path", "label", "work_id", "family", "transform"])
        } catch {
            throw EvalError(code: "cases-invalid", message: error.message)
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var plans: [CasePlan] = []
        for (n, row) in table.rows.enumerated() {
            let rel = row["path"] ?? ""
            guard !rel.isEmpty else { throw EvalError(code: "cases-invalid", message: "\(path) row \(n + 2): empty path") }
            guard let label = CaseLabel(rawValue: (row["label"] ?? "").lowercased()) else {
                throw EvalError(code: "cases-invalid",
                                message: "\(path) row \(n + 2): label must be positive or negative, not \(row["label"] ?? "")")
            }
            let file = rel.hasPrefix("/") ? rel : folder.appendingPathComponent(rel).path
            let ext = URL(fileURLWithPath: rel).pathExtension.lowercased()
            let modality: Modality = WorkPool.textExtensions.contains(ext) ? .text : .image
            let transform = row["transform"].flatMap { $0.isEmpty ? nil : $0 } ?? "unspecified"
            let family = row["family"].flatMap { $0.isEmpty ? nil : $0 } ?? "unspecified"
            let work = row["work_id"].flatMap { $0.isEmpty ? nil : $0 }
            plans.append(CasePlan(
                id: "\(n + 2):\(rel)", modality: modality, label: label, split: .test,
                source: PoolWork(id: "row\(n + 2)", path: file, modality: modality),
                expectedWork: label == .positive ? work : nil, filler: nil, family: family,
                kind: transform, transform: transform, strength: 0, seed: 0, operation: .original))
        }
        return plans
    }

    /// Checks every listed file as it is, through `engine`.
    public static func run(_ plans: [CasePlan], engine: Engine, jobs: Int = 2,
                           progress: EvalProgress? = nil) async -> [CaseOutcome] {
        await Runner.run(plans, jobs: jobs, progress: { progress?("cases", $0, plans.count) }) { plan, _ in
            // The file's bytes are read here, not decoded in advance: errors become error verdicts.
            let clock = ContinuousClock()
            let start = clock.now
            let verdict = engine.check(path: plan.source.path, fileName: plan.source.path)
            let d = clock.now - start
            var outcome = CaseOutcome(plan, verdict: verdict, milliseconds: 0)
            outcome.milliseconds = Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
            if verdict.subject.mediaType.hasPrefix("text/") || verdict.matches.first?.modality == .text {
                outcome.modality = .text
            } else if verdict.subject.mediaType.hasPrefix("image/") {
                outcome.modality = .image
            }
            return outcome
        }
    }
}
