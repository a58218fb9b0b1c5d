import Foundation
@_spi(Testing) import HashmarkNeural
import Testing

/// The Swift forward pass against `Scripts/minilm/embedding_goldens.py`: for each of the fixture's
/// sentences (token ids from the reference tokenizer), the embedding must match the NumPy reference
/// on the same dequantised weights (max abs difference ≤ 1e-3 per dimension, cosine ≥ 0.9999) and
/// the published float32 model (cosine ≥ 0.999).
@Suite("MiniLM forward pass against the Python reference")
struct MiniLMGoldenTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let modelFolder = root.appendingPathComponent("Models/" + MiniLMModelFiles.folder)
    static let fixtures = root.appendingPathComponent("Tests/Fixtures/minilm")

    static func files() throws -> (manifest: Data, weights: Data) {
        (try Data(contentsOf: modelFolder.appendingPathComponent("model.json")),
         try Data(contentsOf: modelFolder.appendingPathComponent("weights.bin")))
    }

    struct Golden {
        let index: Int
        let source: String
        let text: String
        let ids: [Int32]
        let dequantised: [Float]
        let float32: [Float]
    }

    static func goldens(dimension: Int) throws -> [Golden] {
        let tsv = try String(contentsOf: fixtures.appendingPathComponent("embeddings.tsv"), encoding: .utf8)
        let a = try floats(fixtures.appendingPathComponent("embeddings-dequantised.f32"))
        let b = try floats(fixtures.appendingPathComponent("embeddings-float32.f32"))
        let rows = tsv.split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        try #require(a.count == rows.count * dimension && b.count == a.count)
        return try rows.enumerated().map { i, cols in
            let ids = try cols[4].split(separator: " ").map { try #require(Int32($0)) }
            try #require(ids.count == Int(cols[3]))
            let slice = (i * dimension)..<((i + 1) * dimension)
            return Golden(index: i, source: String(cols[1]), text: String(cols[5]), ids: ids,
                          dequantised: Array(a[slice]), float32: Array(b[slice]))
        }
    }

    static func floats(_ url: URL) throws -> [Float] {
        let data = try Data(contentsOf: url)
        return (0..<(data.count / 4)).map { i in
            Float(bitPattern: UInt32(littleEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self) }))
        }
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) { dot += Double(x) * Double(y); na += Double(x) * Double(x); nb += Double(y) * Double(y) }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    /// Both arithmetics: int16 activations (the default where the CPU has AVX-512 VNNI) and float32.
    @Test(arguments: [true, false])
    func embeddingsMatchTheReference(int16: Bool) throws {
        let (manifest, weights) = try Self.files()
        let model = try MiniLM(manifest: manifest, weights: weights, int16Activations: int16)
        #expect(model.dimension == 384 && model.maxTokens == 256 && model.modelID == "all-MiniLM-L6-v2")
        let goldens = try Self.goldens(dimension: model.dimension)
        #expect(goldens.count >= 100)
        var worstDiff: Float = 0, worstCos = 1.0, worstCos32 = 1.0
        for g in goldens {
            let e = try model.embed(tokenIDs: g.ids)
            let diff = zip(e, g.dequantised).map { abs($0 - $1) }.max() ?? .infinity
            let cos = Self.cosine(e, g.dequantised), cos32 = Self.cosine(e, g.float32)
            #expect(diff <= 1e-3, "sentence \(g.index) (\(g.source), \(g.ids.count) tokens): max abs diff \(diff)")
            #expect(cos >= 0.9999, "sentence \(g.index) (\(g.source)): cosine \(cos) vs the dequantised reference")
            #expect(cos32 >= 0.999, "sentence \(g.index) (\(g.source)): cosine \(cos32) vs the float32 model")
            worstDiff = max(worstDiff, diff)
            worstCos = min(worstCos, cos)
            worstCos32 = min(worstCos32, cos32)
        }
        print("MiniLM goldens (\(int16 && NeuralKernels.int16Available ? "int16" : "float32") activations): "
              + "\(goldens.count) sentences, worst max abs diff \(worstDiff), worst cosine \(worstCos) "
              + "(dequantised reference), \(worstCos32) (float32 model)")
    }

    /// Sentences embedded together (their tokens sharing every linear layer's pass, attention kept
    /// within each) get exactly what each gets alone, in both arithmetics, whatever the batch.
    @Test(arguments: [true, false])
    func aBatchGivesEachSentenceItsOwnEmbeddingBitForBit(int16: Bool) throws {
        let (manifest, weights) = try Self.files()
        let model = try MiniLM(manifest: manifest, weights: weights, int16Activations: int16)
        let goldens = try Self.goldens(dimension: model.dimension)
        let alone = try goldens.map { try model.embed(tokenIDs: $0.ids) }
        var start = 0, size = 1
        while start < goldens.count {
            let range = start..<min(goldens.count, start + size)
            let together = try model.embed(batch: range.map { goldens[$0].ids })
            for (i, e) in zip(range, together) { #expect(e == alone[i], "sentence \(i) in a batch of \(range.count)") }
            start = range.upperBound
            size = size % 13 + 2  // batches of 1, 3, 5, …, 13, 2, 4, …
        }
        #expect(try model.embed(batch: []).isEmpty)
        #expect(throws: NeuralError.self) { try model.embed(batch: [goldens[0].ids, [Int32(model.vocabularySize)]]) }
    }

    /// Text in, embedding out: our tokenizer gives the reference's ids for every golden sentence,
    /// so the two halves tested apart also hold together.
    @Test func ourTokenizerFeedsTheForwardPassTheReferenceIds() throws {
        let (manifest, weights) = try Self.files()
        let model = try MiniLM(manifest: manifest, weights: weights)
        let vocabulary = try String(contentsOf: Self.modelFolder.appendingPathComponent("vocab.txt"), encoding: .utf8)
        let tokenizer = try WordPieceTokenizer(vocabulary: vocabulary)
        for g in try Self.goldens(dimension: model.dimension) {
            let ids = tokenizer.encode(g.text, maxTokens: model.maxTokens)
            #expect(ids == g.ids, "sentence \(g.index) (\(g.source))")
            guard ids == g.ids else { continue }
            #expect(Self.cosine(try model.embed(tokenIDs: ids), g.dequantised) >= 0.9999)
        }
    }

    @Test func dequantisingOnceGivesTheSameEmbeddings() throws {
        let (manifest, weights) = try Self.files()
        let onTheFly = try MiniLM(manifest: manifest, weights: weights, int16Activations: false)
        let once = try MiniLM(manifest: manifest, weights: weights, dequantiseOnce: true)
        for g in try Self.goldens(dimension: 384).prefix(8) {
            #expect(try once.embed(tokenIDs: g.ids) == onTheFly.embed(tokenIDs: g.ids), "sentence \(g.index)")
        }
        #expect(once.residentBytes > onTheFly.residentBytes + 30_000_000)
    }

    @Test func truncatedWeightsAreATypedError() throws {
        let (manifest, weights) = try Self.files()
        for keep in [0, 1000, weights.count / 2, weights.count - 1] {
            #expect {
                _ = try MiniLM(manifest: manifest, weights: weights.prefix(keep))
            } throws: { ($0 as? NeuralError)?.code == .truncatedWeights }
        }
        #expect { _ = try MiniLM(manifest: Data("{\"format\": 1}".utf8), weights: weights) }
            throws: { ($0 as? NeuralError)?.code == .manifest }
        var other = try #require(try JSONSerialization.jsonObject(with: manifest) as? [String: Any])
        var tensors = try #require(other["tensors"] as? [[String: Any]])
        tensors.removeAll { ($0["name"] as? String) == "encoder.layer.3.output.dense.weight" }
        other["tensors"] = tensors
        #expect { _ = try MiniLM(manifest: try JSONSerialization.data(withJSONObject: other), weights: weights) }
            throws: { ($0 as? NeuralError)?.code == .missingTensor }
    }

    @Test func invalidTokenIDsAreATypedError() throws {
        let (manifest, weights) = try Self.files()
        let model = try MiniLM(manifest: manifest, weights: weights)
        for ids: [Int32] in [[], [101, 30522, 102], [101, -1, 102], [Int32](repeating: 1000, count: 257)] {
            #expect { _ = try model.embed(tokenIDs: ids) } throws: { ($0 as? NeuralError)?.code == .invalidInput }
        }
        let longest = try model.embed(tokenIDs: [Int32](repeating: 1000, count: 256))
        #expect(abs(longest.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
    }
}
