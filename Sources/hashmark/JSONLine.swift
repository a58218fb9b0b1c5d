import Foundation

/// One JSON object per line on standard output, keys sorted, slashes unescaped.
enum JSONLine {
    static func print<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return }
        FileHandle.standardOutput.write(data + Data([0x0A]))
    }
}

/// `{"code":…, "message":…}` as printed in `--json` output.
struct JSONError: Encodable {
    let code: String
    let message: String
}
