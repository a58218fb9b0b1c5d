import Foundation
import HashmarkEngine
import HashmarkEval
import HashmarkFingerprint
import Testing

/// One decision model decides everywhere: the engine on real files and the fitter on recorded
/// features must reach the same verdict for every case and model.
@Suite("Decision model", .timeLimit(.minutes(15)))
struct DecisionModelTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func engineAndFitterAgreeOnRecordedCases() async throws {
        let base = try LoadedModel.load(path: Self.repo.appendingPathComponent("Models/hashmark-model.json").path)
        var loose = base.model
        loose.id = "agree-loose"
        loose.image.pdqMaxDistance = 56
        loose.image.pdqCandidateRadius = 64
        loose.image.localMinInliers = 8
        loose.text.minAlignedWords = 25
        loose.text.minMatchedWords = 15
        var strict = base.model
        strict.id = "agree-strict"
        strict.image.pdqMaxDistance = 10
        strict.image.pdqMinQuality = 80
        strict.image.localMinInliers = 60
        strict.text.minAlignedWords = 150
        strict.text.minCoverage = 0.8
        let options = SuiteOptions(manifest: Self.repo.appendingPathComponent("Corpus/manifest.csv").path,
                                   seed: 1, worksPerModality: 4, model: base)
        let rows = try await EvalSuite.agreement(options, models: [base.model, loose, strict])
        let cases = Set(rows.map(\.caseID)).count
        #expect(cases >= 100, "\(cases) cases")
        #expect(rows.count == 3 * cases)
        let disagreements = rows.filter { $0.engine != $0.fitter }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements, e.g. \(disagreements.prefix(5))")
        // The models decide differently on these cases, so agreement is not trivial.
        let detected = Dictionary(grouping: rows.filter(\.engine), by: \.modelID).mapValues(\.count)
        #expect((detected["agree-loose"] ?? 0) > (detected[base.model.id] ?? 0))
        #expect((detected[base.model.id] ?? 0) > (detected["agree-strict"] ?? 0))
    }

    @Test func scoresAreOneHalfExactlyAtTheThresholds() {
        let m = DecisionModel.defaults
        let atPDQ = m.decide(.pdq(distance: 31, quality: 100, workQuality: 100))
        #expect(atPDQ.isMatch && atPDQ.score == 0.5)
        #expect(!m.decide(.pdq(distance: 32, quality: 100, workQuality: 100)).isMatch)
        let flat = m.decide(.pdq(distance: 0, quality: 100, workQuality: 49))
        #expect(!flat.isMatch && flat.score <= 0.49)
        let atInliers = m.decide(.localFeatures(inliers: 20))
        #expect(atInliers.isMatch && atInliers.score == 0.5)
        #expect(!m.decide(.localFeatures(inliers: 19)).isMatch)
        let atWords = m.decide(.text(TextAlignmentSummary(alignedWords: 50, matchedWords: 50, coverage: 1, longestRun: 50)))
        #expect(atWords.isMatch && atWords.score == 0.5)
        #expect(!m.decide(.text(TextAlignmentSummary(alignedWords: 50, matchedWords: 50, coverage: 1, longestRun: 3))).isMatch)
        #expect(!m.decide(.text(TextAlignmentSummary(alignedWords: 100, matchedWords: 39, coverage: 0.39, longestRun: 9))).isMatch)
    }

    /// Audio: distinct hashes decide and score; aligned hashes and seconds must still be met; a
    /// report from before distinct hashes were counted is decided on its aligned hashes.
    @Test func audioDecidesOnDistinctHashes() {
        var m = DecisionModel.defaults
        m.audio = AudioRule(minAlignedHashes: 28, minDistinctHashes: 28, minMatchedSeconds: 2)
        let at = m.decide(.audio(alignedHashes: 90, matchedSeconds: 10, distinctHashes: 28))
        #expect(at.isMatch && at.score == 0.5)
        let repeated = m.decide(.audio(alignedHashes: 90, matchedSeconds: 10, distinctHashes: 27))
        #expect(!repeated.isMatch && repeated.score <= 0.49)
        #expect(!m.decide(.audio(alignedHashes: 90, matchedSeconds: 1.5, distinctHashes: 60)).isMatch)
        #expect(m.decide(.audio(alignedHashes: 28, matchedSeconds: 10)).isMatch)
        #expect(!m.decide(.audio(alignedHashes: 27, matchedSeconds: 10)).isMatch)
        // A rule without a distinct threshold reads aligned hashes alone.
        m.audio = AudioRule(minAlignedHashes: 36, minMatchedSeconds: 2)
        let old = m.decide(.audio(alignedHashes: 36, matchedSeconds: 10, distinctHashes: 5))
        #expect(old.isMatch && old.score == 0.5)
    }

    /// A match by isolation: fewer hashes than the plain rule asks, standing far above the work's
    /// next best alignment; not without the sidelobe counted, nor when the rule has it off.
    @Test func audioMatchesByIsolation() {
        var m = DecisionModel.defaults
        m.audio = AudioRule(minAlignedHashes: 35, minDistinctHashes: 35, minMatchedSeconds: 2,
                            minIsolatedHashes: 20, minIsolationMargin: 15)
        let at = m.decide(.audio(alignedHashes: 22, matchedSeconds: 8, distinctHashes: 21, sidelobeVotes: 6))
        #expect(at.isMatch && at.score == 0.5)
        // Periodic coincidence: as many hashes at another offset.
        #expect(!m.decide(.audio(alignedHashes: 40, matchedSeconds: 8, distinctHashes: 30, sidelobeVotes: 16)).isMatch)
        #expect(!m.decide(.audio(alignedHashes: 19, matchedSeconds: 8, distinctHashes: 19, sidelobeVotes: 0)).isMatch)
        #expect(!m.decide(.audio(alignedHashes: 30, matchedSeconds: 1.5, distinctHashes: 30, sidelobeVotes: 0)).isMatch)
        let unknown = m.decide(.audio(alignedHashes: 30, matchedSeconds: 8, distinctHashes: 30))
        #expect(!unknown.isMatch && unknown.score <= 0.49)
        // The plain rule still matches whatever the sidelobe.
        #expect(m.decide(.audio(alignedHashes: 90, matchedSeconds: 8, distinctHashes: 80, sidelobeVotes: 80)).isMatch)
        m.audio.minIsolatedHashes = 0
        #expect(!m.decide(.audio(alignedHashes: 22, matchedSeconds: 8, distinctHashes: 21, sidelobeVotes: 0)).isMatch)
        #expect(AudioRule(minAlignedHashes: 35, minMatchedSeconds: 2, minIsolatedHashes: 20).searchFloor == 20)
        #expect(AudioRule(minAlignedHashes: 35, minMatchedSeconds: 2).searchFloor == 26)
    }

    /// PDQ first: keypoint matches count only when no PDQ match fired; text always counts.
    @Test func imageCascade() {
        let m = DecisionModel.defaults
        let pdq = DecisionModel.Features.pdq(distance: 5, quality: 90, workQuality: 90)
        let local = DecisionModel.Features.localFeatures(inliers: 50)
        let text = DecisionModel.Features.text(.init(alignedWords: 80, matchedWords: 80, coverage: 1, longestRun: 80))
        #expect(m.matchedWorks([("a", pdq), ("b", local), ("c", text)]) == ["a", "c"])
        #expect(m.matchedWorks([("a", .pdq(distance: 60, quality: 90, workQuality: 90)), ("b", local)]) == ["b"])
        #expect(m.matchedWorks([("a", .localFeatures(inliers: 3))]).isEmpty)
    }

    /// A keypoint match counts only when the work's matched keypoints span enough of it; evidence
    /// without an area (reports before `/8`) is decided on inliers alone, and a model file
    /// without the field sets no such condition.
    @Test func aKeypointMatchMustSpanEnoughOfTheWork() throws {
        var m = DecisionModel.defaults
        m.image.localMinMatchedWorkArea = 0.05
        #expect(m.decide(.localFeatures(inliers: 80, workArea: 0.05)).isMatch)
        let emblem = m.decide(.localFeatures(inliers: 80, workArea: 0.049))
        #expect(!emblem.isMatch && emblem.score <= 0.49)
        #expect(!m.decide(.localFeatures(inliers: 19, workArea: 1)).isMatch)
        #expect(m.decide(.localFeatures(inliers: 80)).isMatch)
        #expect(m.matchedWorks([("a", .localFeatures(inliers: 80, workArea: 0.01))]).isEmpty)
        #expect(m.thresholds["localMinMatchedWorkArea"] == 0.05)
        let old = #"{"pdqMaxDistance":31,"pdqMinQuality":50,"pdqCandidateRadius":40,"localMinInliers":20,"localMaxCandidates":4,"localMinVotes":3}"#
        #expect(try JSONDecoder().decode(DecisionModel.ImageRule.self, from: Data(old.utf8)).localMinMatchedWorkArea == 0)
        let again = try JSONDecoder().decode(DecisionModel.self, from: try ModelFile.encoder.encode(m))
        #expect(again.image.localMinMatchedWorkArea == 0.05)
    }

    /// `text` stays one flat JSON object (alignment knobs and thresholds side by side), so every
    /// model file written before the split still loads; the defaults are what the alignment tests
    /// restate (`TextAlignmentSummary.isMatch` in the fingerprint tests).
    @Test func modelFilesKeepTheirShape() throws {
        let data = try ModelFile.encoder.encode(DecisionModel.defaults)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let text = try #require(json["text"] as? [String: Any])
        #expect(Set(text.keys) == ["maxGapWords", "extensionWords", "minRunWords", "minSeeds", "minPassageWords",
                                   "maxPostingsPerHash", "maxCandidates", "minAlignedWords", "minMatchedWords",
                                   "minCoverage", "minLongestRun"])
        #expect(try JSONDecoder().decode(DecisionModel.self, from: data) == .defaults)
        for file in ["Models/hashmark-model.json", "Models/hashmark-fitted-20261126-1.json"] {
            _ = try LoadedModel.load(path: Self.repo.appendingPathComponent(file).path)
        }
        let rule = DecisionModel.TextRule.default
        #expect((rule.minAlignedWords, rule.minMatchedWords, rule.minCoverage, rule.minLongestRun) == (50, 30, 0.4, 4))
    }

    /// An `audio` section written before `queryFanOut` and `queryPeaksPerWindow` existed keeps the
    /// pairing and peak density its threshold was fitted with (5, 30), one written before
    /// `minDistinctHashes` no distinct threshold; a file
    /// without `audio` gets today's defaults; the keys round-trip.
    @Test func audioRulesWithoutAQueryFanOutKeepTheStoredPairing() throws {
        /// The defaults' file with `audio` replaced (`nil`: left out).
        func audio(_ section: [String: Any]?) throws -> AudioRule {
            var json = try #require(try JSONSerialization.jsonObject(with: try ModelFile.encoder.encode(DecisionModel.defaults))
                as? [String: Any])
            json["audio"] = section
            return try JSONDecoder().decode(DecisionModel.self, from: try JSONSerialization.data(withJSONObject: json)).audio
        }
        let old = try audio(["minAlignedHashes": 36])
        #expect(old.queryFanOut == 5 && old.queryPeaksPerWindow == 30 && old.minAlignedHashes == 36 && old.minDistinctHashes == 0)
        #expect(try audio(nil) == .default)
        #expect(AudioRule.default.queryFanOut == 10 && AudioRule.default.queryPeaksPerWindow == 40
                && AudioRule.default.minAlignedHashes == 35)
        #expect(try audio(["queryPeaksPerWindow": 36]).queryPeaksPerWindow == 36)
        #expect(AudioRule.default.query == AudioFingerprint.Query(fanOut: 10, peaksPerWindow: 40))
        #expect(DecisionModel.defaults.thresholds["audioQueryPeaksPerWindow"] == 40)
        #expect(try audio(["queryFanOut": 7]).queryFanOut == 7)
        #expect(try audio(["minDistinctHashes": 30]).minDistinctHashes == 30)
        #expect(DecisionModel.defaults.thresholds["audioQueryFanOut"] == 10)
        #expect(DecisionModel.defaults.thresholds["audioMinDistinctHashes"] == Double(AudioRule.default.minDistinctHashes))
        #expect(AudioRule.default.minDistinctHashes > 0)
        // Matches by isolation: off in a file fitted before them, the defaults' otherwise.
        #expect(old.minIsolatedHashes == 0)
        #expect(AudioRule.default.minIsolatedHashes == 20 && AudioRule.default.minIsolationMargin == 15)
        let isolated = try audio(["minAlignedHashes": 35, "minIsolatedHashes": 18, "minIsolationMargin": 14])
        #expect(isolated.minIsolatedHashes == 18 && isolated.minIsolationMargin == 14)
        #expect(DecisionModel.defaults.thresholds["audioMinIsolationMargin"] == 15)
    }
}
