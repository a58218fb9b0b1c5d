import Foundation
import HashmarkEngine
import HashmarkTransforms

/// The language-model part of the `paraphrase` family: passages of corpus works rewritten in a
/// model's own words, stored in `Tests/Fixtures/paraphrase/manifest*.csv` with their source work
/// and byte span, and same-topic passages that copy nothing (see that folder's README).
///
/// Each rewrite is checked embedded between unrelated held-out text: a positive when its source
/// work is registered in the run, a hard negative when it is a distractor (a paraphrase of an
/// unregistered work, usually by the author of registered ones). Same-topic passages are always
/// negatives. Translations are reported as the `translation` family, outside the bar (the
/// sentence model is English-only). Rows whose source is not in the pool are left out.
public enum ParaphraseFixtures {
    /// The default folder, relative to the repository root.
    public static let defaultFolder = "Tests/Fixtures/paraphrase"

    /// The families the bar does not apply to (measured and reported, not promised).
    public static let informationalFamilies: Set<String> = ["translation"]

    public struct Row: Sendable, Hashable {
        public var id: String, file: String, kind: String, language: String, sourceWork: String
    }

    /// Every row of every `manifest*.csv` in `folder`, files resolved against it.
    public static func read(folder: String) throws(EvalError) -> [Row] {
        let url = URL(fileURLWithPath: folder)
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw EvalError(code: "cases-invalid", message: "cannot list \(folder)", underlying: error)
        }
        var rows: [Row] = []
        for name in names.sorted() where name.hasPrefix("manifest") && name.hasSuffix(".csv") {
            let path = url.appendingPathComponent(name).path
            let table: CSVTable
            do { table = try CSVTable.read(path: path, required: ["id", "file", "kind", "language", "source_work"]) } catch {
                throw EvalError(code: "cases-invalid", message: error.message)
            }
            for r in table.rows {
                guard let id = r["id"], !id.isEmpty, let file = r["file"], !file.isEmpty else {
                    throw EvalError(code: "cases-invalid", message: "\(path): a row without id or file")
                }
                rows.append(Row(id: id, file: url.appendingPathComponent(file).path, kind: r["kind"] ?? "",
                                language: r["language"] ?? "", sourceWork: r["source_work"] ?? ""))
            }
        }
        return rows
    }

    /// The family a row reports under.
    static func family(_ row: Row) -> String { row.kind == "lm-translation" ? "translation" : "paraphrase" }

    /// Case plans for the rows whose source work is in `split`, each in its source's split,
    /// surrounded by filler from another held-out text of that split.
    public static func plans(_ rows: [Row], split: WorkSplit, seed: UInt64) -> [CasePlan] {
        var place: [String: (PoolWork, CaseLabel, Split)] = [:]
        for w in split.registeredTrain { place[w.id] = (w, .positive, .train) }
        for w in split.registeredTest { place[w.id] = (w, .positive, .test) }
        for w in split.distractorTrain { place[w.id] = (w, .negative, .train) }
        for w in split.distractorTest { place[w.id] = (w, .negative, .test) }
        let fillers: [Split: [PoolWork]] = [
            .train: split.distractorTrain.filter { $0.modality == .text },
            .test: split.distractorTest.filter { $0.modality == .text },
        ]
        return rows.compactMap { row -> CasePlan? in
            guard let (work, workLabel, part) = place[row.sourceWork] else { return nil }
            let label: CaseLabel = row.kind == "same-topic" ? .negative : workLabel
            let caseSeed = SeededGenerator.derive(seed, CaseGenerator.stableHash(row.id))
            let others = (fillers[part] ?? []).filter { $0.id != work.id }
            let filler = others.isEmpty ? nil : others[Int(caseSeed % UInt64(others.count))]
            return CasePlan(id: "\(work.id)/\(row.id)", modality: .text, label: label, split: part, source: work,
                            expectedWork: label == .positive ? work.id : nil, filler: filler, family: family(row),
                            kind: row.kind, transform: row.kind + (row.language == "en" ? "" : "-\(row.language)"),
                            strength: 1, seed: caseSeed, operation: .fixture(path: row.file))
        }
    }
}
