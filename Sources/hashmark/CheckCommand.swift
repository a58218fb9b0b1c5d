import ArgumentParser
import Foundation
import HashmarkEngine
import HashmarkStore
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
            switch verdict.verdict {
            case .infringing: anyInfringing = true
            case .error: anyError = true
            case .clear: break
            }
            if json {
                JSONLine.print(CheckJSON.line(file: file, verdict))
            } else {
                print(VerdictText.render(file: file, verdict))
            }
            if let writer {
                let written = try writer.write(verdict.named(ReportID.generate(), createdAt: RFC3339.string(from: Date())))
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
    /// Opens the store, loads the model and the whole corpus index; a matcher whose model is not
    /// found is off, and a warning on standard error says so.
    static func engine(database: DatabaseOptions, model: String?) throws -> Engine {
        guard CorpusStore.mayExist(at: database.path) else {
            throw CLIError("no corpus database at \(database.path): add works with `hashmark corpus add` first")
        }
        let store = try database.open()
        do {
            var engine = Engine(index: try CorpusIndex(store: store), model: try LoadedModel.locate(explicit: model),
                                semantic: try SemanticModel.load())
            engine.descriptor = try DescriptorModel.load()
            for warning in [SemanticModel.missingWarning, DescriptorModel.missingWarning].compactMap({ $0 }) {
                Terminal.err("warning: \(warning)")
            }
            return engine
        } catch {
            throw CLIError("\(error.code): \(error.message)")
        }
    }
}

/// The terminal rendering of a verdict: the matches that decide it, as `show` prints evidence.
enum VerdictText {
    static func render(file: String, _ v: VerdictReport) -> String {
        var lines = ["\(file): \(v.verdict.rawValue.uppercased())\(v.score.map { " (score \(ReportText.fmt($0)))" } ?? "")"]
        if let e = v.error { lines.append("  error \(e.code): \(e.message)") }
        if let d = v.subject.document { lines.append("  document: \(d.summary)") }
        if let a = v.subject.audio { lines.append("  audio: \(a.summary)") }
        for m in v.decisiveMatches {
            lines.append("  \(m.matcher) \(m.work.id) — \(m.work.title) [\(m.work.owner); \(m.work.license)]"
                         + (m.location.map { " in \($0.description)" } ?? ""))
            lines += ReportText.evidence(m.evidence).map { "    " + $0 }
        }
        return lines.map { DisplayText.visible($0) }.joined(separator: "\n")
    }
}

/// One line of `check --json`: `file`, `verdict`, `score`, `mediaType`, `sha256`, `matches`,
/// `error`, `corpusSnapshot`, `model`, and for documents `document` (the report's
/// `subject.document`). Each match is the report's match JSON (the one verdict vocabulary) plus
/// the names `check --json` has always printed, kept as aliases: PDQ
/// `distance` (= `pdqDistance`) and `transform` as the edit's name with `inverted` beside it;
/// keypoints `workRegion`/`submissionRegion` (= `region.source`/`region.submitted`); text spans
/// `submittedOffset`/`submittedLength`/`sourceOffset`/`sourceLength` (= `submitted`/`source`).
enum CheckJSON {
    static func line(file: String, _ v: VerdictReport) -> JSONValue {
        var o: [String: JSONValue] = [
            "file": .string(file), "verdict": .string(v.verdict.rawValue), "score": .double(v.score ?? 0),
            "mediaType": .string(v.subject.mediaType),
            // A file that could not be read has no hash: "" as always (the report needs 64 hex digits).
            "sha256": .string(v.verdict == .error && v.subject.sha256 == VerdictReport.genesisHash ? "" : v.subject.sha256),
            "matches": .array(v.matches.map(match)), "corpusSnapshot": .string(v.corpus.snapshot),
            "model": .object(["id": .string(v.decision.modelId), "sha256": .string(v.decision.modelSha256)]),
        ]
        if let e = v.error { o["error"] = .object(["code": .string(e.code), "message": .string(e.message)]) }
        if v.subject.document != nil, case .object(let subject)? = v.jsonValue()["subject"] { o["document"] = subject["document"] }
        if v.subject.audio != nil, case .object(let subject)? = v.jsonValue()["subject"] { o["audio"] = subject["audio"] }
        return .object(o)
    }

    static func match(_ m: VerdictReport.Match) -> JSONValue {
        guard case .object(var o) = m.jsonValue(), case .object(var e)? = o["evidence"] else { return m.jsonValue() }
        switch m.evidence {
        case .paraphrase, .audio, .descriptor: break // matchers newer than the aliases: their report JSON as it is
        case .image(let x):
            e["distance"] = .int(Int64(x.pdqDistance))
            e["transform"] = .string(x.transform.rawValue)
            e["inverted"] = .bool(x.inverted)
        case .localFeatures(let x):
            if let r = x.region {
                e["workRegion"] = rect(r.source)
                e["submissionRegion"] = rect(r.submitted)
            }
        case .text(let x):
            guard case .array(let spans)? = e["spans"] else { break }
            e["spans"] = .array(zip(x.spans, spans).map { s, json in
                guard case .object(var so) = json else { return json }
                so["submittedOffset"] = .int(Int64(s.submitted.offset))
                so["submittedLength"] = .int(Int64(s.submitted.length))
                so["sourceOffset"] = .int(Int64(s.source.offset))
                so["sourceLength"] = .int(Int64(s.source.length))
                return .object(so)
            })
        }
        o["evidence"] = .object(e)
        return .object(o)
    }

    static func rect(_ r: ImageEvidence.Rect) -> JSONValue {
        .object(["x": .int(Int64(r.x)), "y": .int(Int64(r.y)), "width": .int(Int64(r.width)), "height": .int(Int64(r.height))])
    }
}
