import HashmarkEngine

/// What the engine found about one (case, corpus work) pair, reduced to the numbers the decision
/// rule reads. Recorded on the training split with permissive models so that candidate
/// thresholds can be applied offline, exactly as the engine applies them.
public struct WorkFeatures: Sendable, Codable, Equatable {
    public var work: String
    /// Smallest PDQ distance seen, and the lower of the two qualities of that pair.
    public var pdqDistance: Int?
    public var pdqQuality: Int?
    /// Most RANSAC inliers of a local-feature verification.
    public var inliers: Int?
    public var text: TextFeatures?

    public init(work: String, pdqDistance: Int? = nil, pdqQuality: Int? = nil, inliers: Int? = nil,
                text: TextFeatures? = nil) {
        self.work = work
        self.pdqDistance = pdqDistance
        self.pdqQuality = pdqQuality
        self.inliers = inliers
        self.text = text
    }
}

/// The aligned-text evidence of one (case, work) pair.
public struct TextFeatures: Sendable, Codable, Equatable {
    public var alignedWords: Int
    public var matchedWords: Int
    public var coverage: Double
    public var longestRun: Int

    public init(alignedWords: Int, matchedWords: Int, coverage: Double, longestRun: Int) {
        self.alignedWords = alignedWords
        self.matchedWords = matchedWords
        self.coverage = coverage
        self.longestRun = longestRun
    }
}

extension WorkFeatures {
    /// Features of every work in a verdict, merged into `into` by work id.
    static func merge(_ verdict: Verdict, into table: inout [String: WorkFeatures]) {
        for m in verdict.matches {
            var f = table[m.work.id] ?? WorkFeatures(work: m.work.id)
            switch m.evidence {
            case .pdq(let e):
                if f.pdqDistance.map({ e.distance < $0 }) ?? true {
                    f.pdqDistance = e.distance
                    f.pdqQuality = min(e.quality, e.workQuality)
                }
            case .localFeatures(let e):
                f.inliers = max(f.inliers ?? 0, e.inliers)
            case .text(let e):
                if f.text.map({ e.alignedWords > $0.alignedWords }) ?? true {
                    f.text = TextFeatures(alignedWords: e.alignedWords, matchedWords: e.matchedWords,
                                          coverage: e.coverage, longestRun: e.longestRun)
                }
            }
            table[m.work.id] = f
        }
    }
}

/// One recorded training case: its label, the work it copies (positives) and what was found.
public struct FeatureCase: Sendable, Codable, Equatable {
    public var positive: Bool
    public var expectedWork: String?
    public var works: [WorkFeatures]

    public init(positive: Bool, expectedWork: String?, works: [WorkFeatures]) {
        self.positive = positive
        self.expectedWork = expectedWork
        self.works = works
    }
}
