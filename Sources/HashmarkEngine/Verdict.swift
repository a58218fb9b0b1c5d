import HashmarkReport

/// The engine's verdicts are `VerdictReport`s: one vocabulary from the matcher to the signed
/// file. The engine fills in everything it decides; a writer names, dates, chains and signs.
extension VerdictReport {
    /// `reportId` and `createdAt` of a verdict no writer has named yet.
    public static let pendingID = "pending"
    public static let pendingTime = "1970-01-01T00:00:00Z"
    /// Near misses beyond this many matches (strongest first) are left out of a written report.
    public static let maxWrittenMatches = 10
    /// Engine name and version written into every report.
    public static let engineVersion = Engine(name: "hashmark", version: "0.1.0")

    /// A decided verdict: `matches` sorted matches first (strongest first), then near misses;
    /// `infringing` exactly when `model` finds a matched work among them.
    init(subject: Subject, matches: [Match], model: LoadedModel, snapshot: String) {
        let sorted = matches.sorted {
            let a = $0.isMatch ?? false, b = $1.isMatch ?? false
            return a != b ? a : ($0.score != $1.score ? $0.score > $1.score : $0.work.id < $1.work.id)
        }
        let matched = model.model.matchedWorks(sorted.map { ($0.work.id, DecisionModel.Features($0.evidence)) })
        self.init(reportId: Self.pendingID, subject: subject, verdict: matched.isEmpty ? .clear : .infringing,
                  score: sorted.first.map { min(1, max(0, $0.score)) } ?? 0, error: nil, matches: sorted,
                  decision: model.decision, engine: Self.engineVersion, corpus: .init(snapshot: snapshot),
                  createdAt: Self.pendingTime, signer: .init(keyId: Self.genesisHash))
        schema = writtenSchema
    }

    /// An `error` verdict: from the engine (unreadable, undecodable, unsupported files) or from
    /// the daemon's own refusals (symlinks, FIFOs, hard links, timeouts, crashed workers).
    public static func error(_ error: EngineError, subject: Subject, corpusSnapshot: String,
                             model: LoadedModel) -> VerdictReport {
        var subject = subject
        if subject.sha256.isEmpty { subject.sha256 = genesisHash }
        return VerdictReport(reportId: pendingID, subject: subject, verdict: .error, score: nil,
                             error: .init(code: error.code, message: error.message), matches: [],
                             decision: model.decision, engine: engineVersion, corpus: .init(snapshot: corpusSnapshot),
                             createdAt: pendingTime, signer: .init(keyId: genesisHash))
    }

    /// The report a writer signs: named, dated, near misses beyond `maxWrittenMatches` dropped.
    public func named(_ id: String, createdAt: String) -> VerdictReport {
        var r = self
        r.reportId = id
        r.createdAt = createdAt
        r.matches = Array(matches.prefix(Self.maxWrittenMatches))
        return r
    }

    /// The matches that meet the model's rule on their own.
    public var decisiveMatches: [Match] { matches.filter { $0.isMatch == true } }
}

extension LoadedModel {
    /// The rule, thresholds and identity a report cites.
    public var decision: VerdictReport.Decision {
        .init(rule: model.ruleDescription, thresholds: model.thresholds, modelId: model.id, modelSha256: sha256)
    }
}
