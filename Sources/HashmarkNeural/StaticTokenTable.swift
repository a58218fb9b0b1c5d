import Foundation

/// The paraphrase matcher's cheap first stage: one vector a WordPiece token, distilled from
/// all-MiniLM-L6-v2 by `Scripts/minilm/distill_static.py` (model2vec-style: each token run through
/// the model alone, PCA, smooth-inverse-frequency weights) into `static.bin` + `static.json`. A
/// text's static vector is the sum of its tokens' rows: no attention, `dims` additions a token.
///
/// It ranks, it does not decide: on the bundled corpus it puts a paraphrased passage's region
/// among the top windows, but unrelated texts on the same subject score as high (measured by
/// `Scripts/minilm/static_recall.py`), so the transformer verifies what it shortlists.
public struct StaticTokenTable: Sendable {
    /// `format` in `static.json`.
    public static let format = "hashmark.static/1"

    public let dimension: Int
    public let vocabularySize: Int
    /// The sha256 of `static.bin` that `static.json` records (hex).
    public let sha256: String
    /// Row-major int8 [vocabularySize × dimension] and one scale a row (7.9 MB for MiniLM's table).
    let rows: [Int8]
    let scales: [Float]

    struct Info: Decodable {
        var format: String
        var dims: Int
        var vocab: Int
        var staticSha256: String
    }

    /// Parses `static.json` (`info`) and `static.bin` (`table`: int8 rows, then one float32 scale
    /// a row, little-endian). The caller checks the file's sha256 against `sha256`.
    public init(info: Data, table: Data) throws(NeuralError) {
        let i: Info
        do { i = try JSONDecoder().decode(Info.self, from: info) } catch {
            throw NeuralError(.manifest, "static.json could not be decoded", underlying: error)
        }
        guard i.format == Self.format else { throw NeuralError(.unsupported, "format \(i.format), expected \(Self.format)") }
        guard i.dims > 0, i.dims % 8 == 0, i.vocab > 0 else {
            throw NeuralError(.architecture, "static table \(i.vocab) × \(i.dims): dims must be a positive multiple of 8")
        }
        let (cells, overflow) = i.vocab.multipliedReportingOverflow(by: i.dims)
        guard !overflow, table.count == cells + 4 * i.vocab else {
            throw NeuralError(.truncatedWeights, "static.bin has \(table.count) bytes, expected \(i.vocab) × (\(i.dims) + 4)")
        }
        let (rows, scales) = table.withUnsafeBytes { raw in
            (Array(raw.prefix(cells).bindMemory(to: Int8.self)),
             (0..<i.vocab).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: cells + 4 * $0, as: UInt32.self))) })
        }
        guard scales.allSatisfy({ $0.isFinite }) else { throw NeuralError(.tensorShape, "static.bin holds a non-finite scale") }
        (dimension, vocabularySize, sha256, self.rows, self.scales) = (i.dims, i.vocab, i.staticSha256, rows, scales)
    }

    /// Adds the rows of `tokenIDs` into `sum` (length `dimension`); ids in `skip` (the
    /// tokenizer's [CLS] and [SEP]) and ids outside the table are left out.
    public func accumulate(_ tokenIDs: [Int32], skip: Set<Int32> = [], into sum: inout [Float]) {
        precondition(sum.count == dimension, "sum must have \(dimension) values")
        rows.withUnsafeBufferPointer { table in
            sum.withUnsafeMutableBufferPointer { out in
                for id in tokenIDs where id >= 0 && Int(id) < vocabularySize && !skip.contains(id) {
                    let base = Int(id) * dimension, scale = scales[Int(id)]
                    // A plain loop the optimiser vectorises (dimension is a multiple of 8).
                    for c in 0..<dimension { out[c] += Float(table[base + c]) * scale }
                }
            }
        }
    }
}
