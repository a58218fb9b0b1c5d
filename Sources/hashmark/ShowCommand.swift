import ArgumentParser
import Foundation
import HashmarkEngine
import HashmarkReport
import HashmarkStore
import HashmarkView

/// `hashmark show R.json`: a signed report, readable (terminal, or a self-contained HTML page).
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print a report's verdict, evidence and signature status.",
        discussion: """
            --html OUT.html writes a self-contained page (no external assets). With --db, it shows
            the corpus works' thumbnails and full texts; with --file (the checked file, matched by
            SHA-256), the submission itself.
            The signature is checked with --pubkey PEM, else $HASHMARK_PUBKEY, else
            var/keys/hashmark.pub.pem — never a key found beside the report; --key-id HEX pins the
            key's id. What is shown is exactly the bytes that were verified (the file is read once).
            Exit 0 when the report was rendered, whatever its signature status (VALID, INVALID or
            not checked is part of the output); 2 when it cannot be read or a key given is refused.
            """)

    @Option(help: "Public key PEM to check the signature with (default: $HASHMARK_PUBKEY, else var/keys/hashmark.pub.pem).")
    var pubkey: String?
    @Option(name: .customLong("key-id"), help: "Trusted key id (64 hex): a key with another id is refused.")
    var keyId: String?
    @Option(help: "Write a self-contained HTML page here instead of printing.") var html: String?
    @Option(help: "Corpus database with the works' thumbnails and texts (HTML only; never created).")
    var db: String?
    @Option(help: "The file the report is about (HTML only; used if its SHA-256 is the subject's).")
    var file: String?
    @Argument(help: "Report JSON file.") var report: String

    func validate() throws {
        if html == nil, db != nil || file != nil { throw ValidationError("--db and --file go with --html.") }
    }

    func run() throws {
        // Read once: the bytes verified are the bytes rendered (no second read a swap could change).
        guard let data = FileManager.default.contents(atPath: report) else {
            throw CLIError("cannot read \(report)")
        }
        let bytes = [UInt8](data)
        let signatureBytes = FileManager.default.contents(atPath: report + ".sig").map { [UInt8]($0) }
        let (parsed, signature) = try signatureStatus(bytes, signatureBytes)
        let r = try parsed ?? VerdictReport(bytes: bytes)
        guard let html else {
            print(ReportText.render(r, signature: signature.text))
            return
        }
        var store: CorpusStore? = nil
        if let db {
            guard CorpusStore.mayExist(at: db) else { throw CLIError("no corpus database at \(db)") }
            do {
                store = try CorpusStore(path: db)
            } catch {
                throw CLIError("cannot open the corpus database \(CorpusStore.displayName(of: db)): \(error)")
            }
        }
        let context = HTMLReport.Context.load(for: r, store: store, submittedFile: file)
        let page = HTMLReport.render(r, signature: signature.html, context: context)
        do {
            try Data(page.utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
        } catch {
            throw CLIError("cannot write \(html): \(error.localizedDescription)")
        }
        for note in context.notes { Terminal.err("note: \(note)") }
        print(html)
    }

    /// Verifies `bytes` (the report as read) and returns the report parsed from them when valid.
    private func signatureStatus(_ bytes: [UInt8], _ signatureBytes: [UInt8]?) throws
        -> (VerdictReport?, (text: String, html: HTMLReport.Signature)) {
        let beside = URL(fileURLWithPath: report).deletingLastPathComponent()
            .appendingPathComponent(KeyPair.publicKeyFileName).path
        let key: PublicKey
        switch TrustedKey.resolve(pubkey: pubkey, keyId: keyId, pinnedOnly: [beside]) {
        case .key(let found, _): key = found
        case .none:
            let reason = "no trusted public key (give --pubkey or --key-id, or set $\(TrustedKey.environmentVariable))"
            return (nil, ("not checked (\(reason))", .notChecked(reason: reason)))
        case .refused(let f):
            Terminal.err("Error: \(f.code): \(f.message)")
            throw ExitCode(2)
        }
        switch ReportVerifier.verify(reportBytes: bytes, signature: signatureBytes, publicKey: key, originalFile: nil) {
        case .valid(let r): return (r, ("VALID (key \(r.signer.keyId))", .valid(keyId: r.signer.keyId)))
        case .invalid(let f): return (nil, ("INVALID — \(f.code): \(f.message)", .invalid(reason: "\(f.code): \(f.message)")))
        case .unusable(let f): return (nil, ("not checked — \(f.code): \(f.message)", .notChecked(reason: "\(f.code): \(f.message)")))
        }
    }
}

/// Terminal rendering of a signed report. Report strings are untrusted: every line goes through
/// `DisplayText.visible`, so an escape sequence or a bidi override in a name, title or excerpt is
/// printed as `\u{…}` instead of acting on the terminal.
enum ReportText {
    static func render(_ r: VerdictReport, signature: String) -> String {
        var out: [String] = []
        let banner = r.verdict.rawValue.uppercased()
        out.append("\(banner)\(r.score.map { " (score \(fmt($0)))" } ?? "")  —  report \(r.reportId)")
        out.append("subject:   \(r.subject.fileName) (\(r.subject.mediaType), \(r.subject.size) bytes)")
        out.append("sha256:    \(r.subject.sha256)")
        if let d = r.subject.document { out.append("document:  \(d.summary)") }
        if let a = r.subject.audio { out.append("audio:     \(a.summary)") }
        if let e = r.error { out.append("error:     \(e.code): \(e.message)") }
        for (i, m) in r.matches.enumerated() {
            let decisive = m.isMatch.map { $0 ? ", meets the rule" : ", below the rule" } ?? ""
            out.append("match \(i + 1):   \(m.work.id) — \(m.work.title) [\(m.work.owner); \(m.work.license)] via \(m.matcher), score \(fmt(m.score))\(decisive)")
            if let location = m.location { out.append("           in the document: \(location.description)") }
            out += evidence(m.evidence).map { "           " + $0 }
        }
        out.append("decision:  \(r.decision.rule)")
        out.append("           thresholds \(r.decision.thresholds.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        out.append("model:     \(r.decision.modelId) (sha256 \(r.decision.modelSha256.prefix(16))…)")
        out.append("corpus:    \(r.corpus.snapshot); engine \(r.engine.name) \(r.engine.version); created \(r.createdAt)")
        out.append("signature: \(signature)")
        return out.map { DisplayText.visible($0) }.joined(separator: "\n")
    }

    /// The evidence of one match in a few lines (shared with `check`'s terminal output).
    static func evidence(_ evidence: VerdictReport.Evidence) -> [String] {
        var out: [String] = []
        switch evidence {
        case .paraphrase(let e):
            out.append("\(e.seedPairs) seed sentence pairs of \(e.spannedSentences) sentences spanned, similarity mean \(fmt(e.meanSimilarity)) "
                       + "lowest \(fmt(e.minSimilarity)) (seed ≥ \(fmt(e.seedThreshold))), \(e.sourceWords) source words, "
                       + "\(e.passages.count) passage(s); model \(e.embeddingModel) \(e.embeddingModelSha256.prefix(12))…")
            for p in e.passages.prefix(5) {
                out.append("submitted \(p.submitted.offset)+\(p.submitted.length)\(p.submitted.place.map { " (\($0))" } ?? "") ↔ work \(p.source.offset)+\(p.source.length), "
                           + "\(p.pairs.count) pairs (\(p.pairs.count { $0.isSeed }) seeds, \(p.swaps) swapped): "
                           + "\"\(p.sourceExcerpt.prefix(100))\"")
            }
        case .audio(let e):
            out.append("\(e.alignedHashes) aligned landmark hashes (threshold \(e.threshold))"
                       + (e.distinctHashes.map { d in ", \(d) distinct" + (e.distinctThreshold.map { " (threshold \($0))" } ?? "") } ?? "")
                       + (e.sidelobeHashes.map { s in ", next best alignment \(s)" + (e.isolationMargin.map { " (isolated match if distinct ≥ \(e.isolatedThreshold ?? 0) and ≥ \($0) above it)" } ?? "") } ?? "")
                       + " of \(e.queryHashes), speed \(fmt(e.speed)), "
                       + "submitted \(seconds(e.submitted)) ↔ work \(seconds(e.source))\(e.workSeconds.map { " of \(String(format: "%.1f", $0)) s" } ?? "")")
        case .descriptor(let e):
            out.append("descriptor similarity \(String(format: "%.4f", e.similarity)) (threshold \(String(format: "%.4f", e.threshold))), "
                       + "cosine \(String(format: "%.4f", e.cosine))" + (e.backgroundCosine.map { " less background \(String(format: "%.4f", $0))" } ?? "")
                       + (e.nextBestCosine.map { ", next closest work \(String(format: "%.4f", $0))" } ?? "")
                       + "; model \(e.model) \(e.modelSha256.prefix(12))…" + pastedOver(e.workBackground))
        case .image(let e):
            out.append("PDQ distance \(e.pdqDistance) (threshold \(e.threshold)), transform \(e.transform.rawValue)\(e.inverted ? " inverted" : ""), quality \(e.quality)\(e.workQuality.map { "/\($0)" } ?? "")" + pastedOver(e.workBackground))
        case .localFeatures(let e):
            out.append("\(e.inliers) inliers (threshold \(e.threshold)) of \(e.tentativeMatches) matches, scale \(e.scale.map(fmt) ?? "?"), rotation \(e.rotationDegrees.map(fmt) ?? "?")°\(e.mirrored ? ", mirrored" : "")" + pastedOver(e.workBackground))
            if let g = e.region {
                out.append("work region x=\(g.source.x) y=\(g.source.y) \(g.source.width)×\(g.source.height) ↔ submitted x=\(g.submitted.x) y=\(g.submitted.y) \(g.submitted.width)×\(g.submitted.height)")
            }
            if let a = e.matchedWorkArea {
                out.append("matched keypoints cover \(String(format: "%.1f", a * 100)) % of the work's keypoint extent"
                           + (e.minMatchedWorkArea.map { " (counts alone from \(String(format: "%.1f", $0 * 100)) %)" } ?? ""))
            }
            if let n = e.elementInliers, let ids = e.ignoredElements {
                out.append("\(n) of the inliers lie on ignore-element(s) \(ids.joined(separator: ", ")) and do not count: \(e.countedInliers) counted")
            }
        case .text(let e):
            out.append("\(e.alignedWords) aligned words\(e.matchedWords.map { " (\($0) identical)" } ?? ""), coverage \(String(format: "%.2f", e.coverage)), longest run \(e.longestRun), \(e.spans.count) passage(s)")
            for s in e.spans.prefix(5) {
                out.append("submitted \(s.submitted.offset)+\(s.submitted.length)\(s.submitted.place.map { " (\($0))" } ?? "") ↔ work \(s.source.offset)+\(s.source.length): \"\(s.sourceExcerpt.prefix(100))\"")
            }
        }
        return out
    }

    static func fmt(_ x: Double) -> String { String(format: "%.3f", x) }

    /// What a match against a transparent work's registration over another background says.
    static func pastedOver(_ background: String?) -> String {
        background.map { "; work compared over \($0) (it has transparent pixels)" } ?? ""
    }

    static func seconds(_ s: AudioEvidence.Segment) -> String { String(format: "%.2f–%.2f s", s.start, s.end) }
}
