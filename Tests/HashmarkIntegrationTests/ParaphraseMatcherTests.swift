import Foundation
@_spi(Testing) import HashmarkEngine
import HashmarkNeural
import HashmarkReport
import HashmarkStore
import Testing

/// The paraphrase matcher through `Engine.check`, on real works and a language-model rewrite from
/// `Tests/Fixtures/paraphrase` (its README): found sentence by sentence with byte spans into both
/// texts; same-topic and unrelated texts stay clear; verbatim copies stay with the passage aligner;
/// without the sentence model nothing changes for texts.
@Suite("Paraphrase matcher")
struct ParaphraseMatcherTests {
    static let works = ["sword-text-web__WEB_Micah", "r-cran-janeaustenr__austen_emma_02", "r-cran-tokenizers__mobydick_03"]
    static let fixtures = CLI.repoRoot.appendingPathComponent("Tests/Fixtures/paraphrase")
    static let modelFolder = CLI.repoRoot.appendingPathComponent("Models/minilm-l6-v2").path
    /// Project-written filler (CC0): release notes and a weather report, unrelated to every work.
    static let before = "The release notes for version two of the scheduler were published on Tuesday. Most of the "
        + "changes concern how background jobs are retried after a failure, and the dashboard now shows queue depth."
    static let after = "Rain is expected across the northern valleys for the rest of the week. Commuters are "
        + "advised to allow extra time on the coastal road, where two lanes remain closed for repairs."

    static func engine(semantic: Bool = true) throws -> (Engine, TempDir) {
        let dir = try TempDir()
        let store = try CorpusStore(path: dir.path("corpus.sqlite"))
        for id in works { _ = try Ingest(store: store).add(path: Corpus.text(id), metadata: .init(id: id)) }
        let model = semantic ? try SemanticModel(folder: modelFolder) : nil
        return (Engine(index: try CorpusIndex(store: store), model: .defaults, semantic: model), dir)
    }

    static func fixture(_ id: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent("texts/\(id).txt"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func check(_ engine: Engine, _ passage: String) -> VerdictReport {
        engine.check(bytes: Array([before, passage, after].joined(separator: "\n\n").utf8), fileName: "submission.txt")
    }

    @Test func aRewrittenPassageIsFoundSentenceBySentence() throws {
        let (engine, _) = try Self.engine()
        let passage = try Self.fixture("webmicah-lm-paraphrase-1")
        let verdict = Self.check(engine, passage)
        #expect(verdict.verdict == .infringing)
        let match = try #require(verdict.decisiveMatches.first { $0.work.id == "sword-text-web__WEB_Micah" })
        guard case .paraphrase(let e) = match.evidence else { Issue.record("\(match.matcher)"); return }
        #expect(match.matcher == "sentence-align")
        #expect(e.seedPairs >= 4 && e.meanSimilarity >= 0.6 && e.sourceWords >= 60, "\(e.seedPairs) \(e.meanSimilarity)")
        #expect(e.embeddingModel == "all-MiniLM-L6-v2" && e.embeddingModelSha256.count == 64)
        // The passages lie inside the rewrite in the submission and overlap its source span
        // (Micah 3, manifest-a.csv: bytes 9,990 … 11,220 of the work).
        let submitted = Array([Self.before, passage, Self.after].joined(separator: "\n\n").utf8)
        let rewrite = (Self.before.utf8.count + 2)..<(Self.before.utf8.count + 2 + passage.utf8.count)
        let row = try #require(try Self.manifestRow("webmicah-lm-paraphrase-1"))
        let source = row.offset..<(row.offset + row.length)
        for p in e.passages {
            #expect(rewrite.contains(p.submitted.offset) && rewrite.contains(p.submitted.offset + p.submitted.length - 1))
            #expect((p.source.offset..<(p.source.offset + p.source.length)).overlaps(source))
            for pair in p.pairs {
                let sentence = String(decoding: submitted[pair.submitted.offset..<(pair.submitted.offset + pair.submitted.length)],
                                      as: UTF8.self)
                #expect(passage.contains(sentence), "\(sentence)")
            }
        }
    }

    @Test func sameTopicAndUnrelatedTextsStayClear() throws {
        let (engine, _) = try Self.engine()
        for text in [try Self.fixture("webmicah-same-topic-1"), try Self.fixture("webamos-same-topic-1"),
                     "Call the plumber before noon. The boiler has been making a knocking sound since Sunday, "
                        + "and the landlord wants a written estimate. Keep the receipts in the blue folder."] {
            let verdict = Self.check(engine, text)
            #expect(verdict.verdict == .clear, "\(verdict.matches.map { ($0.work.id, $0.matcher, $0.score) })")
            #expect(!verdict.matches.contains { $0.isMatch == true })
        }
    }

    @Test func verbatimCopiesStayWithThePassageAligner() throws {
        let (engine, _) = try Self.engine()
        let micah = try String(contentsOfFile: Corpus.text("sword-text-web__WEB_Micah"), encoding: .utf8)
        let copy = String(decoding: Array(micah.utf8.dropFirst(9_990).prefix(1_200)), as: UTF8.self)
        let verdict = Self.check(engine, copy)
        #expect(verdict.verdict == .infringing)
        #expect(verdict.matches.contains { $0.matcher == "text-align" && $0.isMatch == true })
        #expect(!verdict.matches.contains { $0.matcher == "sentence-align" && $0.work.id == "sword-text-web__WEB_Micah" })
    }

    @Test func withoutTheSentenceModelTextsGetNoParaphraseMatches() throws {
        let (engine, _) = try Self.engine(semantic: false)
        #expect(engine.semantic == nil)
        let verdict = Self.check(engine, try Self.fixture("webmicah-lm-paraphrase-1"))
        #expect(!verdict.matches.contains { $0.matcher == "sentence-align" })
    }

    @Test func aModelFileWithoutParaphraseGetsTheDefaultsAndRoundTrips() throws {
        var json = try JSONSerialization.jsonObject(with: ModelFile.encoder.encode(DecisionModel.defaults)) as! [String: Any]
        json.removeValue(forKey: "paraphrase")
        let old = try JSONDecoder().decode(DecisionModel.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(old.paraphrase == .default)
        let again = try JSONDecoder().decode(DecisionModel.self, from: ModelFile.encoder.encode(DecisionModel.defaults))
        #expect(again == DecisionModel.defaults)
    }

    /// Where the CPU has no AVX-512 VNNI (the int16 path off), the loaded transformer holds float32
    /// matrices dequantised once at load, and embeds bit for bit as the per-call path does.
    @Test func withoutVNNITheMatricesAreDequantisedOnceAtLoad() throws {
        let model = try SemanticModel(folder: Self.modelFolder)
        #expect(SemanticModel.dequantiseOnce == !MiniLM.int16Supported)
        let folder = URL(fileURLWithPath: Self.modelFolder)
        let perCall = try MiniLM(manifest: Data(contentsOf: folder.appendingPathComponent("model.json")),
                                 weights: Data(contentsOf: folder.appendingPathComponent("weights.bin")), dequantiseOnce: false)
        #expect((model.transformer.residentBytes > perCall.residentBytes) == SemanticModel.dequantiseOnce)
        for sentence in [Self.before, Self.after] {
            let ids = model.tokenizer.encode(sentence, maxTokens: model.transformer.maxTokens)
            #expect(try model.transformer.embed(tokenIDs: ids).map(\.bitPattern) == perCall.embed(tokenIDs: ids).map(\.bitPattern))
        }
    }

    @Test func aDamagedModelFolderIsRefusedByName() throws {
        let dir = try TempDir()
        for name in ["model.json", "weights.bin", "vocab.txt", "static.json", "static.bin"] {
            try FileManager.default.copyItem(atPath: Self.modelFolder + "/" + name, toPath: dir.path(name))
        }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dir.path("static.bin")))
        bytes[100] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: dir.path("static.bin")))
        #expect { try SemanticModel(folder: dir.path("")) } throws: { error in
            guard let e = error as? EngineError else { return false }
            return e.code == EngineError.Code.semanticModelInvalid && e.message.contains("static.bin")
        }
        try FileManager.default.removeItem(atPath: dir.path("vocab.txt"))
        #expect { try SemanticModel(folder: dir.path("")) } throws: { error in
            (error as? EngineError)?.code == EngineError.Code.semanticModelUnavailable
        }
    }

    /// The first stage (static windows, chained regions, the gate) against the oracle that
    /// verifies every work in full: of the works the oracle matches for the English
    /// language-model rewrites of the three manifests, the staged search must match as many (its
    /// recall), on a corpus of all their source works.
    @Test func stagedSearchRecallAgainstTheExhaustiveOracle() throws {
        let rows = try Self.englishRewrites()
        let dir = try TempDir()
        let store = try CorpusStore(path: dir.path("corpus.sqlite"))
        for id in Set(rows.compactMap { $0["source_work"] }).sorted() {
            _ = try Ingest(store: store).add(path: Corpus.text(id), metadata: .init(id: id))
        }
        let staged = Engine(index: try CorpusIndex(store: store), model: .defaults,
                            semantic: try SemanticModel(folder: Self.modelFolder))
        var oracle = staged
        oracle.exhaustiveParaphraseSearch = true
        var found = 0, foundByOracle = 0, both = 0
        for row in rows {
            let passage = try Self.fixture(row["id"] ?? "")
            let expected = row["source_work"] ?? ""
            let a = Self.check(staged, passage).decisiveMatches.contains { $0.work.id == expected }
            let b = Self.check(oracle, passage).decisiveMatches.contains { $0.work.id == expected }
            found += a ? 1 : 0
            foundByOracle += b ? 1 : 0
            both += a && b ? 1 : 0
        }
        let recall = Double(both) / Double(max(1, foundByOracle))
        print("paraphrase first stage: staged \(found), oracle \(foundByOracle), both \(both) of \(rows.count); recall \(recall)")
        #expect(rows.count >= 60 && foundByOracle >= rows.count * 3 / 4, "the oracle itself found \(foundByOracle) of \(rows.count)")
        // Issue #17 asks 0.98: the shipped rule (4 regions, chain score ≥ 2, gate 0.6 on 4 pairs)
        // measures 54 of 55 (0.982) here; the one it misses is a loose rewrite of Twelfth Night
        // (3 regions: 53, Macbeth's loose rewrite lost too).
        #expect(recall >= 0.98, "staged \(found), oracle \(foundByOracle), both \(both)")
    }

    /// The gate's floors (a region whose closest static pair is plainly unrelated by transformer is
    /// dropped without embedding the rest; one whose closest pair is far apart even by static
    /// vector, without embedding anything) only save work: on every English language-model
    /// rewrite of the three manifests, the shipped rule matches exactly what it matches with both
    /// floors off.
    @Test func theGateFloorLosesNoRewrite() throws {
        let rows = try Self.englishRewrites()
        let dir = try TempDir()
        let store = try CorpusStore(path: dir.path("corpus.sqlite"))
        for id in Set(rows.compactMap { $0["source_work"] }).sorted() {
            _ = try Ingest(store: store).add(path: Corpus.text(id), metadata: .init(id: id))
        }
        let index = try CorpusIndex(store: store), semantic = try SemanticModel(folder: Self.modelFolder)
        var noFloor = DecisionModel.defaults
        noFloor.paraphrase.gateFloor = -1
        noFloor.paraphrase.gateStaticFloor = -1
        #expect(DecisionModel.defaults.paraphrase.gateFloor > -1 && DecisionModel.defaults.paraphrase.gateStaticFloor > -1)
        let shipped = Engine(index: index, model: .defaults, semantic: semantic)
        try ModelFile.encoder.encode(noFloor).write(to: URL(fileURLWithPath: dir.path("no-floor.json")))
        let unfloored = Engine(index: index, model: try LoadedModel.load(path: dir.path("no-floor.json")), semantic: semantic)
        var matched = 0
        for row in rows {
            let passage = try Self.fixture(row["id"] ?? "")
            let a = Self.check(shipped, passage).decisiveMatches.map(\.work.id).sorted()
            let b = Self.check(unfloored, passage).decisiveMatches.map(\.work.id).sorted()
            #expect(a == b, "\(row["id"] ?? "")")
            matched += a.contains(row["source_work"] ?? "") ? 1 : 0
        }
        #expect(rows.count >= 60 && matched >= rows.count * 3 / 4, "\(matched) of \(rows.count)")
    }

    /// The English language-model rewrites of the three manifests (68 rows).
    static func englishRewrites() throws -> [[String: String]] {
        var rows: [[String: String]] = []
        for name in ["manifest-a.csv", "manifest-b.csv", "manifest-c.csv"] {
            let table = try CSVTable.read(path: fixtures.appendingPathComponent(name).path, required: ["id"])
            rows += table.rows.filter { $0["kind"]?.hasPrefix("lm-") == true && $0["language"] == "en" }
        }
        return rows
    }

    static func manifestRow(_ id: String) throws -> (offset: Int, length: Int)? {
        let table = try CSVTable.read(path: fixtures.appendingPathComponent("manifest-a.csv").path, required: ["id"])
        guard let row = table.rows.first(where: { $0["id"] == id }), let o = Int(row["source_offset"] ?? ""),
              let l = Int(row["source_length"] ?? "") else { return nil }
        return (o, l)
    }
}
