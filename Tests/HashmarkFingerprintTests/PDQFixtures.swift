import Foundation
import HashmarkFingerprint

/// Loads the committed PDQ fixtures (Tests/Fixtures/pdq): binary PPM images and golden.json.
enum PDQFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/pdq")

    struct Golden: Decodable {
        struct Entry: Decodable {
            let file: String
            let width: Int
            let height: Int
            let pdq: String
            let quality: Int
            let dihedral: [String]
            let dihedralQuality: Int
        }
        let reference: String
        let fixtures: [Entry]
    }

    struct PPMError: Error, CustomStringConvertible { let description: String }

    static func golden() throws -> Golden {
        let data = try Data(contentsOf: directory.appendingPathComponent("golden.json"))
        return try JSONDecoder().decode(Golden.self, from: data)
    }

    /// Parses a binary PPM (P6, maxval 255, `#` comments allowed in the header).
    static func image(_ name: String) throws -> RGBImage {
        let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
        var pos = 0
        func token() throws -> String {
            while pos < bytes.count {
                if bytes[pos] == UInt8(ascii: "#") {
                    while pos < bytes.count, bytes[pos] != 10 { pos += 1 }
                } else if bytes[pos] == 32 || (9...13).contains(bytes[pos]) {
                    pos += 1
                } else { break }
            }
            let start = pos
            while pos < bytes.count, !(bytes[pos] == 32 || (9...13).contains(bytes[pos])) { pos += 1 }
            guard pos > start else { throw PPMError(description: "\(name): truncated header") }
            return String(decoding: bytes[start..<pos], as: UTF8.self)
        }
        guard try token() == "P6" else { throw PPMError(description: "\(name): not a P6 PPM") }
        guard let w = Int(try token()), let h = Int(try token()), try token() == "255" else {
            throw PPMError(description: "\(name): bad PPM header")
        }
        pos += 1 // the single whitespace byte after maxval
        let pixels = Array(bytes[pos...])
        guard let image = RGBImage(width: w, height: h, pixels: pixels) else {
            throw PPMError(description: "\(name): \(pixels.count) bytes for \(w)x\(h)")
        }
        return image
    }
}
