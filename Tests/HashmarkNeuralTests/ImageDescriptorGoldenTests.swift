import Foundation
import HashmarkMedia
@_spi(Testing) import HashmarkNeural
import Testing

/// The Swift image descriptor against `Scripts/train-descriptor/golden.py` (the PyTorch model with
/// its batch norms unfolded): for each fixture PNG, max abs difference ≤ 1e-3 per dimension and
/// cosine ≥ 0.9999, and the goldens belong to the weights in `Models/image-descriptor`.
@Suite("Image descriptor against the PyTorch reference")
struct ImageDescriptorGoldenTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let modelFolder = root.appendingPathComponent("Models/" + ImageDescriptorModel.folder)
    static let fixtures = root.appendingPathComponent("Tests/Fixtures/descriptor")

    struct Golden: Decodable {
        struct Entry: Decodable {
            let file: String
            let descriptor: [Float]
        }
        let model: String
        let weightsSha256: String
        let entries: [Entry]
    }

    static func model() throws -> ImageDescriptorModel {
        try ImageDescriptorModel(manifestJSON: Data(contentsOf: modelFolder.appendingPathComponent("model.json")),
                                 weights: Data(contentsOf: modelFolder.appendingPathComponent("weights.bin")))
    }

    @Test func matchesTheReferenceOnEveryFixture() throws {
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("golden.json")))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.modelFolder.appendingPathComponent("model.json")))
        let sha = (manifest as? [String: Any])?["weightsSha256"] as? String
        #expect(sha == golden.weightsSha256, "goldens made for other weights: rerun golden.py")
        #expect(golden.entries.count >= 20)
        let model = try Self.model()
        #expect(model.id == golden.model)
        for entry in golden.entries {
            let bytes = try [UInt8](Data(contentsOf: Self.fixtures.appendingPathComponent(entry.file)))
            let decoded = try ImageDecoder.decode(bytes)
            let v = try decoded.image.pixels.withUnsafeBufferPointer {
                try model.embed(rgb: $0, width: decoded.image.width, height: decoded.image.height)
            }
            try #require(v.count == entry.descriptor.count)
            let maxDiff = zip(v, entry.descriptor).map { abs($0 - $1) }.max() ?? .infinity
            let cosine = zip(v, entry.descriptor).map { $0 * $1 }.reduce(0, +)
            #expect(maxDiff <= 1e-3 && cosine >= 0.9999, "\(entry.file): max |Δ| \(maxDiff), cosine \(cosine)")
        }
    }

    @Test func aDamagedWeightsFileFailsAtLoad() throws {
        let json = try Data(contentsOf: Self.modelFolder.appendingPathComponent("model.json"))
        let weights = try Data(contentsOf: Self.modelFolder.appendingPathComponent("weights.bin"))
        #expect(throws: NeuralError.self) { try ImageDescriptorModel(manifestJSON: json, weights: weights.prefix(weights.count / 2)) }
        #expect(throws: NeuralError.self) { try ImageDescriptorModel(manifestJSON: Data("{}".utf8), weights: weights) }
    }

    @Test func anImageWithTheWrongByteCountIsRefused() throws {
        let model = try Self.model()
        #expect(throws: NeuralError.self) {
            try [UInt8](repeating: 0, count: 10).withUnsafeBufferPointer { try model.embed(rgb: $0, width: 2, height: 2) }
        }
    }
}
