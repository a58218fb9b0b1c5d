import Foundation
import HashmarkReport

/// One JSON object per line on standard output, keys sorted, slashes unescaped.
enum JSONLine {
    static func print<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return }
        FileHandle.standardOutput.write(data + Data([0x0A]))
    }

    /// A `JSONValue` as its canonical bytes (sorted keys, no whitespace).
    static func print(_ value: JSONValue) {
        guard let bytes = try? value.canonicalBytes() else { return }
        FileHandle.standardOutput.write(Data(bytes + [0x0A]))
    }
}

/// `{"code":…, "message":…}` as printed in `--json` output.
struct JSONError: Encodable {
    let code: String
    let message: String
}
