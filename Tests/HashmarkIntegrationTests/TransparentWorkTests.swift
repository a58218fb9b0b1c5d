import Foundation
import HashmarkEngine
import HashmarkFingerprint
import HashmarkMedia
import HashmarkReport
import HashmarkStore
import Testing

/// A work with transparent pixels is registered as its file shows (over white) and over black and
/// mid-grey, for PDQ, keypoints and the image descriptor, so a copy pasted onto a dark background
/// is found through the over-black fingerprints and the report says so (`workBackground`, `/7`).
@Suite("Transparent works")
struct TransparentWorkTests {
    /// Open Clip Art drawings with transparent backgrounds (Corpus/ATTRIBUTION.md).
    static let transparent = ["openclipart-png__nunchaku_sergio_luiz_ara_01", "openclipart-png__lock"]
    static let opaque = ["scikit-image__chelsea", "scikit-image__astronaut"]
    static let descriptorFolder = CLI.repoRoot.appendingPathComponent("Models/image-descriptor").path

    static func png(_ id: String) -> String { Corpus.root.appendingPathComponent("images/\(id).png").path }

    static func store(in dir: TempDir, descriptor: DescriptorModel?) throws -> CorpusStore {
        let store = try CorpusStore(path: dir.path("corpus.sqlite"))
        var ingest = Ingest(store: store)
        ingest.descriptor = descriptor
        for id in transparent { _ = try ingest.add(path: png(id), metadata: .init(id: id)) }
        for id in opaque { _ = try ingest.add(path: Corpus.image(id), metadata: .init(id: id)) }
        return store
    }

    /// The work composited over black, as a JPEG a platform would receive.
    static func overBlack(_ id: String) throws -> [UInt8] {
        let decoded = try ImageDecoder.decode(contentsOfFile: png(id))
        return try JPEGEncoder.encode(decoded.composited(over: (r: 0, g: 0, b: 0)), quality: 90)
    }

    @Test func transparentWorksAloneGetRowsOverOtherBackgrounds() throws {
        let dir = try TempDir()
        let descriptor = try DescriptorModel(folder: Self.descriptorFolder)
        let store = try Self.store(in: dir, descriptor: descriptor)
        let families = [FingerprintAlgorithm.pdq.id, FingerprintAlgorithm.localFeatures.id, descriptor.algorithm.id]
        for id in Self.transparent {
            for variant in [WorkVariant.overBlack, WorkVariant.overGrey] {
                let rows = try store.fingerprints(of: id).filter { $0.variant == variant }
                #expect(rows.map(\.algorithm).sorted() == families.sorted(), "\(id) variant \(variant)")
            }
        }
        for id in Self.opaque {
            #expect(try store.fingerprints(of: id).allSatisfy { $0.variant == WorkVariant.original }, "\(id)")
        }
        let index = try CorpusIndex(store: store)
        #expect(index.stale == nil)
        #expect(index.descriptorCounts(algorithm: descriptor.algorithm.id) == (4, 4), "a work counts once")
    }

    /// The drawing over black is matched through the over-black fingerprints; with the other
    /// backgrounds' rows removed (a corpus registered before this version), it is not matched.
    @Test func aCopyOverBlackMatchesTheOverBlackRegistration() throws {
        let dir = try TempDir()
        let store = try Self.store(in: dir, descriptor: nil)
        let id = Self.transparent[0]
        let bytes = try Self.overBlack(id)
        let verdict = Engine(index: try CorpusIndex(store: store), model: .defaults).check(bytes: bytes, fileName: "copy.jpg")
        #expect(verdict.verdict == .infringing)
        let match = try #require(verdict.decisiveMatches.first { $0.work.id == id })
        #expect(match.evidence.workBackground == "black")
        #expect(verdict.writtenSchema == VerdictReport.workBackgroundSchemaId)

        let white = try store.fingerprints(of: id).filter { $0.variant == WorkVariant.original }
        for family in [FingerprintAlgorithm.pdq.family, FingerprintAlgorithm.localFeatures.family] {
            _ = try store.replaceFingerprints(of: id, family: family, with: white.filter { $0.algorithm.hasPrefix(family) })
        }
        let before = Engine(index: try CorpusIndex(store: store), model: .defaults).check(bytes: bytes, fileName: "copy.jpg")
        #expect(!before.decisiveMatches.contains { $0.work.id == id }, "found without the over-black rows: not a test of them")

        // Adding the same file again registers what is missing.
        _ = try Ingest(store: store).add(path: Self.png(id), metadata: .init(id: id))
        #expect(Set(try store.fingerprints(of: id).map(\.variant)) == [WorkVariant.original, WorkVariant.overBlack, WorkVariant.overGrey])
        let again = Engine(index: try CorpusIndex(store: store), model: .defaults).check(bytes: bytes, fileName: "copy.jpg")
        #expect(again.decisiveMatches.contains { $0.work.id == id && $0.evidence.workBackground == "black" })
    }

    /// The work as its file shows it still matches its own registration, not the over-black one.
    @Test func theWorkOverWhiteMatchesAsBefore() throws {
        let dir = try TempDir()
        let store = try Self.store(in: dir, descriptor: nil)
        let id = Self.transparent[1]
        let decoded = try ImageDecoder.decode(contentsOfFile: Self.png(id))
        let verdict = Engine(index: try CorpusIndex(store: store), model: .defaults)
            .check(bytes: try JPEGEncoder.encode(decoded.image, quality: 90), fileName: "copy.jpg")
        let match = try #require(verdict.decisiveMatches.first { $0.work.id == id })
        #expect(match.evidence.workBackground == nil)
        #expect(verdict.writtenSchema != VerdictReport.workBackgroundSchemaId)
    }
}
