import Foundation
@_spi(Testing) import HashmarkEngine
import HashmarkFingerprint
import HashmarkStore
import Testing

/// Text works' sentence embeddings stored at registration: the transformer's own vectors, read
/// by matching instead of computed (same verdicts, no corpus sentence embedded), brought up to
/// date when a file is added again, and a malformed row fails the load as other rows do.
@Suite("Stored sentence embeddings")
struct StoredSentenceEmbeddingsTests {
    static let micah = "sword-text-web__WEB_Micah"

    static func model() throws -> SemanticModel { try SemanticModel(folder: ParaphraseMatcherTests.modelFolder) }

    /// The transformer's embedding of `text`, through the public API only.
    static func embed(_ model: SemanticModel, _ text: String) throws -> [Float] {
        try model.transformer.embed(tokenIDs: model.tokenizer.encode(text, maxTokens: model.transformer.maxTokens))
    }

    static func stored(_ store: CorpusStore, _ id: String, _ model: SemanticModel) throws -> [StoredFingerprint] {
        try store.fingerprints(of: id).filter { $0.algorithm.hasPrefix(FingerprintAlgorithm.sentenceEmbeddingsFamily) }
    }

    @Test func theCodecRoundTripsAndRejectsMalformedRows() throws {
        let e = StoredSentenceEmbeddings(dimension: 2, keys: [7, 1 << 63], vectors: [0.5, -1, 3, 0])
        #expect(StoredSentenceEmbeddings(encoded: e.encoded()) == e)
        let bytes = e.encoded()
        #expect(StoredSentenceEmbeddings(encoded: Array(bytes.dropLast())) == nil)
        #expect(StoredSentenceEmbeddings(encoded: Array("X".utf8) + bytes.dropFirst()) == nil)
        var nan = bytes
        nan.replaceSubrange((nan.count - 4)..., with: [0, 0, 0xC0, 0x7F])
        #expect(StoredSentenceEmbeddings(encoded: nan) == nil)
        // SHA-256("abc") starts ba 78 16 bf 8f 01 cf ea.
        #expect(StoredSentenceEmbeddings.key(of: Array("abc".utf8)) == 0xEACF_018F_BF16_78BA)
    }

    @Test func registrationStoresEveryDistinctSentenceAsTheTransformerEmbedsIt() throws {
        let dir = try TempDir(), model = try Self.model()
        let store = try CorpusStore(path: dir.path("c.sqlite"))
        var ingest = Ingest(store: store)
        ingest.semantic = model
        _ = try ingest.add(path: Corpus.text(Self.micah), metadata: .init(id: "micah"))
        let rows = try Self.stored(store, "micah", model)
        #expect(rows.map(\.algorithm) == [model.embeddingsAlgorithm.id])
        let row = try #require(rows.first)
        let stored = try #require(StoredSentenceEmbeddings(encoded: row.data))
        let text = try String(contentsOfFile: Corpus.text(Self.micah), encoding: .utf8)
        let utf8 = Array(text.utf8)
        let sentences = SentenceSplitter.split(text).map { String(decoding: utf8[$0.range], as: UTF8.self) }
        #expect(stored.keys.count == Set(sentences).count && stored.keys.count > 100)
        #expect(stored.dimension == model.transformer.dimension)
        for sentence in sentences.prefix(8) + sentences.suffix(2) {
            let i = try #require(stored.keys.firstIndex(of: StoredSentenceEmbeddings.key(of: Array(sentence.utf8))))
            #expect(Array(stored.vectors[(i * stored.dimension)..<((i + 1) * stored.dimension)]) == (try Self.embed(model, sentence)))
        }
        // The threads only share out the work: one thread stores the same bytes.
        #expect(model.sentenceEmbeddings(of: text, threads: 1) == stored)
    }

    @Test func matchingReadsThemAndDecidesExactlyAsWhenItComputesThem() throws {
        let model = try Self.model()
        func engine(storing: Bool) throws -> (Engine, TempDir) {
            let dir = try TempDir()
            let store = try CorpusStore(path: dir.path("c.sqlite"))
            var ingest = Ingest(store: store)
            ingest.semantic = storing ? model : nil
            for id in ParaphraseMatcherTests.works { _ = try ingest.add(path: Corpus.text(id), metadata: .init(id: id)) }
            return (Engine(index: try CorpusIndex(store: store), model: .defaults, semantic: model), dir)
        }
        let (stored, _) = try engine(storing: true), (computed, _) = try engine(storing: false)
        let s = try #require(stored.semantic), c = try #require(computed.semantic)
        #expect(s.storedSentenceCount == s.sentenceCount && c.storedSentenceCount == 0)
        var infringing = 0
        for id in ["webmicah-lm-paraphrase-1", "webmicah-same-topic-1", "webamos-same-topic-1"] {
            let text = try ParaphraseMatcherTests.fixture(id)
            let a = ParaphraseMatcherTests.check(stored, text), b = ParaphraseMatcherTests.check(computed, text)
            #expect(a.verdict == b.verdict && a.matches == b.matches, "\(id)")
            if a.verdict == .infringing { infringing += 1 }
        }
        #expect(infringing == 1, "the rewrite is found, the same-topic texts are not")
        #expect(s.computedEmbeddings == 0, "every corpus sentence was read from the store")
        #expect(c.computedEmbeddings > 10)
    }

    @Test func addingAFileAgainStoresWhatIsMissingOnce() throws {
        let dir = try TempDir(), model = try Self.model()
        let store = try CorpusStore(path: dir.path("c.sqlite"))
        _ = try Ingest(store: store).add(path: Corpus.text(Self.micah), metadata: .init(id: "micah"))
        #expect(try Self.stored(store, "micah", model).isEmpty)
        // Another model's vectors are left aside by the index, then replaced on re-adding.
        let other = StoredFingerprint(algorithm: FingerprintAlgorithm.sentenceEmbeddingsFamily + "other@000000000000", version: 1,
                                      data: StoredSentenceEmbeddings(dimension: 1, keys: [1], vectors: [1]).encoded())
        try store.replaceFingerprints(of: "micah", family: FingerprintAlgorithm.sentenceEmbeddingsFamily, with: [other])
        let index = try CorpusIndex(store: store)
        #expect(index.stale == nil)
        #expect(Engine(index: index, model: .defaults, semantic: model).semantic?.storedSentenceCount == 0)

        var ingest = Ingest(store: store)
        ingest.semantic = model
        #expect(try !ingest.add(path: Corpus.text(Self.micah), metadata: .init(id: "micah")).inserted)
        #expect(try Self.stored(store, "micah", model).map(\.algorithm) == [model.embeddingsAlgorithm.id])
        let version = try store.snapshot()
        #expect(try !ingest.add(path: Corpus.text(Self.micah), metadata: .init(id: "micah")).inserted)
        #expect(try store.snapshot() == version, "nothing more to store, nothing written")
        let upgraded = Engine(index: try CorpusIndex(store: store), model: .defaults, semantic: model).semantic
        #expect(upgraded.map { $0.storedSentenceCount == $0.sentenceCount } == true)
    }

    @Test func aMalformedRowFailsTheLoad() throws {
        let dir = try TempDir(), model = try Self.model()
        let store = try CorpusStore(path: dir.path("c.sqlite"))
        _ = try Ingest(store: store).add(path: Corpus.text(Self.micah), metadata: .init(id: "micah"))
        let algorithm = model.embeddingsAlgorithm
        try store.replaceFingerprints(of: "micah", family: algorithm.family,
                                      with: [StoredFingerprint(algorithm: algorithm.id, version: 1, data: [1, 2, 3])])
        #expect {
            try CorpusIndex(store: store)
        } throws: { ($0 as? EngineError)?.code == EngineError.Code.corpusUnavailable }
    }

    @Test func theCommandLineStoresThemWhenAsked() throws {
        let dir = try TempDir()
        let db = dir.path("c.sqlite")
        func rows() throws -> [String: Int] {
            let stats = try CLI.run(["corpus", "stats", "--json", "--db", db])
            let all = ((stats.jsonLines.first?["stats"] as? [String: Any])?["fingerprintsByAlgorithm"] as? [String: Int]) ?? [:]
            return all.filter { $0.key.hasPrefix(FingerprintAlgorithm.sentenceEmbeddingsFamily) }
        }
        let ruth = Corpus.text("sword-text-web__WEB_Ruth")
        #expect(try CLI.run(["corpus", "add", "--db", db, ruth]).stdout.contains("added 1"))
        #expect(try rows().isEmpty, "registration is fast by default: the matcher embeds what it needs")
        #expect(try CLI.run(["corpus", "add", "--db", db, "--embed-sentences", ruth]).stdout.contains("added 0, unchanged 1"))
        #expect(try rows() == [try Self.model().embeddingsAlgorithm.id: 1])
    }

    /// The daemon says at start how many corpus sentences its workers index and how many of
    /// them are stored, and how to store the rest.
    @Test func theDaemonSaysHowManyAreStored() throws {
        let dir = try TempDir()
        let db = dir.path("c.sqlite"), ruth = Corpus.text("sword-text-web__WEB_Ruth")
        #expect(try CLI.run(["corpus", "add", "--db", db, ruth]).status == 0)
        func readyLine() throws -> (ready: String, log: String) {
            let keys = try TempDir(), daemon = try RunningDaemon(db: db, keyDir: keys)
            daemon.stop()
            let log = try withExtendedLifetime(keys) { try String(contentsOfFile: daemon.log, encoding: .utf8) }
            return (log.split(separator: "\n").first { $0.contains(" ready ") }.map(String.init) ?? "", log)
        }
        let before = try readyLine()
        let sentences = try #require(before.ready.firstMatch(of: /sentences=(\d+)/).flatMap { Int($0.1) })
        #expect(sentences > 50 && before.ready.contains("storedSentences=0"), "\(before.ready)")
        #expect(before.log.contains("\(sentences) of the corpus's \(sentences) sentences have no stored embedding"))
        #expect(try CLI.run(["corpus", "add", "--db", db, "--embed-sentences", ruth]).status == 0)
        let after = try readyLine()
        #expect(after.ready.contains("sentences=\(sentences)") && after.ready.contains("storedSentences=\(sentences)"), "\(after.ready)")
        #expect(!after.log.contains("no stored embedding"))
    }
}
