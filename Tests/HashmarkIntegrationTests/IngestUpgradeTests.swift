import Foundation
import HashmarkEngine
import HashmarkFingerprint
import HashmarkStore
import HashmarkView
import Testing

/// A store written by an older local-feature extractor: the index reports it as stale (it loads
/// only the current algorithm), and adding the same file again brings the work's features up to date.
struct IngestUpgradeTests {
    @Test func addingAFileAgainReplacesOlderLocalFeatures() throws {
        let dir = try TempDir()
        let store = try CorpusStore(path: dir.path("corpus.sqlite"))
        let ingest = Ingest(store: store)
        let path = Corpus.image("scikit-image__coffee")
        let first = try ingest.add(path: path, metadata: .init(id: "coffee"))
        #expect(first.inserted)
        let current = try #require(try store.fingerprints(of: "coffee").first { $0.algorithm == LocalFeatures.algorithm })

        // What a store from before hashmark-orb-v2 held: the same blob under the old id.
        let old = StoredFingerprint(algorithm: "hashmark-orb-v1", version: 1, data: current.data)
        #expect(try store.replaceFingerprints(of: "coffee", family: "hashmark-orb-", with: [old]))
        let before = try store.snapshot()
        #expect(try store.allFingerprints(algorithm: LocalFeatures.algorithm).isEmpty)
        let stale = try CorpusIndex(store: store).stale
        #expect(stale?.code == EngineError.Code.corpusStale)
        #expect(stale?.message.contains("fingerprints hashmark-orb-v1 v1 (1 works)") == true)

        let again = try ingest.add(path: path, metadata: .init(id: "coffee"))
        #expect(!again.inserted)
        let algorithms = try store.fingerprints(of: "coffee").map(\.algorithm)
        #expect(algorithms.filter { $0.hasPrefix("hashmark-orb-") } == [LocalFeatures.algorithm])
        #expect(algorithms.contains("pdq"), "other fingerprints are kept")
        #expect(try store.allFingerprints(algorithm: LocalFeatures.algorithm).map(\.data) == [current.data])
        #expect(try store.snapshot().version > before.version, "the index sees a new snapshot")
        #expect(try CorpusIndex(store: store).stale == nil)

        // Already current: nothing is rewritten.
        let settled = try store.snapshot()
        _ = try ingest.add(path: path, metadata: .init(id: "coffee"))
        #expect(try store.snapshot().version == settled.version)
    }

    /// Previews are the view's business: ingest without a thumbnailer stores none (matching is
    /// the same), and adding the file again with `Thumbnail.maker` makes the missing one from the
    /// pixels ingest decoded, in the work's full-size coordinates.
    @Test func aMissingThumbnailIsMadeWhenTheFileIsAddedAgainWithAThumbnailer() throws {
        let dir = try TempDir()
        let store = try CorpusStore(path: dir.path("corpus.sqlite"))
        let path = Corpus.image("scikit-image__coffee")
        #expect(try Ingest(store: store).add(path: path, metadata: .init(id: "coffee")).inserted)
        #expect(try store.thumbnail(of: "coffee") == nil)
        let snapshot = try store.snapshot()
        #expect(try !Ingest(store: store, thumbnailer: Thumbnail.maker).add(path: path, metadata: .init(id: "coffee")).inserted)
        let t = try #require(try store.thumbnail(of: "coffee"))
        #expect(max(t.width, t.height) == Thumbnail.maxSide && (t.originalWidth, t.originalHeight) == (600, 400))
        #expect(t.jpeg.starts(with: [0xFF, 0xD8]))
        #expect(try store.snapshot() == snapshot, "a preview does not change what is matched")
    }
}
