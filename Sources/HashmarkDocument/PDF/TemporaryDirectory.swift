#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A private directory (mode 0700, from `mkdtemp` under `$TMPDIR` or /tmp) for one document's
/// files; `remove()` deletes it with everything in it.
struct TemporaryDirectory {
    let path: String

    init() throws(DocumentError) {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/hashmark-pdf-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkdtemp($0) } ?? nil }
        guard made != nil else {
            throw DocumentError(.extractorUnavailable, "cannot create a temporary directory in \(base)")
        }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Writes `bytes` to a new file `name` (mode 0600) and returns its path.
    func write(_ bytes: [UInt8], name: String) throws(DocumentError) -> String {
        let file = path + "/" + name
        let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DocumentError(.extractorUnavailable, "cannot write \(file)") }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress.map { $0 + done }, bytes.count - done) }
            if wrote < 0 && errno == EINTR { continue }
            guard wrote > 0 else { throw DocumentError(.extractorUnavailable, "cannot write \(file)") }
            done += wrote
        }
        return file
    }

    /// Names of the files in the directory.
    func contents() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
