import ArgumentParser
import Foundation
import HashmarkEngine
import HashmarkReport

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
    @Option(help: "Write a signed report per file into this folder (with ledger.jsonl); needs --key.")
    var reportDir: String?
    @Option(help: "Ed25519 private key PEM (mode 0600) that signs the reports.") var key: String?
    @Argument(help: "Files to check.") var files: [String]

    func validate() throws {
        if (reportDir == nil) != (key == nil) { throw ValidationError("--report-dir and --key go together.") }
    }

    func run() throws {
        let engine = try EngineSetup.engine(database: database, model: model)
        var writer: ReportWriter? = nil
        if let reportDir, let key {
            writer = try ReportWriter(directory: reportDir, signingKey: try SigningKey.load(pemPath: key))
        }
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
            if let writer {
                let report = ReportBuilder.report(verdict, model: engine.model.model, reportID: ReportID.generate(),
                                                  createdAt: RFC3339.string(from: Date()))
                let written = try writer.write(report)
                if !json { print("  report: \(written.reportPath)") }
            }
        }
        // Commits checkpoint the ledger as it stood before them: cover the last report too.
        try writer?.checkpoint()
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
