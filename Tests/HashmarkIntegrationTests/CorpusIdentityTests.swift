import Foundation
import HashmarkEngine
import HashmarkFingerprint
@_spi(Testing) import HashmarkMedia
@_spi(Testing) import HashmarkStore
import HashmarkTransforms
import HashmarkView
import Testing

/// A corpus made by older algorithms is reported, never matched as "clear"; matching never reads
/// the store; an image is decoded once, on ingest and on check.
@Suite("Corpus identity and decode once")
struct CorpusIdentityTests {
    static let text = Corpus.text("r-cran-tokenizers__mobydick_03")

    static func engine(_ store: CorpusStore) throws -> Engine {
        Engine(index: try CorpusIndex(store: store), model: .defaults)
    }

    /// The rows `Ingest` writes today for `text`, as SQL for a file of the pre-v3 schema (no
    /// posting algorithm).
    static func legacyRows(from store: CorpusStore, id: String) throws -> String {
        let work = try #require(try store.work(id: id))
        let text = try #require(try store.text(of: id))
        let postings = try store.postings(of: id)
        #expect(!postings.isEmpty)
        return """
            INSERT INTO works (id, media_type, sha256, added_at) VALUES ('\(id)', '\(work.mediaType)', '\(work.sha256 ?? "")', 0);
            INSERT INTO work_texts (work_id, text) VALUES ('\(id)', '\(text.replacingOccurrences(of: "'", with: "''"))');
            INSERT INTO text_postings (work_id, hash, position) VALUES
            """ + postings.map { "('\(id)', \(Int64(bitPattern: $0.hash)), \($0.position))" }.joined(separator: ",\n") + ";"
    }

    @Test func preMigrationTextCorpusGivesCorpusStaleNeverClear() throws {
        let dir = try TempDir()
        let current = try CorpusStore(path: dir.path("current.sqlite"))
        _ = try Ingest(store: current).add(path: Self.text, metadata: .init(id: "moby"))
        #expect(try Self.engine(current).check(path: Self.text).verdict == .infringing, "control: the rows match")

        let path = dir.path("old.sqlite")
        try CorpusStore.createLegacy(path: path, upTo: "v2-thumbnails", sql: try Self.legacyRows(from: current, id: "moby"))
        let old = try CorpusStore(path: path)
        let engine = try Self.engine(old)
        for verdict in [engine.check(path: Self.text), engine.check(path: Corpus.image("scipy__ascent")),
                        engine.check(path: dir.path("no-such-file"))] {
            #expect(verdict.verdict == .error)
            #expect(verdict.error?.code == EngineError.Code.corpusStale)
            let message = verdict.error?.message ?? ""
            #expect(message.contains("text postings of no recorded algorithm (1 works)"))
            #expect(message.contains("corpus add") && message.contains("make run"))
        }

        // Adding the same file again re-indexes it with the current algorithm.
        let again = try Ingest(store: old).add(path: Self.text, metadata: .init(id: "moby"))
        #expect(!again.inserted)
        #expect(try old.staleContent().isEmpty)
        let upgraded = try Self.engine(old)
        #expect(upgraded.index.stale == nil)
        #expect(upgraded.check(path: Self.text).verdict == .infringing)
        #expect(try old.postings(of: "moby") == current.postings(of: "moby"))
    }

    @Test func olderFingerprintVersionGivesCorpusStale() throws {
        let dir = try TempDir()
        let store = try CorpusStore(path: dir.path("c.sqlite"))
        _ = try Ingest(store: store).add(path: Corpus.image("scipy__ascent"), metadata: .init(id: "ascent"))
        #expect(try Self.engine(store).check(path: Corpus.image("scipy__ascent")).verdict == .infringing)
        let pdq = try #require(try store.fingerprints(of: "ascent").first { $0.algorithm == "pdq" })
        var older = pdq
        older.version = FingerprintAlgorithm.pdq.version + 1
        try store.replaceFingerprints(of: "ascent", family: "pdq", with: [older])
        let verdict = try Self.engine(store).check(path: Corpus.image("scipy__ascent"))
        #expect(verdict.verdict == .error && verdict.error?.code == EngineError.Code.corpusStale)
        #expect(verdict.error?.message.contains("fingerprints pdq v\(older.version) (1 works)") == true)
    }

    /// Matching reads nothing from the store: a store that loses a work's text after the index
    /// loaded (here removed; a read failure behaves the same) still gives the match.
    @Test func textMatchingDoesNotReadTheStore() throws {
        let dir = try TempDir()
        let store = try CorpusStore(path: dir.path("c.sqlite"))
        _ = try Ingest(store: store).add(path: Self.text, metadata: .init(id: "moby"))
        let engine = try Self.engine(store)
        #expect(try store.remove(id: "moby"))
        #expect(try store.text(of: "moby") == nil)
        let verdict = engine.check(path: Self.text)
        #expect(verdict.verdict == .infringing)
        #expect(verdict.matches.first?.work.id == "moby")
    }

    /// A work with postings but no text cannot be matched: the load fails instead of the match
    /// being dropped into "clear".
    @Test func postingsWithoutTextFailTheLoad() throws {
        let dir = try TempDir()
        let path = dir.path("c.sqlite")
        try CorpusStore.createLegacy(path: path, upTo: "v3-posting-algorithms", sql: """
            INSERT INTO works (id, media_type, sha256, added_at) VALUES ('t', 'text/plain', 'ab', 0);
            INSERT INTO text_postings (work_id, hash, position) VALUES ('t', 11, 0);
            INSERT INTO text_posting_algorithms (work_id, algorithm, version)
            VALUES ('t', '\(FingerprintAlgorithm.textShingles.id)', \(FingerprintAlgorithm.textShingles.version));
            """)
        let store = try CorpusStore(path: path)
        #expect(try store.staleContent().isEmpty)
        do {
            _ = try CorpusIndex(store: store)
            Issue.record("the index loaded a work it cannot match")
        } catch {
            #expect(error.code == EngineError.Code.corpusUnavailable)
            #expect(error.message.contains("'t'"))
        }
    }

    @Test func ingestDecodesAnImageOnce() throws {
        let dir = try TempDir()
        let store = try CorpusStore(path: dir.path("c.sqlite"))
        let counter = DecodeCounter()
        let added = try DecodeCounter.$current.withValue(counter) {
            try Ingest(store: store, thumbnailer: Thumbnail.maker)
                .add(path: Corpus.image("scikit-image__coffee"), metadata: .init(id: "coffee"))
        }
        #expect(added.inserted)
        #expect(counter.decodes == 1, "PDQ, keypoints and the thumbnail from one decode")
        let algorithms = try store.fingerprints(of: "coffee").map(\.algorithm)
        #expect(Set(algorithms) == [FingerprintAlgorithm.pdq.id, FingerprintAlgorithm.localFeatures.id])
        #expect(try store.thumbnail(of: "coffee") != nil)
    }

    /// Crops of registered works, enlarged so that the check decodes them at DCT scale: one decode
    /// serves PDQ and keypoints, the verdicts are those of the full-resolution path (the crops
    /// match their work, unregistered images stay clear), and the evidence is in the pixels of
    /// the full-size submission.
    @Test func scaledJPEGDecodeServesPDQAndKeypoints() throws {
        let dir = try TempDir()
        let store = try CorpusStore(path: dir.path("c.sqlite"))
        let registered = ["lomiri-wallpapers-16.04__Dragonfly_by_Bolly", "lomiri-wallpapers-16.04__Wine_by_Jakkub_Mede",
                          "scipy__face_raccoon", "lomiri-wallpapers-20.04__Kleiber_by_Lukas_Baubkus"]
        let unregistered = ["lomiri-wallpapers-16.04__greentock_by_Peter_Nerlich", "scikit-image__retina"]
        for id in registered { _ = try Ingest(store: store).add(path: Corpus.image(id), metadata: .init(id: id)) }
        let engine = try Self.engine(store)
        for id in registered + unregistered {
            let work = try ImageDecoder.decode(contentsOfFile: Corpus.image(id)).image
            let rect = try GeometricOps.cropRect(width: work.width, height: work.height, fraction: 0.3, anchor: .topLeft)
            let crop = try GeometricOps.crop(work, to: rect).image
            let big = try GeometricOps.scale(crop, x: 3.2, y: 3.2, filter: .bilinear).image
            let bytes = try JPEGEncoder.encode(big, quality: 90)
            let scaled = try ImageDecoder.decode(bytes, minimumSide: PDQ.fastPathMinimumSide,
                                                 minimumLongestSide: LocalFeatureParameters.default.maxSide)
            #expect(scaled.scaleDenominator >= 2, "\(id): the check path decodes at DCT scale")
            #expect(max(scaled.image.width, scaled.image.height) >= LocalFeatureParameters.default.maxSide)

            let counter = DecodeCounter()
            let verdict = DecodeCounter.$current.withValue(counter) { engine.check(bytes: bytes, fileName: "\(id).jpg") }
            #expect(counter.decodes == 1, "\(id): one decode for PDQ and keypoints")
            if unregistered.contains(id) {
                #expect(verdict.verdict == .clear, "\(id)")
                continue
            }
            #expect(verdict.verdict == .infringing, "\(id)")
            let best = try #require(verdict.matches.first)
            #expect(best.work.id == id)
            guard case .localFeatures(let e) = best.evidence else {
                Issue.record("\(id): a 70 % crop is decided by keypoints, not \(best.evidence)")
                continue
            }
            // The copy is the work's top-left 70 % enlarged 3.2×: in full-size pixels.
            let region = try #require(e.region?.submitted)
            #expect(region.x + region.width <= big.width + 1 && region.y + region.height <= big.height + 1)
            #expect(Double(region.width) > 0.75 * Double(big.width), "\(id): region \(region) in a \(big.width)-wide copy")
            let scale = try #require(e.scale)
            #expect(abs(scale - 3.2) < 0.3, "\(id): recovered scale \(scale)")
        }
    }
}
