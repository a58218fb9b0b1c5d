import Foundation
import HashmarkReport

/// A signed report as one self-contained HTML page (inline CSS, images as `data:` URIs, no
/// script, no external request), for people who will not read JSON.
///
/// The page is a view: the signed JSON stays the record, and the page says whether its
/// signature checked out.
public enum HTMLReport {
    /// The outcome of checking the report's detached signature, as the page states it.
    public enum Signature: Sendable, Equatable {
        case valid(keyId: String)
        case invalid(reason: String)
        case notChecked(reason: String)
    }

    /// The whole page.
    public static func render(_ r: VerdictReport, signature: Signature, context: Context = .init()) -> String {
        var body = banner(r)
        var subject = [
            ("File name", code(r.subject.fileName)),
            ("Size", "\(r.subject.size) bytes"),
            ("SHA-256", code(r.subject.sha256)),
            ("Media type (from content)", code(r.subject.mediaType)),
        ]
        if let d = r.subject.document { subject.append(("Document", HTMLText.escape(d.summary))) }
        if let a = r.subject.audio { subject.append(("Recording", HTMLText.escape(a.summary))) }
        body += section("Subject", table(subject))
        if let e = r.error {
            body += section("Error", table([("Code", code(e.code)), ("Message", HTMLText.escape(e.message))]))
        }
        if r.matches.isEmpty {
            body += section("Matches", "<p>No corpus work matched.</p>")
        } else {
            for (i, m) in r.matches.enumerated() { body += match(i + 1, m, context: context) }
        }
        body += section("Decision", decision(r))
        body += section("Signature", signatureBlock(r, signature))
        if !context.notes.isEmpty {
            body += section("Notes", "<ul class=\"notes\">" + context.notes.map { "<li>\(HTMLText.escape($0))</li>" }.joined() + "</ul>")
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Hashmark report \(HTMLText.escape(r.reportId)) — \(r.verdict.rawValue)</title>
            <style>\(HTMLStyle.css)</style>
            </head>
            <body>
            <main>
            \(body)
            <footer>Rendered by <code>hashmark show --html</code>. The signed JSON report is the record; this page is a view of it.</footer>
            </main>
            </body>
            </html>

            """
    }

    static func banner(_ r: VerdictReport) -> String {
        let score = r.score.map { String(format: "score %.3f", $0) } ?? ""
        let summary: String = switch r.verdict {
        case .infringing: "\(r.matches.count == 1 ? "1 corpus work" : "\(r.matches.count) corpus works") matched"
        case .clear: r.matches.isEmpty ? "no corpus work matched" : "near misses only (below the thresholds)"
        case .error: "no verdict could be reached"
        }
        return """
            <header class="banner verdict-\(r.verdict.rawValue)">
            <div class="verdict">\(r.verdict.rawValue.uppercased())</div>
            <div class="summary">\(HTMLText.escape(summary))\(score.isEmpty ? "" : " · \(score)")</div>
            <div class="meta">report <code>\(HTMLText.escape(r.reportId))</code> · created \(HTMLText.escape(r.createdAt))</div>
            </header>

            """
    }

    static func match(_ n: Int, _ m: VerdictReport.Match, context: Context) -> String {
        let w = m.work
        var context = context
        var found: [(String, String)] = []
        if let location = m.location {
            found.append(("In the document", HTMLText.escape(location.description)))
            context.submittedImage = context.submittedImages[location]
            context.submittedCaption = "Submitted document, " + location.description
        }
        var s = "<section class=\"match\">\n<h2>Match \(n): \(code(w.id))"
        if !w.title.isEmpty { s += " — \(HTMLText.escape(DisplayText.visible(w.title)))" }
        if let type = w.mediaType { s += " <span class=\"dim\">\(HTMLText.escape(DisplayText.visible(type)))</span>" }
        s += "</h2>\n"
        s += table([("Work id", code(w.id)), ("Rights holder", HTMLText.escape(DisplayText.visible(w.owner))),
                    ("Licence", HTMLText.escape(DisplayText.visible(w.license))), ("Matcher", code(m.matcher)),
                    ("Score", String(format: "%.3f", m.score)
                        + (m.isMatch.map { $0 ? " — meets the rule on its own" : " — below the rule: context only" } ?? ""))]
                    + found)
        switch m.evidence {
        case .image(let e): s += HTMLEvidence.image(e, work: w.id, context: context)
        case .localFeatures(let e): s += HTMLEvidence.localFeatures(e, work: w.id, context: context)
        case .paraphrase(let e): s += HTMLEvidence.paraphrase(e, work: w.id, context: context)
        case .text(let e): s += HTMLEvidence.text(e, work: w.id, context: context)
        case .audio(let e): s += HTMLEvidence.audio(e, work: w.id, context: context)
        case .descriptor(let e): s += HTMLEvidence.descriptor(e, work: w.id, context: context)
        }
        return s + "</section>\n"
    }

    static func decision(_ r: VerdictReport) -> String {
        let d = r.decision
        let thresholds = d.thresholds.sorted { $0.key < $1.key }
            .map { "<tr><td><code>\(HTMLText.escape($0.key))</code></td><td>\(number($0.value))</td></tr>" }.joined()
        return "<p class=\"rule\">\(HTMLText.escape(d.rule))</p>\n"
            + "<table class=\"thresholds\"><tr><th>Threshold</th><th>Value</th></tr>\(thresholds)</table>\n"
            + table([("Model id", code(d.modelId)), ("Model SHA-256", code(d.modelSha256)),
                     ("Corpus snapshot", code(r.corpus.snapshot)),
                     ("Engine", HTMLText.escape("\(r.engine.name) \(r.engine.version)")),
                     ("Previous report SHA-256", code(r.previousReportSha256))])
    }

    static func signatureBlock(_ r: VerdictReport, _ sig: Signature) -> String {
        let (cls, text): (String, String) = switch sig {
        case .valid(let keyId): ("sig-valid", "VALID — the detached signature verifies under key \(keyId).")
        case .invalid(let reason): ("sig-invalid", "INVALID — \(reason)")
        case .notChecked(let reason): ("sig-unchecked", "NOT CHECKED — \(reason)")
        }
        return "<p class=\"sig \(cls)\">\(HTMLText.escape(text))</p>\n"
            + table([("Algorithm", code(r.signer.algorithm)), ("Key id (from the report)", code(r.signer.keyId))])
            + "<p class=\"hint\">Check it yourself: <code>openssl pkeyutl -verify -pubin -inkey hashmark.pub.pem -rawin -in \(HTMLText.escape(r.reportId)).json -sigfile \(HTMLText.escape(r.reportId)).json.sig</code></p>\n"
    }

    static func section(_ title: String, _ content: String) -> String {
        "<section>\n<h2>\(HTMLText.escape(title))</h2>\n\(content)</section>\n"
    }

    /// A two-column table; values are already-escaped HTML.
    static func table(_ rows: [(String, String)]) -> String {
        "<table class=\"facts\">" + rows.map { "<tr><th>\(HTMLText.escape($0.0))</th><td>\($0.1)</td></tr>" }.joined() + "</table>\n"
    }

    /// Names and ids: every invisible character shown as an escape (`DisplayText.visible`).
    static func code(_ s: String) -> String { "<code>\(HTMLText.escape(DisplayText.visible(s)))</code>" }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%.4g", v)
    }
}
