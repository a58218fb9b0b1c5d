/// The JSON shape of verdicts, shared by `hashmark check --json` and the signed reports' `matches`.
/// Field names are a public contract.


extension MatchEvidence: Encodable {
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .pdq(let e): try e.encode(to: encoder)
        case .localFeatures(let e): try e.encode(to: encoder)
        case .text(let e): try e.encode(to: encoder)
        }
    }
}

extension WorkMatch: Encodable {
    enum CodingKeys: String, CodingKey { case work, modality, matcher, score, isMatch, evidence }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(work, forKey: .work)
        try c.encode(evidence.modality, forKey: .modality)
        try c.encode(evidence.matcher, forKey: .matcher)
        try c.encode(score, forKey: .score)
        try c.encode(isMatch, forKey: .isMatch)
        try c.encode(evidence, forKey: .evidence)
    }
}


/// One line of `hashmark check --json`.
public struct CheckLine: Encodable, Sendable {
    public let file: String
    public let verdict: String
    public let score: Double
    public let mediaType: String
    public let sha256: String
    public let matches: [WorkMatch]
    public let error: ErrorJSON?
    public let corpusSnapshot: String
    public let model: ModelIdentity

    public struct ErrorJSON: Encodable, Sendable {
        public let code: String
        public let message: String
    }

    /// `file` is the path exactly as the user gave it.
    public init(file: String, verdict v: Verdict) {
        self.file = file
        verdict = v.kind.rawValue
        score = v.score
        mediaType = v.subject.mediaType
        sha256 = v.subject.sha256
        matches = v.matches
        error = v.error.map { ErrorJSON(code: $0.code, message: $0.message) }
        corpusSnapshot = v.corpusSnapshot
        model = v.model
    }
}
