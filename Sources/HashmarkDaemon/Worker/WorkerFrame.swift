#if canImport(Glibc)
import Glibc
#endif
import HashmarkEngine

/// The daemon ↔ worker wire format: frames of a 4-byte little-endian length and that many bytes,
/// over a pair of pipes (the worker's stdin and stdout).
///
/// Daemon → worker: a request is two frames, a JSON header (`{"name": …}`) and the file's bytes;
/// for a PDF the daemon extracted, the header adds `"extracted": {"sha256", "size", "mediaType"}`
/// (the original file's) and the second frame is `ExtractedDocument.wireBytes()`.
/// Worker → daemon: first a hello frame (`{"ready": {"entries", "snapshot"}}` or
/// `{"error": {"code", "message"}}`), then one frame per request: the unsigned
/// `hashmark.verdict` report as canonical JSON.
enum WorkerFrame {
    /// A frame longer than this is a protocol error (the largest is a file under the byte limit).
    static let maxLength = 1 << 30

    /// The longest extracted-document frame: text and images of a PDF under the file limit
    /// (images come out of `pdfimages` larger than they were stored).
    static func extractedPayloadLimit(_ limits: EngineLimits) -> Int {
        min(maxLength, 4 * limits.image.maxFileBytes + 2 * limits.maxTextBytes)
    }

    static func header(_ length: Int) -> [UInt8] {
        let n = UInt32(length)
        return [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)]
    }

    static func length(_ header: [UInt8]) -> Int {
        Int(header[0]) | Int(header[1]) << 8 | Int(header[2]) << 16 | Int(header[3]) << 24
    }

    /// Writes one frame; false when the peer is gone (EPIPE) or on any other write error.
    static func write(_ payload: [UInt8], to fd: Int32) -> Bool {
        guard payload.count <= maxLength else { return false }
        return writeAll(header(payload.count), to: fd) && writeAll(payload, to: fd)
    }

    /// Reads one frame of at most `limit` bytes; nil on end of file, a read error or an
    /// over-long frame.
    static func read(from fd: Int32, limit: Int = maxLength) -> [UInt8]? {
        guard let head = readExactly(4, from: fd) else { return nil }
        let length = length(head)
        guard length <= min(limit, maxLength) else { return nil }
        return readExactly(length, from: fd)
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }

    private static func readExactly(_ count: Int, from fd: Int32) -> [UInt8]? {
        if count == 0 { return [] }
        var ok = true
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var offset = 0
            while offset < count {
                let n = Glibc.read(fd, buffer.baseAddress! + offset, count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { ok = false; break }
                offset += n
            }
            initialized = ok ? count : 0
        }
        return ok ? bytes : nil
    }
}
