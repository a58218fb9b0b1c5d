import Foundation
import HashmarkEngine
import HashmarkEval
import HashmarkMedia
import HashmarkReport
import HashmarkStore
import HashmarkTransforms
import Testing

/// An unrelated image that shares a small element with a registered work (issue #16 item 7: every
/// image false positive on 1,846 hard negatives came from images that shared a logo or emblem with
/// corpus works) is clear: the work's matched keypoints cover a few per cent of its keypoint
/// extent. A crop of the work still covers enough of it to be a copy.
@Suite("Shared elements")
struct SharedElementTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let works = ["scikit-image__astronaut", "scikit-image__chelsea", "scikit-image__coffee"]
    static func image(_ id: String) -> String { repo.appendingPathComponent("Corpus/images/\(id).jpg").path }

    static func localEvidence(_ v: VerdictReport, _ work: String) -> LocalFeatureEvidence? {
        for m in v.matches where m.work.id == work { if case .localFeatures(let e) = m.evidence { return e } }
        return nil
    }

    @Test func anImageSharingAnElementIsClearAndACropIsACopy() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shared-element-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try CorpusStore(path: dir.appendingPathComponent("corpus.sqlite").path)
        let ingest = Ingest(store: store)
        for id in Self.works { _ = try ingest.add(path: Self.image(id), metadata: .init(id: id)) }
        let index = try CorpusIndex(store: store)
        // The same rule without the area condition, loaded from a model file as an operator would.
        var loose = DecisionModel.defaults
        loose.image.localMinMatchedWorkArea = 0
        let file = dir.appendingPathComponent("loose.json")
        try ModelFile.encoder.encode(loose).write(to: file)
        let looseModel = try LoadedModel.load(path: file.path)
        let threshold = DecisionModel.defaults.image.localMinMatchedWorkArea
        #expect(threshold > 0)

        let work = "scikit-image__astronaut"
        let source = try ImageDecoder.decode(contentsOfFile: Self.image(work)).image
        let unrelated = try ImageDecoder.decode(contentsOfFile: Self.image("scikit-image__camera")).image
        var rng = SeededGenerator(seed: 11)
        let negative = try JPEGEncoder.encode(try SharedElement.standard.apply(to: unrelated, work: source, rng: &rng), quality: 90)
        let before = Engine(index: index, model: looseModel).check(bytes: negative, fileName: "poster.jpg")
        #expect(before.decisiveMatches.map(\.work.id) == [work], "the element alone is no keypoint match: not a test of the rule")
        let after = Engine(index: index, model: .defaults).check(bytes: negative, fileName: "poster.jpg")
        #expect(after.verdict == .clear)
        let e = try #require(Self.localEvidence(after, work))
        #expect(e.inliers >= DecisionModel.defaults.image.localMinInliers)
        #expect(try #require(e.matchedWorkArea) < threshold)
        #expect(e.minMatchedWorkArea == threshold)
        #expect(after.writtenSchema == VerdictReport.matchedAreaSchemaId)

        // A third of each side cut away: a copy, found by keypoints, spanning far more of the work.
        var crop = SeededGenerator(seed: 12)
        let cropped = try ImageTransform.crop(anchor: .center, fraction: 0.3).apply(to: source, rng: &crop).image
        let copy = Engine(index: index, model: .defaults).check(bytes: try JPEGEncoder.encode(cropped, quality: 90), fileName: "crop.jpg")
        #expect(copy.decisiveMatches.map(\.work.id) == [work])
        if let c = Self.localEvidence(copy, work) { #expect(try #require(c.matchedWorkArea) > 4 * threshold) }
    }
}
