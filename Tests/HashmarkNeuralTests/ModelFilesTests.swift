import Foundation
import HashmarkNeural
import Testing

/// The converted model files are in the repository and are the ones `model.json` describes.
@Suite("MiniLM model files")
struct ModelFilesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Models/" + MiniLMModelFiles.folder)

    @Test func manifestNamesItsFormatAndBothFiles() throws {
        let data = try Data(contentsOf: Self.folder.appendingPathComponent("model.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["format"] as? String == MiniLMModelFiles.format)
        let weights = try Data(contentsOf: Self.folder.appendingPathComponent("weights.bin"))
        #expect(weights.count == 26_633_216)
        #expect((json["tensors"] as? [Any])?.count == 103)
    }
}
