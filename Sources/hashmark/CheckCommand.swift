import ArgumentParser
import Foundation
import HashmarkEngine

/// `hashmark check FILE...`: the verdict for each file against the corpus.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Match files against the corpus and print their verdicts.",
        discussion: """
            Exit code: 0 all clear, 1 any infringing, 2 any error (errors win over infringing).
            --json prints one object per line with file, verdict, score, matches, error.
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Decision model JSON (default: $HASHMARK_MODEL, Models/hashmark-model.json, built-in).")
    var model: String?
    @Flag(help: "One JSON object per line.") var json = false
    @Argument(help: "Files to check.") var files: [String]

    func run() throws {
        let engine = try EngineSetup.engine(database: database, model: model)
        var anyInfringing = false, anyError = false
        for file in files {
            let verdict = engine.check(path: file)
            switch verdict.kind {
            case .infringing: anyInfringing = true
            case .error: anyError = true
            case .clear: break
            }
            if json {
                JSONLine.print(CheckLine(file: file, verdict: verdict))
            } else {
                print(VerdictText.render(file: file, verdict))
            }
        }
        if anyError { throw ExitCode(2) }
        if anyInfringing { throw ExitCode(1) }
    }
}

enum EngineSetup {
    /// Opens the store, loads the model and the whole corpus index.
    static func engine(database: DatabaseOptions, model: String?) throws -> Engine {
        guard FileManager.default.fileExists(atPath: database.path) else {
            throw CLIError("no corpus database at \(database.path): add works with `hashmark corpus add` first")
        }
        let store = try database.open()
        do {
            return Engine(index: try CorpusIndex(store: store), model: try LoadedModel.locate(explicit: model))
        } catch {
            throw CLIError("\(error.code): \(error.message)")
        }
    }
}

/// The terminal rendering of a verdict.
enum VerdictText {
    static func render(file: String, _ v: Verdict) -> String {
        var lines = ["\(file): \(v.kind.rawValue.uppercased()) (score \(fmt(v.score)))"]
        if let e = v.error { lines.append("  error \(e.code): \(e.message)") }
        for m in v.matches where m.isMatch {
            lines.append("  \(m.evidence.matcher) \(m.work.id) — \(m.work.title) [\(m.work.owner); \(m.work.license)]")
            switch m.evidence {
            case .pdq(let e):
                lines.append("    PDQ distance \(e.distance), transform \(e.transform)\(e.inverted ? " (inverted)" : ""), quality \(e.quality)/\(e.workQuality)")
            case .localFeatures(let e):
                lines.append("    \(e.inliers) inliers of \(e.tentativeMatches) matches, scale \(e.scale.map(fmt) ?? "?"), rotation \(e.rotationDegrees.map(fmt) ?? "?")°\(e.mirrored ? ", mirrored" : "")")
            case .text(let e):
                lines.append("    \(e.alignedWords) aligned words (\(e.matchedWords) identical), longest run \(e.longestRun), \(e.spans.count) passage(s)")
                for s in e.spans.prefix(3) {
                    lines.append("    submitted \(s.submittedOffset)+\(s.submittedLength) ↔ work \(s.sourceOffset)+\(s.sourceLength): \"\(s.sourceExcerpt.prefix(80))…\"")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    static func fmt(_ x: Double) -> String { String(format: "%.3f", x) }
}
