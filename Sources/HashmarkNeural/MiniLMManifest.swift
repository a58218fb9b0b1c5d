import Foundation

/// `model.json` as `Scripts/minilm/convert.py` writes it (format `hashmark.weights/1`): the
/// architecture and the tensor table of `weights.bin`.
struct MiniLMManifest: Decodable {
    struct Architecture: Decodable {
        let layers: Int
        let heads: Int
        let hidden: Int
        let intermediate: Int
        let vocab: Int
        let maxPositions: Int
        let layerNormEps: Double
        let activation: String
        let pooling: String
        let normalize: Bool
        let maxTokens: Int
    }

    struct Tensor: Decodable {
        let name: String
        let dtype: String
        let shape: [Int]
        let offset: Int
        let scaleOffset: Int?
        let groupSize: Int?
    }

    let format: String
    let model: String
    let architecture: Architecture
    let tensors: [Tensor]
    let weightsSha256: String
}

/// The tensor table over the bytes of `weights.bin`, checking each tensor as it is taken out.
struct MiniLMTensorReader {
    let table: [String: MiniLMManifest.Tensor]
    let weights: UnsafeRawBufferPointer

    func entry(_ name: String, shape: [Int], dtype: String) throws(NeuralError) -> MiniLMManifest.Tensor {
        guard let t = table[name] else { throw NeuralError(.missingTensor, "\(name) is not in model.json") }
        guard t.shape == shape else {
            throw NeuralError(.tensorShape, "\(name) has shape \(t.shape), expected \(shape)")
        }
        guard t.dtype == dtype else {
            throw NeuralError(.tensorShape, "\(name) has dtype \(t.dtype), expected \(dtype)")
        }
        return t
    }

    func range(_ name: String, offset: Int, bytes: Int) throws(NeuralError) -> Int {
        guard offset >= 0, bytes >= 0, offset <= weights.count, bytes <= weights.count - offset else {
            throw NeuralError(.truncatedWeights, "\(name): bytes \(offset)..<\(offset + bytes) are outside "
                                  + "weights.bin (\(weights.count) bytes)")
        }
        return offset
    }

    /// Every tensor of the table, used or not (the pooler is not), lies inside `weights.bin`, with a
    /// known dtype and positive dimensions: a truncated or mismatched file fails here, whole.
    func validateAll() throws(NeuralError) {
        for t in table.values.sorted(by: { $0.name < $1.name }) {
            guard !t.shape.isEmpty, t.shape.allSatisfy({ $0 > 0 && $0 < 1 << 31 }) else {
                throw NeuralError(.tensorShape, "\(t.name) has shape \(t.shape)")
            }
            let count = t.shape.reduce(1, *)
            switch t.dtype {
            case "float32":
                _ = try range(t.name, offset: t.offset, bytes: 4 * count)
            case "int8-groups":
                guard t.shape.count == 2, let group = t.groupSize, group > 0, t.shape[1] % group == 0,
                      let scaleOffset = t.scaleOffset else {
                    throw NeuralError(.tensorShape, "\(t.name): int8-groups needs 2 dimensions, a groupSize "
                                          + "dividing the columns, and a scaleOffset")
                }
                _ = try range(t.name, offset: t.offset, bytes: count)
                _ = try range(t.name + " scales", offset: scaleOffset, bytes: 4 * (count / group))
            default:
                throw NeuralError(.tensorShape, "\(t.name) has dtype \(t.dtype), not float32 or int8-groups")
            }
        }
    }

    func floats(at offset: Int, count: Int) -> [Float] {
        (0..<count).map { i in
            Float(bitPattern: UInt32(littleEndian: weights.loadUnaligned(fromByteOffset: offset + 4 * i,
                                                                         as: UInt32.self)))
        }
    }

    func float32(_ name: String, shape: [Int]) throws(NeuralError) -> [Float] {
        let t = try entry(name, shape: shape, dtype: "float32")
        let count = shape.reduce(1, *)
        return floats(at: try range(name, offset: t.offset, bytes: 4 * count), count: count)
    }

    /// int8 values `[rows, cols]` and scales `[rows, cols / groupSize]`, both row-major.
    func int8Groups(_ name: String, rows: Int, cols: Int) throws(NeuralError)
        -> (values: [Int8], scales: [Float], groupSize: Int) {
        let t = try entry(name, shape: [rows, cols], dtype: "int8-groups")
        guard let group = t.groupSize, group > 0, cols % group == 0, let scaleOffset = t.scaleOffset else {
            throw NeuralError(.tensorShape, "\(name): groupSize \(t.groupSize.map(String.init) ?? "missing") "
                                  + "does not divide \(cols) columns, or scaleOffset is missing")
        }
        let start = try range(name, offset: t.offset, bytes: rows * cols)
        let scaleStart = try range(name + " scales", offset: scaleOffset, bytes: 4 * rows * (cols / group))
        let values = [Int8](unsafeUninitializedCapacity: rows * cols) { buffer, initialised in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(
                from: UnsafeRawBufferPointer(rebasing: weights[start..<(start + rows * cols)]))
            initialised = rows * cols
        }
        return (values, floats(at: scaleStart, count: rows * (cols / group)), group)
    }
}
