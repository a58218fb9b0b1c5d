import Foundation
import HashmarkReport

/// The form in which the daemon hands a document it extracted (a PDF: its sandboxed workers
/// cannot start `pdftotext`) to a worker: JSON, images as base64.
extension ExtractedDocument {
    public func wireBytes() throws(DocumentError) -> [UInt8] {
        do {
            return Array(try JSONEncoder().encode(self))
        } catch {
            throw DocumentError(.invalid, "The extracted document could not be encoded: \(error)")
        }
    }

    public init(wireBytes: [UInt8]) throws(DocumentError) {
        do {
            self = try JSONDecoder().decode(ExtractedDocument.self, from: Data(wireBytes))
        } catch {
            throw DocumentError(.invalid, "The extracted document could not be decoded: \(error)")
        }
    }
}

extension ExtractedDocument.EmbeddedImage {
    private enum Keys: String, CodingKey { case bytes, location }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        bytes = Array(try c.decode(Data.self, forKey: .bytes))
        location = try c.decode(DocumentLocation.self, forKey: .location)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(Data(bytes), forKey: .bytes)
        try c.encode(location, forKey: .location)
    }
}
