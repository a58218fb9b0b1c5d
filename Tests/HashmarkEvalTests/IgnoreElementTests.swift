import Foundation
import HashmarkEngine
import HashmarkEval
import HashmarkMedia
import HashmarkReport
import HashmarkStore
import HashmarkTransforms
import Testing

/// A rights holder registers an element that many images share (a distributor's logo, a
/// watermark, a frame) as an ignore-element (issue #16 item 7): it is never matched as a work, and
/// keypoints of a submission that lie on it do not count. An unrelated picture that shows the
/// element large enough for the matched-area rule to count it is then clear, while a copy of a
/// work that shows the element too stays a copy.
@Suite("Ignore-elements")
struct IgnoreElementTests {
    static let works = SharedElementTests.works
    static let work = "scikit-image__astronaut"
    /// Two fifths of the shorter side: four times the eval's shared element, and far above the
    /// matched-area rule's 5 % of the work's keypoint extent.
    static let element = SharedElement(side: 0.4)

    static func localEvidence(_ v: VerdictReport) -> LocalFeatureEvidence? {
        SharedElementTests.localEvidence(v, work)
    }

    /// `body` with a new store in a temporary folder (removed afterwards).
    static func withStore(_ body: (CorpusStore, URL) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ignore-element-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try body(try CorpusStore(path: dir.appendingPathComponent("corpus.sqlite").path), dir)
    }

    @Test func keypointsOnARegisteredElementDoNotCount() throws { try Self.withStore { store, dir in
        let ingest = Ingest(store: store)
        for id in Self.works { _ = try ingest.add(path: SharedElementTests.image(id), metadata: .init(id: id)) }

        let source = try ImageDecoder.decode(contentsOfFile: SharedElementTests.image(Self.work)).image
        let unrelated = try ImageDecoder.decode(contentsOfFile: SharedElementTests.image("scikit-image__camera")).image
        var rng = SeededGenerator(seed: 21)
        let poster = try JPEGEncoder.encode(try Self.element.apply(to: unrelated, work: source, rng: &rng), quality: 90)
        var crop = SeededGenerator(seed: 22)
        let copy = try JPEGEncoder.encode(try ImageTransform.crop(anchor: .center, fraction: 0.3).apply(to: source, rng: &crop).image,
                                          quality: 90)

        let before = Engine(index: try CorpusIndex(store: store), model: .defaults).check(bytes: poster, fileName: "poster.jpg")
        #expect(before.decisiveMatches.map(\.work.id) == [Self.work],
                "without the element registered the poster is a keypoint match: otherwise this tests nothing")
        #expect(Self.localEvidence(before)?.ignoredElements == nil)

        let elementFile = dir.appendingPathComponent("emblem.jpg")
        try Data(try JPEGEncoder.encode(try #require(Self.element.element(of: source)), quality: 95)).write(to: elementFile)
        let added = try ingest.add(path: elementFile.path, metadata: .init(id: "emblem", owner: "Example Studio", role: .ignoreElement))
        #expect(added.inserted && added.work.role == .ignoreElement)
        #expect(try !ingest.add(path: elementFile.path, metadata: .init(id: "emblem", role: .ignoreElement)).inserted)
        #expect(throws: EngineError.self) { try ingest.add(path: elementFile.path, metadata: .init(id: "emblem-as-work")) }
        #expect(try store.fingerprints(of: "emblem").map(\.algorithm) == [FingerprintAlgorithm.localFeatures.id],
                "an element has keypoints only: never a PDQ or descriptor match")

        let index = try CorpusIndex(store: store)
        #expect(index.counts.works == Self.works.count && index.ignoreElementCount == 1)
        let engine = Engine(index: index, model: .defaults)
        let after = engine.check(bytes: poster, fileName: "poster.jpg")
        #expect(after.verdict == .clear)
        let e = try #require(Self.localEvidence(after))
        #expect(e.ignoredElements == ["emblem"])
        #expect(try #require(e.elementInliers) > 0 && e.countedInliers < e.threshold)
        #expect(e.inliers >= e.threshold, "the raw inliers alone would have matched")
        #expect(after.writtenSchema == VerdictReport.ignoreElementSchemaId)
        #expect(!after.matches.contains { $0.work.id == "emblem" }, "an element is never a matched work")

        // The element on its own: nothing to report as infringing.
        #expect(engine.check(path: elementFile.path).verdict == .clear)
        // A copy of the work (its emblem included) stays a copy.
        let copied = engine.check(bytes: copy, fileName: "crop.jpg")
        #expect(copied.decisiveMatches.map(\.work.id) == [Self.work])

        let stats = try store.stats()
        #expect(stats.works == Self.works.count && stats.ignoreElements == 1)
        #expect(try store.list().filter { $0.role == .ignoreElement }.map(\.id) == ["emblem"])
    } }

    /// A transparent element (a logo over nothing) is registered as it shows over white and over
    /// each other background, as a transparent work is, keypoints only.
    @Test func aTransparentElementHasKeypointsOverEveryBackground() throws { try Self.withStore { store, _ in
        let logo = SharedElementTests.repo.appendingPathComponent("Corpus/images/openclipart-png__lock.png").path
        _ = try Ingest(store: store).add(path: logo, metadata: .init(id: "lock-logo", role: .ignoreElement))
        let rows = try store.fingerprints(of: "lock-logo")
        #expect(rows.allSatisfy { $0.algorithm == FingerprintAlgorithm.localFeatures.id })
        #expect(rows.map(\.variant).sorted() == [0] + WorkVariant.backgrounds.map(\.variant).sorted())
        let index = try CorpusIndex(store: store)
        #expect(index.counts.works == 0 && index.counts.localFeatureSets == 0 && index.ignoreElementCount == 1)
    } }

    @Test func anElementMustBeAnImage() throws { try Self.withStore { store, dir in
        let text = dir.appendingPathComponent("slogan.txt")
        try Data("Every frame a painting, every painting a frame.".utf8).write(to: text)
        do {
            _ = try Ingest(store: store).add(path: text.path, metadata: .init(id: "slogan", role: .ignoreElement))
            Issue.record("a text was registered as an ignore-element")
        } catch let error as EngineError {
            #expect(error.code == "element-not-image")
        }
        #expect(try store.list().isEmpty)
    } }
}
