import Foundation

/// all-MiniLM-L6-v2's forward pass (BERT encoder, mean pooling, L2 normalisation) on the int8-group
/// weights of `Models/minilm-l6-v2`: token ids in, a unit 384-d sentence embedding out. Golden-tested
/// against `Scripts/minilm/reference.py` (see `Tests/Fixtures/minilm/README.md`).
///
/// The caller reads the files (`model.json`, `weights.bin`) and should check `weightsSha256`
/// against the file it read; this type only parses and validates the bytes. A loaded model is
/// immutable and `Sendable`: one copy can serve several threads (each call allocates its own
/// scratch, ~200 KB + 15 KB a token).
public struct MiniLM: Sendable {
    struct Layer: Sendable {
        let query, key, value, attentionOutput, intermediate, output: Int8GroupMatrix
        let queryBias, keyBias, valueBias, attentionOutputBias, intermediateBias, outputBias: [Float]
        let attentionNormGamma, attentionNormBeta, outputNormGamma, outputNormBeta: [Float]
    }

    /// `model` in the manifest, e.g. "all-MiniLM-L6-v2".
    public let modelID: String
    /// The sha256 of `weights.bin` the manifest records (hex), for reports and for the caller's check.
    public let weightsSha256: String
    /// Length of the embedding (the hidden size, 384).
    public let dimension: Int
    /// The most token ids (with [CLS] and [SEP]) one call takes: the model's `maxTokens` (256).
    public let maxTokens: Int
    public let vocabularySize: Int

    let heads, intermediateSize: Int
    let eps: Float
    let wordValues: [Int8]
    let wordScales: [Float]
    let wordGroup: Int
    let positions: [Float]
    let tokenType0: [Float]
    let embeddingGamma, embeddingBeta: [Float]
    let layers: [Layer]

    /// Whether the linear layers round their inputs to int16 (where the CPU has AVX-512 VNNI; see
    /// `NeuralKernels.linear`); otherwise they compute in float32.
    public let int16Activations: Bool

    /// Whether this CPU runs the int16 path (AVX-512 VNNI).
    public static var int16Supported: Bool { NeuralKernels.int16Available }

    /// Parses `model.json` (`manifest`) and `weights.bin` (`weights`). With `dequantiseOnce` the
    /// encoder's matrices are turned into float32 here (56.6 MB held instead of 26.0 MB) rather than
    /// panel by panel in each call, and the arithmetic is float32 (bit for bit what
    /// `int16Activations: false` computes). `int16Activations` (the default, and used only on CPUs with
    /// AVX-512 VNNI) rounds each linear layer's input to int16 per token: 1.6–2.1× faster, embeddings
    /// within 1e-6 in cosine of the float path's on the golden sentences.
    public init(manifest: Data, weights: Data, dequantiseOnce: Bool = false,
                int16Activations: Bool = true) throws(NeuralError) {
        let m: MiniLMManifest
        do {
            m = try JSONDecoder().decode(MiniLMManifest.self, from: manifest)
        } catch {
            throw NeuralError(.manifest, "model.json could not be decoded", underlying: error)
        }
        guard m.format == MiniLMModelFiles.format else {
            throw NeuralError(.unsupported, "format \(m.format), expected \(MiniLMModelFiles.format)")
        }
        let a = m.architecture
        guard a.activation == "gelu-erf", a.pooling == "mean", a.normalize else {
            throw NeuralError(.unsupported, "activation \(a.activation), pooling \(a.pooling), normalize "
                                  + "\(a.normalize): only gelu-erf, mean, true are implemented")
        }
        let panel = Int8GroupMatrix.panelWidth
        guard a.layers > 0, a.heads > 0, a.hidden > 0, a.hidden % a.heads == 0, (a.hidden / a.heads) % 16 == 0,
              a.hidden % panel == 0, a.intermediate > 0, a.intermediate % panel == 0, a.vocab > 0,
              a.maxTokens > 0, a.maxTokens <= a.maxPositions else {
            throw NeuralError(.architecture, "layers \(a.layers), heads \(a.heads), hidden \(a.hidden), "
                                  + "intermediate \(a.intermediate), maxTokens \(a.maxTokens): hidden must split "
                                  + "into heads of a multiple of 16 and both widths be multiples of \(panel)")
        }
        var table: [String: MiniLMManifest.Tensor] = [:]
        for t in m.tensors { table[t.name] = t }
        let result = weights.withUnsafeBytes { raw in
            Result { () throws(NeuralError) -> MiniLM in
                try MiniLM(manifest: m, reader: MiniLMTensorReader(table: table, weights: raw),
                           dequantiseOnce: dequantiseOnce, int16Activations: int16Activations && !dequantiseOnce)
            }
        }
        self = try result.get()
    }

    private init(manifest m: MiniLMManifest, reader r: MiniLMTensorReader, dequantiseOnce: Bool,
                 int16Activations: Bool) throws(NeuralError) {
        try r.validateAll()
        self.int16Activations = int16Activations
        let a = m.architecture, h = a.hidden, i = a.intermediate
        modelID = m.model
        weightsSha256 = m.weightsSha256
        dimension = h
        maxTokens = a.maxTokens
        vocabularySize = a.vocab
        heads = a.heads
        intermediateSize = i
        eps = Float(a.layerNormEps)
        let words = try r.int8Groups("embeddings.word_embeddings.weight", rows: a.vocab, cols: h)
        wordValues = words.values
        wordScales = words.scales
        wordGroup = words.groupSize
        positions = try r.float32("embeddings.position_embeddings.weight", shape: [a.maxPositions, h])
        guard let types = r.table["embeddings.token_type_embeddings.weight"], types.shape.count == 2,
              types.shape[0] >= 1 else {
            throw NeuralError(.missingTensor, "embeddings.token_type_embeddings.weight is missing or empty")
        }
        tokenType0 = Array(try r.float32("embeddings.token_type_embeddings.weight",
                                         shape: [types.shape[0], h]).prefix(h))
        embeddingGamma = try r.float32("embeddings.LayerNorm.weight", shape: [h])
        embeddingBeta = try r.float32("embeddings.LayerNorm.bias", shape: [h])

        func matrix(_ name: String, rows: Int, cols: Int) throws(NeuralError) -> Int8GroupMatrix {
            let (values, scales, group) = try r.int8Groups(name, rows: rows, cols: cols)
            let built = values.withUnsafeBufferPointer { v in
                scales.withUnsafeBufferPointer { s in
                    Int8GroupMatrix(values: v, scales: s, rows: rows, cols: cols, groupSize: group,
                                    dequantiseOnce: dequantiseOnce)
                }
            }
            guard let built else { throw NeuralError(.tensorShape, "\(name): [\(rows), \(cols)] groups of \(group)") }
            return built
        }
        var layers: [Layer] = []
        for l in 0..<a.layers {
            let p = "encoder.layer.\(l)."
            layers.append(Layer(
                query: try matrix(p + "attention.self.query.weight", rows: h, cols: h),
                key: try matrix(p + "attention.self.key.weight", rows: h, cols: h),
                value: try matrix(p + "attention.self.value.weight", rows: h, cols: h),
                attentionOutput: try matrix(p + "attention.output.dense.weight", rows: h, cols: h),
                intermediate: try matrix(p + "intermediate.dense.weight", rows: i, cols: h),
                output: try matrix(p + "output.dense.weight", rows: h, cols: i),
                queryBias: try r.float32(p + "attention.self.query.bias", shape: [h]),
                keyBias: try r.float32(p + "attention.self.key.bias", shape: [h]),
                valueBias: try r.float32(p + "attention.self.value.bias", shape: [h]),
                attentionOutputBias: try r.float32(p + "attention.output.dense.bias", shape: [h]),
                intermediateBias: try r.float32(p + "intermediate.dense.bias", shape: [i]),
                outputBias: try r.float32(p + "output.dense.bias", shape: [h]),
                attentionNormGamma: try r.float32(p + "attention.output.LayerNorm.weight", shape: [h]),
                attentionNormBeta: try r.float32(p + "attention.output.LayerNorm.bias", shape: [h]),
                outputNormGamma: try r.float32(p + "output.LayerNorm.weight", shape: [h]),
                outputNormBeta: try r.float32(p + "output.LayerNorm.bias", shape: [h])))
        }
        self.layers = layers
    }

    /// Bytes of weights this model holds in memory (each daemon worker's copy).
    public var residentBytes: Int {
        let perLayer = layers.reduce(0) { sum, l in
            sum + [l.query, l.key, l.value, l.attentionOutput, l.intermediate, l.output].reduce(0) { $0 + $1.residentBytes }
                + 4 * (l.queryBias.count + l.keyBias.count + l.valueBias.count + l.attentionOutputBias.count
                    + l.intermediateBias.count + l.outputBias.count + 4 * l.outputNormGamma.count)
        }
        return perLayer + wordValues.count + 4 * (wordScales.count + positions.count + tokenType0.count
                                                  + embeddingGamma.count + embeddingBeta.count)
    }
}
