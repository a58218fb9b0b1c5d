#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C `read`, named apart from `MediaFile.read`.
private func posixRead(_ fd: Int32, _ buf: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buf, count)
}

/// Bounded file reading: the size limit is enforced before the contents are read.
public enum MediaFile {
    /// Reads a regular file whole, refusing (`file-too-large`) one over `maxBytes` from its `fstat`
    /// size, and never reading more than `maxBytes + 1` bytes even if the file grows meanwhile.
    public static func read(_ path: String, maxBytes: Int) throws(MediaError) -> [UInt8] {
        // O_NONBLOCK: opening a FIFO must not wait for a writer (regular files ignore the flag).
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw MediaError(code: MediaError.Code.ioError, message: "Cannot open \(path).",
                             underlying: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw MediaError(code: MediaError.Code.ioError, message: "Cannot stat \(path).",
                             underlying: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw MediaError(code: MediaError.Code.ioError, message: "\(path) is not a regular file.")
        }
        let size = Int(info.st_size)
        guard size <= maxBytes else {
            throw MediaError(code: MediaError.Code.fileTooLarge,
                             message: "The file has \(size) bytes; the limit is \(maxBytes).")
        }
        var bytes = [UInt8](repeating: 0, count: min(size, maxBytes) + 1)
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buf in
                posixRead(fd, buf.baseAddress.map { $0 + filled }, buf.count - filled)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw MediaError(code: MediaError.Code.ioError, message: "Cannot read \(path).",
                                 underlying: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            filled += n
        }
        guard filled <= maxBytes else {
            throw MediaError(code: MediaError.Code.fileTooLarge,
                             message: "The file grew past the limit of \(maxBytes) bytes while being read.")
        }
        bytes.removeSubrange(filled...)
        return bytes
    }
}
