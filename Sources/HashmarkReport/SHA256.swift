import HashmarkPrimitives
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streaming SHA-256 of files (the subject of a report, the key file), on the package's one
/// SHA-256. The I/O lives here, beside the report's other file code, so that `HashmarkPrimitives`
/// stays buffers-in, values-out.
extension SHA256 {
    /// Read size for file hashing: large enough for throughput, small enough that a 100 MB
    /// file costs 1 MiB of memory, not 100 MB.
    public static let fileChunkSize = 1 << 20

    /// Streams an open file descriptor from its current position to end of file.
    /// Returns the digest and the number of bytes read.
    public static func hash(fileDescriptor fd: Int32) throws(ReportError) -> (digest: [UInt8], size: Int) {
        var hasher = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: fileChunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            let count = read(fd, buffer.baseAddress, fileChunkSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw ReportError.io("read while hashing", errno: errno)
            }
            if count == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            total += count
        }
        return (hasher.finalize(), total)
    }

    /// Streams a file in `fileChunkSize` pieces.
    public static func hash(filePath path: String) throws(ReportError) -> (digest: [UInt8], size: Int) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReportError.io("open \(path)", errno: errno) }
        defer { close(fd) }
        return try hash(fileDescriptor: fd)
    }
}
