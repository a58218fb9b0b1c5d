import Foundation
import HashmarkReport

/// Turns a `Verdict` into a `hashmark.verdict/1` report (signing is `ReportWriter`'s job).
public enum ReportBuilder {
    /// Engine name and version written into every report.
    public static let engine = VerdictReport.Engine(name: "hashmark", version: HashmarkVersion.current)

    /// Matches beyond this many (near misses, strongest first) are left out of the report.
    public static let maxMatches = 10

    /// - Parameters:
    ///   - reportID: file-name-safe id (`ReportID.isValid`).
    ///   - createdAt: RFC 3339 UTC; keep it fixed when re-running the same job so the rewrite
    ///     is byte-identical.
    public static func report(_ v: Verdict, model: DecisionModel, reportID: String,
                              createdAt: String) -> VerdictReport {
        let subject = VerdictReport.Subject(fileName: v.subject.fileName, size: v.subject.size,
                                            sha256: v.subject.sha256.isEmpty ? String(repeating: "0", count: 64) : v.subject.sha256,
                                            mediaType: v.subject.mediaType)
        let kind: VerdictReport.Verdict = switch v.kind {
        case .infringing: .infringing
        case .clear: .clear
        case .error: .error
        }
        // The schema keeps error reports to the error; clear reports list near misses as context.
        let matches = v.kind == .error ? [] : v.matches.prefix(maxMatches).map { match(model: model, $0) }
        return VerdictReport(
            reportId: reportID, subject: subject, verdict: kind,
            score: v.kind == .error ? nil : min(1, max(0, v.score)),
            error: v.error.map { .init(code: $0.code, message: $0.message) },
            matches: matches,
            decision: .init(rule: model.ruleDescription, thresholds: model.thresholds,
                            modelId: v.model.id, modelSha256: v.model.sha256),
            engine: engine, corpus: .init(snapshot: v.corpusSnapshot), createdAt: createdAt,
            signer: .init(keyId: String(repeating: "0", count: 64)))
    }

    static func match(model: DecisionModel, _ m: WorkMatch) -> VerdictReport.Match {
        let work = VerdictReport.Work(id: m.work.id, title: m.work.title, owner: m.work.owner, license: m.work.license)
        let evidence: VerdictReport.Evidence
        switch m.evidence {
        case .pdq(let e):
            evidence = .image(ImageEvidence(
                pdqDistance: e.distance, quality: e.quality, threshold: model.image.pdqMaxDistance,
                transform: ImageEvidence.Dihedral(rawValue: e.transform) ?? .identity, inverted: e.inverted))
        case .localFeatures(let e):
            var region: ImageEvidence.RegionPair? = nil
            if let s = e.submissionRegion, let w = e.workRegion { region = .init(submitted: rect(s), source: rect(w)) }
            evidence = .localFeatures(LocalFeatureEvidence(
                inliers: e.inliers, tentativeMatches: e.tentativeMatches, threshold: model.image.localMinInliers,
                scale: e.scale, rotationDegrees: e.rotationDegrees, mirrored: e.mirrored, region: region))
        case .text(let e):
            evidence = .text(HashmarkReport.TextEvidence(
                spans: e.spans.map {
                    .init(submitted: .init(offset: $0.submittedOffset, length: $0.submittedLength),
                          source: .init(offset: $0.sourceOffset, length: $0.sourceLength),
                          alignedWords: $0.alignedWords, submittedExcerpt: $0.submittedExcerpt,
                          sourceExcerpt: $0.sourceExcerpt)
                },
                alignedWords: e.alignedWords, matchedWords: e.matchedWords, coverage: min(1, max(0, e.coverage)),
                longestRun: e.longestRun))
        }
        return .init(work: work, matcher: m.evidence.matcher, score: min(1, max(0, m.score)), evidence: evidence)
    }

    static func rect(_ r: Region) -> ImageEvidence.Rect {
        .init(x: Int(r.x.rounded()), y: Int(r.y.rounded()), width: Int(r.width.rounded()), height: Int(r.height.rounded()))
    }
}

/// The engine version written into reports.
public enum HashmarkVersion {
    public static let current = "0.1.0"
}
