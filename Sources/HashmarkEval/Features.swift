import HashmarkEngine
import HashmarkFingerprint
import HashmarkReport

/// What the engine found about one (case, corpus work) pair, reduced to the numbers the decision
/// rule reads. Recorded on the training split with permissive models so that candidate
/// thresholds can be applied offline, exactly as the engine applies them.
public struct WorkFeatures: Sendable, Codable, Equatable {
    public var work: String
    /// Smallest PDQ distance seen, and the lower of the two qualities of that pair.
    public var pdqDistance: Int?
    public var pdqQuality: Int?
    /// Most RANSAC inliers of a local-feature verification, and the share of the work's keypoint
    /// extent that match's keypoints cover.
    public var inliers: Int?
    public var localWorkArea: Double?
    public var text: TextAlignmentSummary?
    /// The paraphrase matcher's passages for this work (most seed pairs).
    public var paraphrase: ParaphraseSummary?
    /// The audio alignment with the most distinct hashes (then aligned ones): its aligned and
    /// distinct hashes, the submitted seconds it spans and its sidelobe (the next best alignment).
    public var audioHashes: Int?
    public var audioDistinctHashes: Int?
    public var audioSeconds: Double?
    public var audioSidelobe: Int?
    /// Highest image-descriptor similarity (cosine less the background cosine).
    public var descriptorSimilarity: Double?

    public init(work: String, pdqDistance: Int? = nil, pdqQuality: Int? = nil, inliers: Int? = nil,
                text: TextAlignmentSummary? = nil, paraphrase: ParaphraseSummary? = nil,
                audioHashes: Int? = nil, audioDistinctHashes: Int? = nil, audioSeconds: Double? = nil,
                audioSidelobe: Int? = nil, descriptorSimilarity: Double? = nil) {
        self.work = work
        self.pdqDistance = pdqDistance
        self.pdqQuality = pdqQuality
        self.inliers = inliers
        self.text = text
        self.paraphrase = paraphrase
        self.audioHashes = audioHashes
        self.audioDistinctHashes = audioDistinctHashes
        self.audioSeconds = audioSeconds
        self.audioSidelobe = audioSidelobe
        self.descriptorSimilarity = descriptorSimilarity
    }
}

extension WorkFeatures {
    /// Features of every work in a verdict, merged into `into` by work id.
    static func merge(_ verdict: VerdictReport, into table: inout [String: WorkFeatures]) {
        for m in verdict.matches {
            var f = table[m.work.id] ?? WorkFeatures(work: m.work.id)
            switch DecisionModel.Features(m.evidence) {
            case .pdq(let distance, let quality, let workQuality):
                if f.pdqDistance.map({ distance < $0 }) ?? true {
                    f.pdqDistance = distance
                    f.pdqQuality = min(quality, workQuality)
                }
            case .localFeatures(let inliers, let area):
                if f.inliers.map({ inliers > $0 }) ?? true { f.inliers = inliers; f.localWorkArea = area }
            case .text(let t):
                if f.text.map({ t.alignedWords > $0.alignedWords }) ?? true { f.text = t }
            case .paraphrase(let p):
                if f.paraphrase.map({ p.seedPairs > $0.seedPairs }) ?? true { f.paraphrase = p }
            case .audio(let n, let seconds, let distinct, let sidelobe):
                let key = (distinct ?? n, n)
                if f.audioHashes.map({ key > (f.audioDistinctHashes ?? $0, $0) }) ?? true {
                    f.audioHashes = n; f.audioDistinctHashes = distinct; f.audioSeconds = seconds; f.audioSidelobe = sidelobe
                }
            case .descriptor(let s):
                f.descriptorSimilarity = max(f.descriptorSimilarity ?? -2, s)
            }
            table[m.work.id] = f
        }
    }

    /// Every matcher's features recorded for this work, as the decision model reads them.
    var features: [DecisionModel.Features] {
        var out: [DecisionModel.Features] = []
        if let d = pdqDistance, let q = pdqQuality { out.append(.pdq(distance: d, quality: q, workQuality: q)) }
        if let n = inliers { out.append(.localFeatures(inliers: n, workArea: localWorkArea)) }
        if let t = text { out.append(.text(t)) }
        if let p = paraphrase { out.append(.paraphrase(p)) }
        if let n = audioHashes {
            out.append(.audio(alignedHashes: n, matchedSeconds: audioSeconds ?? 0, distinctHashes: audioDistinctHashes,
                              sidelobeVotes: audioSidelobe))
        }
        if let s = descriptorSimilarity { out.append(.descriptor(similarity: s)) }
        return out
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
