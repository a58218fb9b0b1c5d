import Foundation
import HashmarkEngine
import HashmarkFingerprint
import HashmarkMedia
import HashmarkReport
import HashmarkStore
import HashmarkTransforms
import Testing

/// The learned image descriptor as the third matcher of the image cascade, on the bundled model
/// and real Corpus images: registered with their vectors, consulted only when PDQ and keypoints
/// did not match, and reported with the model that computed it.
struct DescriptorMatchingTests {
    static let modelFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Models/image-descriptor").path
    static let works = ["scikit-image__chelsea", "scikit-image__coffee", "scikit-image__astronaut", "scikit-learn__china"]

    struct Setup {
        let dir: TempDir
        let store: CorpusStore
        let descriptor: DescriptorModel
    }

    static func setup() throws -> Setup {
        let dir = try TempDir()
        let store = try CorpusStore(path: dir.path("corpus.sqlite"))
        let descriptor = try DescriptorModel(folder: modelFolder)
        var ingest = Ingest(store: store)
        ingest.descriptor = descriptor
        for id in works { _ = try ingest.add(path: Corpus.image(id), metadata: .init(id: id)) }
        return Setup(dir: dir, store: store, descriptor: descriptor)
    }

    /// A model whose descriptor threshold sits at `minSimilarity` and that reports every
    /// candidate as a near miss, written into `dir` and loaded; `descriptorOnly` turns PDQ and
    /// keypoints off (as the evaluator's recording model does), so the descriptor always runs.
    static func model(minSimilarity: Double, descriptorOnly: Bool = false, in dir: TempDir) throws -> LoadedModel {
        var m = DecisionModel.defaults
        m.id = "descriptor-test"
        if descriptorOnly {
            m.image.pdqMaxDistance = -1
            m.image.pdqCandidateRadius = 0
            m.image.localMaxCandidates = 0
        }
        m.descriptor.minSimilarity = minSimilarity
        m.descriptor.nearMissSimilarity = -2
        let path = dir.path("model-\(minSimilarity)-\(descriptorOnly).json")
        try ModelFile.encoder.encode(m).write(to: URL(fileURLWithPath: path))
        return try LoadedModel.load(path: path)
    }

    /// An oil-paint rendering of the work, recoloured, cropped and rotated.
    static func restyled(_ id: String) throws -> [UInt8] {
        let image = try ImageDecoder.decode(contentsOfFile: Corpus.image(id)).image
        var rng = SeededGenerator(seed: 1)
        let styled = try ImageTransform.pipeline([.oilPaint(radius: 5), .channelPermutation(.brg),
                                                  .rotate(degrees: 8, mode: .innerCrop, fill: .black),
                                                  .crop(anchor: .center, fraction: 0.2)])
            .apply(to: image, rng: &rng).image
        return try JPEGEncoder.encode(styled, quality: 70)
    }

    @Test func registeredImagesCarryTheLoadedModelsVectors() throws {
        let s = try Self.setup()
        let algorithm = s.descriptor.algorithm.id
        #expect(algorithm == "descriptor/" + s.descriptor.modelID)
        #expect(try s.store.allFingerprints(algorithm: algorithm).count == Self.works.count)
        let index = try CorpusIndex(store: s.store)
        #expect(index.stale == nil, "descriptor rows never make a corpus stale")
        #expect(index.descriptorCounts(algorithm: algorithm) == (Self.works.count, Self.works.count))
        #expect(index.descriptorCounts(algorithm: "descriptor/another-model").described == 0)
    }

    @Test func aRestyledCopyIsFoundByTheDescriptorWithItsEvidence() throws {
        let s = try Self.setup()
        var engine = Engine(index: try CorpusIndex(store: s.store),
                            model: try Self.model(minSimilarity: 0.5, descriptorOnly: true, in: s.dir))
        engine.descriptor = s.descriptor
        let verdict = engine.check(bytes: try Self.restyled("scikit-image__chelsea"), fileName: "cat painting.jpg")
        #expect(verdict.matches.count == 3, "maxCandidates near misses and matches")
        let best = try #require(verdict.matches.max { $0.score < $1.score })
        #expect(best.work.id == "scikit-image__chelsea")
        guard case .descriptor(let e) = best.evidence else { Issue.record("decided by \(best.matcher), not the descriptor"); return }
        #expect(e.model == s.descriptor.modelID && e.modelSha256 == s.descriptor.weightsSha256)
        #expect(e.threshold == 0.5)
        #expect(e.backgroundCosine != nil, "the shipped model has a background set")
        #expect(abs(e.similarity - (e.cosine - (e.backgroundCosine ?? 0))) < 1e-9)
        #expect(e.nextBestCosine.map { $0 < e.cosine } == true, "the copied work stands out from the rest")
        #expect((best.isMatch == true) == (e.similarity >= 0.5))
        #expect(verdict.writtenSchema == VerdictReport.descriptorSchemaId)

        // The same submission without the descriptor: nothing from it.
        let plain = Engine(index: engine.index, model: try Self.model(minSimilarity: 0.5, descriptorOnly: true, in: s.dir))
        #expect(!plain.check(bytes: try Self.restyled("scikit-image__chelsea"), fileName: "cat painting.jpg")
            .matches.contains { $0.matcher == "descriptor" })
    }

    /// The cascade: a copy PDQ decides never reaches the descriptor.
    @Test func aPDQMatchIsNotReDecidedByTheDescriptor() throws {
        let s = try Self.setup()
        var engine = Engine(index: try CorpusIndex(store: s.store), model: try Self.model(minSimilarity: 0.5, in: s.dir))
        engine.descriptor = s.descriptor
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Corpus.image("scikit-image__coffee"))))
        let verdict = engine.check(bytes: bytes, fileName: "coffee.jpg")
        #expect(verdict.verdict == .infringing)
        #expect(verdict.matches.contains { $0.matcher == "pdq" && $0.isMatch == true })
        #expect(!verdict.matches.contains { $0.matcher == "descriptor" })
    }

    /// A corpus registered before the descriptor existed gets its vectors when the files are added again.
    @Test func addingAFileAgainAddsTheMissingVector() throws {
        let dir = try TempDir()
        let store = try CorpusStore(path: dir.path("corpus.sqlite"))
        _ = try Ingest(store: store).add(path: Corpus.image("scikit-image__coffee"), metadata: .init(id: "coffee"))
        let descriptor = try DescriptorModel(folder: Self.modelFolder)
        #expect(try store.allFingerprints(algorithm: descriptor.algorithm.id).isEmpty)
        var ingest = Ingest(store: store)
        ingest.descriptor = descriptor
        #expect(try !ingest.add(path: Corpus.image("scikit-image__coffee"), metadata: .init(id: "coffee")).inserted)
        let rows = try store.allFingerprints(algorithm: descriptor.algorithm.id)
        #expect(rows.count == 1 && DescriptorCodec.decode(rows[0].data)?.count == descriptor.network.dimension)
    }

    @Test func aDamagedModelFolderIsRefusedWithItsCode() throws {
        let dir = try TempDir()
        let folder = dir.path("model")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.modelFolder + "/model.json", toPath: folder + "/model.json")
        var weights = try Data(contentsOf: URL(fileURLWithPath: Self.modelFolder + "/weights.bin"))
        weights[100] ^= 0xFF
        try weights.write(to: URL(fileURLWithPath: folder + "/weights.bin"))
        #expect { try DescriptorModel(folder: folder) } throws: { ($0 as? EngineError)?.code == EngineError.Code.descriptorModelInvalid }
        #expect { try DescriptorModel(folder: dir.path("absent")) } throws: {
            ($0 as? EngineError)?.code == EngineError.Code.descriptorModelUnavailable
        }
    }
}
