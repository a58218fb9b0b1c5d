import HashmarkFingerprint
import HashmarkReport

/// The thresholds and rule that turn evidence into a verdict, loaded from `Models/*.json`. The
/// engine, the evaluator and the fitter all decide through `decide(_:)` and `matchedWorks(_:)`.
///
/// Rule: a submission is `infringing` when at least one corpus work meets its matcher's rule —
/// PDQ: distance ≤ `image.pdqMaxDistance` with both qualities ≥ `image.pdqMinQuality`;
/// local features: inliers ≥ `image.localMinInliers`, consulted only when no PDQ match fired
/// (the cascade); text: every threshold of `text`. Each match also gets a score in 0…1 that is
/// 0.5 exactly at its threshold (PDQ `1 − d / 2T`, at most 0.49 below the quality floor; local
/// `n / (n + N)`; text `s / (1 + s)` with `s` = matched words / `minAlignedWords`; paraphrase
/// `s / (1 + s)` with `s` = seed pairs / `minSeedPairs`, at most 0.49 when another threshold
/// fails; audio `n / (n + N)`, at most 0.49 under the matched-seconds floor); paraphrase: every
/// threshold of `paraphrase`, for works the text rule did not match; audio: both thresholds of
/// `audio`; image descriptor: similarity ≥ `descriptor.minSimilarity`, consulted only when neither
/// PDQ nor local features matched (score `0.5 + (s − T) / 2(1 − T)` above the threshold, at most
/// 0.49 below). The verdict's score is the highest. Scores rank, they are not probabilities until a fitted model calibrates them.
///
/// A report cites the model's id and the SHA-256 of the file it was loaded from, so a reader can
/// recompute every verdict from the evidence. `hashmark eval --fit` writes new versions.
public struct DecisionModel: Codable, Sendable, Equatable {
    /// Always `hashmark.model/1` for this layout.
    public var schema: String
    /// A stable, human-readable id, e.g. `hashmark-defaults-2`.
    public var id: String
    /// What the model is and how it was obtained (defaults, or fitted on which split at which FPR).
    public var description: String
    public var image: ImageRule
    public var text: TextRule
    /// The paraphrase matcher (`ParaphraseRule.default` when a model file has no `paraphrase`).
    public var paraphrase: ParaphraseRule
    /// The audio matcher (`AudioRule.default` when a model file has no `audio`).
    public var audio: AudioRule
    /// The learned image descriptor (`DescriptorRule.default` when a model file has no `descriptor`).
    public var descriptor: DescriptorRule

    public init(schema: String, id: String, description: String, image: ImageRule, text: TextRule,
                paraphrase: ParaphraseRule = .default, audio: AudioRule = .default, descriptor: DescriptorRule = .default) {
        self.schema = schema; self.id = id; self.description = description
        self.image = image; self.text = text; self.paraphrase = paraphrase; self.audio = audio
        self.descriptor = descriptor
    }

    enum CodingKeys: String, CodingKey { case schema, id, description, image, text, paraphrase, audio, descriptor }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(schema: try c.decode(String.self, forKey: .schema), id: try c.decode(String.self, forKey: .id),
                  description: try c.decode(String.self, forKey: .description),
                  image: try c.decode(ImageRule.self, forKey: .image), text: try c.decode(TextRule.self, forKey: .text),
                  paraphrase: try c.decodeIfPresent(ParaphraseRule.self, forKey: .paraphrase) ?? .default,
                  audio: try c.decodeIfPresent(AudioRule.self, forKey: .audio) ?? .default,
                  descriptor: try c.decodeIfPresent(DescriptorRule.self, forKey: .descriptor) ?? .default)
    }

    /// Image thresholds: PDQ decides photometric copies; local features decide crops, pads, rotations.
    public struct ImageRule: Codable, Sendable, Equatable {
        /// A PDQ match counts when the dihedral-aware Hamming distance is at most this.
        public var pdqMaxDistance: Int
        /// PDQ hashes of flat, featureless images (quality below this) do not decide.
        public var pdqMinQuality: Int
        /// Radius searched for near misses kept as context in reports (≥ `pdqMaxDistance`).
        public var pdqCandidateRadius: Int
        /// A local-feature match counts when RANSAC keeps at least this many inliers.
        public var localMinInliers: Int
        /// Candidate works verified by RANSAC per submission (most shortlist votes first).
        public var localMaxCandidates: Int
        /// Shortlist votes a work needs before it is verified. A vote is one query descriptor whose
        /// nearest colliding corpus descriptor lies in this work and passes the cross-work ratio test
        /// (`LocalShortlistIndex`).
        public var localMinVotes: Int
        /// A local-feature match counts only when the bounding box of the work's matched
        /// keypoints covers at least this share of the work's keypoint extent (the bounding box of
        /// all its keypoints): a copy (even a tight crop) covers much of it, a logo or emblem that
        /// the submission merely shares with the work a few per cent. 0 (the value when a model
        /// file leaves it out): no such condition.
        public var localMinMatchedWorkArea: Double

        public init(pdqMaxDistance: Int, pdqMinQuality: Int, pdqCandidateRadius: Int, localMinInliers: Int,
                    localMaxCandidates: Int, localMinVotes: Int, localMinMatchedWorkArea: Double = 0) {
            self.pdqMaxDistance = pdqMaxDistance; self.pdqMinQuality = pdqMinQuality
            self.pdqCandidateRadius = pdqCandidateRadius; self.localMinInliers = localMinInliers
            self.localMaxCandidates = localMaxCandidates; self.localMinVotes = localMinVotes
            self.localMinMatchedWorkArea = localMinMatchedWorkArea
        }

        enum CodingKeys: String, CodingKey {
            case pdqMaxDistance, pdqMinQuality, pdqCandidateRadius, localMinInliers, localMaxCandidates, localMinVotes,
                 localMinMatchedWorkArea
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(pdqMaxDistance: try c.decode(Int.self, forKey: .pdqMaxDistance),
                      pdqMinQuality: try c.decode(Int.self, forKey: .pdqMinQuality),
                      pdqCandidateRadius: try c.decode(Int.self, forKey: .pdqCandidateRadius),
                      localMinInliers: try c.decode(Int.self, forKey: .localMinInliers),
                      localMaxCandidates: try c.decode(Int.self, forKey: .localMaxCandidates),
                      localMinVotes: try c.decode(Int.self, forKey: .localMinVotes),
                      localMinMatchedWorkArea: try c.decodeIfPresent(Double.self, forKey: .localMinMatchedWorkArea) ?? 0)
        }
    }

    /// Text: the alignment's knobs (`TextAlignmentParameters`) and the per-work thresholds. The
    /// JSON keeps them in one flat object.
    public struct TextRule: Codable, Sendable, Equatable {
        public var alignment: TextAlignmentParameters
        /// Words of the source spanned by the aligned passages, summed; 50 is the memorisation
        /// literature's standard for a regurgitated passage.
        public var minAlignedWords: Int
        /// Identical words matched, summed over passages.
        public var minMatchedWords: Int
        /// Matched / aligned words (1 for a verbatim copy; about 0.7 at 30 % substitution).
        public var minCoverage: Double
        /// The longest common run must reach this.
        public var minLongestRun: Int

        public init(alignment: TextAlignmentParameters = .default, minAlignedWords: Int, minMatchedWords: Int,
                    minCoverage: Double, minLongestRun: Int) {
            self.alignment = alignment
            self.minAlignedWords = minAlignedWords
            self.minMatchedWords = minMatchedWords
            self.minCoverage = minCoverage
            self.minLongestRun = minLongestRun
        }

        /// ≥ 50 aligned words, ≥ 30 identical, coverage ≥ 0.4, a run of ≥ 4.
        public static let `default` = TextRule(minAlignedWords: 50, minMatchedWords: 30, minCoverage: 0.4,
                                               minLongestRun: 4)

        enum CodingKeys: String, CodingKey { case minAlignedWords, minMatchedWords, minCoverage, minLongestRun }

        public init(from decoder: any Decoder) throws {
            alignment = try TextAlignmentParameters(from: decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            minAlignedWords = try c.decode(Int.self, forKey: .minAlignedWords)
            minMatchedWords = try c.decode(Int.self, forKey: .minMatchedWords)
            minCoverage = try c.decode(Double.self, forKey: .minCoverage)
            minLongestRun = try c.decode(Int.self, forKey: .minLongestRun)
        }

        public func encode(to encoder: any Encoder) throws {
            try alignment.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(minAlignedWords, forKey: .minAlignedWords)
            try c.encode(minMatchedWords, forKey: .minMatchedWords)
            try c.encode(minCoverage, forKey: .minCoverage)
            try c.encode(minLongestRun, forKey: .minLongestRun)
        }
    }

    /// The documented defaults: PDQ ≤ 31 (Meta's recommended match threshold) at quality ≥ 50;
    /// ≥ 20 inliers (no unrelated real pair exceeded 6 in the local-feature tests) covering ≥ 5 % of
    /// the work's keypoint extent (a shared logo or emblem covers less; see
    /// `ImageRule.localMinMatchedWorkArea`); the text
    /// defaults of `TextRule` (≥ 50 aligned words); the paraphrase defaults of `ParaphraseRule`.
    public static let defaults = DecisionModel(
        schema: "hashmark.model/1", id: "hashmark-defaults-11",
        description: "Documented defaults, not fitted: PDQ distance <= 31 at quality >= 50; "
            + "local features >= 20 RANSAC inliers covering >= 5 % of the work's keypoint extent; text: >= 50 aligned words, >= 30 identical, coverage >= 0.4, a run of >= 4; "
            + "paraphrase: >= 3 seed sentence pairs at mean similarity >= 0.55 over >= 40 source words; "
            + "audio: >= 35 aligned landmark hashes, >= 35 of them distinct, or >= 20 distinct standing >= 15 above the work's next best "
            + "alignment, over >= 2 s, submissions 40 peaks per window paired 10 wide; "
            + "image descriptor: similarity >= 0.7.",
        image: ImageRule(pdqMaxDistance: 31, pdqMinQuality: 50, pdqCandidateRadius: 40,
                         localMinInliers: 20, localMaxCandidates: 4, localMinVotes: 3, localMinMatchedWorkArea: 0.05),
        text: .default)

    // MARK: - Deciding

    /// What one matcher found for one work: the numbers the rule reads.
    public enum Features: Sendable, Equatable {
        case pdq(distance: Int, quality: Int, workQuality: Int)
        /// RANSAC inliers not on an ignore-element, and the share of the work's keypoint extent
        /// those matched keypoints cover (`LocalFeatures.keypointExtentShare`; nil: not measured,
        /// as in reports before `/8`).
        case localFeatures(inliers: Int, workArea: Double? = nil)
        case text(TextAlignmentSummary)
        case paraphrase(ParaphraseSummary)
        /// Aligned landmark hashes, how many of them differ (nil: a report from before it was
        /// counted; the aligned count stands in), the seconds of the submission they spread over,
        /// and the votes of the work's next best alignment (nil: not counted, no match by isolation).
        case audio(alignedHashes: Int, matchedSeconds: Double, distinctHashes: Int? = nil, sidelobeVotes: Int? = nil)
        /// The image descriptors' similarity (cosine less the background cosine).
        case descriptor(similarity: Double)

        /// The features a piece of report evidence states.
        public init(_ evidence: VerdictReport.Evidence) {
            switch evidence {
            case .image(let e): self = .pdq(distance: e.pdqDistance, quality: e.quality, workQuality: e.workQuality ?? e.quality)
            case .localFeatures(let e): self = .localFeatures(inliers: e.countedInliers, workArea: e.matchedWorkArea)
            case .text(let e):
                self = .text(TextAlignmentSummary(alignedWords: e.alignedWords, matchedWords: e.matchedWords ?? 0,
                                                  coverage: e.coverage, longestRun: e.longestRun))
            case .paraphrase(let e):
                self = .paraphrase(ParaphraseSummary(spannedSentences: e.spannedSentences, seedPairs: e.seedPairs,
                                                     meanSimilarity: e.meanSimilarity, minSimilarity: e.minSimilarity,
                                                     sourceWords: e.sourceWords))
            case .audio(let e):
                self = .audio(alignedHashes: e.alignedHashes, matchedSeconds: e.submitted.duration, distinctHashes: e.distinctHashes,
                              sidelobeVotes: e.sidelobeHashes)
            case .descriptor(let e): self = .descriptor(similarity: e.similarity)
            }
        }

        var isPDQ: Bool { if case .pdq = self { true } else { false } }
        var isLocal: Bool { if case .localFeatures = self { true } else { false } }
        var isDescriptor: Bool { if case .descriptor = self { true } else { false } }
    }

    /// One matcher's decision for one work.
    public struct Decision: Sendable, Equatable {
        /// The features meet the rule for their matcher.
        public var isMatch: Bool
        /// 0…1, 0.5 exactly at the threshold, higher is stronger.
        public var score: Double
    }

    /// The rule applied to one matcher's features for one work.
    public func decide(_ features: Features) -> Decision {
        switch features {
        case .pdq(let d, let q, let wq):
            let qualityOK = q >= image.pdqMinQuality && wq >= image.pdqMinQuality
            let score = max(0, min(1, 1 - Double(d) / Double(2 * max(1, image.pdqMaxDistance))))
            return Decision(isMatch: qualityOK && d <= image.pdqMaxDistance, score: qualityOK ? score : min(score, 0.49))
        case .localFeatures(let n, let area):
            let score = Double(n) / (Double(n) + Double(max(1, image.localMinInliers)))
            let spansTheWork = (area ?? 1) >= image.localMinMatchedWorkArea
            return Decision(isMatch: n >= image.localMinInliers && spansTheWork, score: spansTheWork ? score : min(score, 0.49))
        case .text(let t):
            let isMatch = t.alignedWords >= text.minAlignedWords && t.matchedWords >= text.minMatchedWords
                && t.coverage >= text.minCoverage && t.longestRun >= text.minLongestRun
            let s = Double(t.matchedWords) / Double(max(1, text.minAlignedWords))
            return Decision(isMatch: isMatch, score: s / (1 + s))
        case .paraphrase(let p):
            let r = paraphrase
            let isMatch = p.seedPairs >= r.minSeedPairs && p.meanSimilarity >= r.minMeanSimilarity
                && p.sourceWords >= r.minSourceWords
            let s = Double(p.seedPairs) / Double(max(1, r.minSeedPairs))
            let score = s / (1 + s)
            return Decision(isMatch: isMatch, score: isMatch ? score : min(score, 0.49))
        case .audio(let n, let seconds, let distinct, let sidelobe):
            let d = distinct ?? n
            let aligned = n >= audio.minAlignedHashes && d >= audio.minDistinctHashes && seconds >= audio.minMatchedSeconds
            let isolated = sidelobe.map { audio.isIsolated(distinctHashes: d, sidelobeVotes: $0, matchedSeconds: seconds) } ?? false
            // Scored on the count the rule is strictest about; a match by isolation on its margin.
            var score = audio.minDistinctHashes > 0 ? Double(d) / (Double(d) + Double(audio.minDistinctHashes))
                : Double(n) / (Double(n) + Double(max(1, audio.minAlignedHashes)))
            if let sidelobe, audio.minIsolatedHashes > 0, d >= audio.minIsolatedHashes {
                let margin = Double(max(0, d - sidelobe))
                score = max(score, margin / (margin + Double(max(1, audio.minIsolationMargin))))
            }
            let isMatch = aligned || isolated
            return Decision(isMatch: isMatch, score: isMatch ? max(0.5, score) : min(score, 0.49))
        case .descriptor(let s):
            let t = descriptor.minSimilarity
            if s >= t { return Decision(isMatch: true, score: min(1, 0.5 + (s - t) / (2 * max(1e-6, 1 - t)))) }
            return Decision(isMatch: false, score: max(0, min(0.49, 0.5 - (t - s))))
        }
    }

    /// The works a submission is found to copy, from every matcher's features per work: PDQ
    /// matches when any fired (local features then never count: the engine does not even
    /// compute them), else local-feature matches, else descriptor matches; text matches always.
    public func matchedWorks(_ found: [(work: String, features: Features)]) -> Set<String> {
        let hits = found.filter { decide($0.features).isMatch }
        let pdqFired = hits.contains { $0.features.isPDQ }
        let localFired = hits.contains { $0.features.isLocal }
        return Set(hits.filter {
            !(pdqFired && $0.features.isLocal) && !((pdqFired || localFired) && $0.features.isDescriptor)
        }.map(\.work))
    }

    // MARK: - Reports

    /// The rule in words, as written into every report.
    public var ruleDescription: String {
        "infringing if any work matches: pdq distance <= pdqMaxDistance with submission and work "
            + "quality >= pdqMinQuality; or local-features inliers (less elementInliers) >= localMinInliers with matchedWorkArea >= "
            + "localMinMatchedWorkArea; or text "
            + "alignedWords >= minAlignedWords, matchedWords >= minMatchedWords, coverage >= minCoverage "
            + "and longestRun >= minLongestRun; or sentence-align seedPairs >= paraphraseMinSeedPairs, "
            + "meanSimilarity >= paraphraseMinMeanSimilarity and sourceWords >= paraphraseMinSourceWords; or audio-landmarks "
            + "alignedHashes >= audioMinAlignedHashes and distinctHashes >= audioMinDistinctHashes, or distinctHashes >= "
            + "audioMinIsolatedHashes and distinctHashes - sidelobeHashes >= audioMinIsolationMargin, over a submitted segment of "
            + ">= audioMinMatchedSeconds; or, when no pdq or "
            + "local-features match fired, descriptor similarity (cosine - backgroundCosine) >= descriptorMinSimilarity. Otherwise clear."
    }

    /// The thresholds named in `ruleDescription`, by name.
    public var thresholds: [String: Double] {
        [
            "pdqMaxDistance": Double(image.pdqMaxDistance),
            "pdqMinQuality": Double(image.pdqMinQuality),
            "localMinInliers": Double(image.localMinInliers),
            "localMinMatchedWorkArea": image.localMinMatchedWorkArea,
            "minAlignedWords": Double(text.minAlignedWords),
            "minMatchedWords": Double(text.minMatchedWords),
            "minCoverage": text.minCoverage,
            "minLongestRun": Double(text.minLongestRun),
            "paraphraseMinSeedPairs": Double(paraphrase.minSeedPairs),
            "paraphraseMinMeanSimilarity": paraphrase.minMeanSimilarity,
            "paraphraseMinSourceWords": Double(paraphrase.minSourceWords),
            "paraphraseSeedThreshold": (Double(paraphrase.alignment.seedThreshold) * 1e4).rounded() / 1e4,
            "audioMinAlignedHashes": Double(audio.minAlignedHashes),
            "audioMinDistinctHashes": Double(audio.minDistinctHashes),
            "audioMinMatchedSeconds": audio.minMatchedSeconds,
            "audioQueryFanOut": Double(audio.queryFanOut),
            "audioQueryPeaksPerWindow": Double(audio.queryPeaksPerWindow),
            "audioMinIsolatedHashes": Double(audio.minIsolatedHashes),
            "audioMinIsolationMargin": Double(audio.minIsolationMargin),
            "descriptorMinSimilarity": descriptor.minSimilarity,
        ]
    }
}
