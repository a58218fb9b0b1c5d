import Foundation
import HashmarkMedia

/// The committed fixtures in Tests/Fixtures/media and their Pillow-made expectations.
enum MediaFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/media")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    struct Expectation: Decodable {
        var format: String?
        var width: Int?
        var height: Int?
        var tolerance: Int?
        var fnv1a64: String?
        var samples: [[Int]]?
        var scaled: [String: Expectation]?
        var exifOrientation: Int?
        var error: String?
        var mediaType: String?
    }

    static let expected: [String: Expectation] = {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("expected.json")),
              let table = try? JSONDecoder().decode([String: Expectation].self, from: data) else { return [:] }
        return table
    }()

    static func names(where predicate: (Expectation) -> Bool) -> [String] {
        expected.filter { predicate($0.value) }.map(\.key).sorted()
    }

    /// FNV-1a 64, the digest make_fixtures.py stores for lossless expectations.
    static func fnv1a64(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// The `MediaError` `body` throws; `nil` when it succeeds or throws anything else.
func mediaError(_ body: () throws -> Void) -> MediaError? {
    do { try body(); return nil } catch let error as MediaError { return error } catch { return nil }
}
