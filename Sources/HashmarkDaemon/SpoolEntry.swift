#if canImport(Glibc)
import Glibc
#endif

/// What `lstat` says an entry is. Only `.regular` is ever opened.
public enum SpoolEntryKind: String, Sendable {
    case regular, directory, symlink, fifo, socket, characterDevice, blockDevice, unknown

    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symlink
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        default: self = .unknown
        }
    }

    /// The error code reported for an entry of this kind dropped into the inbox.
    public var rejectionCode: String {
        switch self {
        case .regular: return "not_rejected"
        case .directory: return "directory"
        case .symlink: return "symlink"
        case .fifo: return "fifo"
        case .socket: return "socket"
        case .characterDevice, .blockDevice: return "device"
        case .unknown: return "unknown_file_type"
        }
    }
}

/// The `lstat` facts the daemon uses to decide and to check a file did not change under it.
struct SpoolEntryInfo: Sendable, Equatable {
    let kind: SpoolEntryKind
    let size: Int64
    let modifiedNanoseconds: Int64
    let device: UInt64
    let inode: UInt64

    init(_ st: stat) {
        kind = SpoolEntryKind(mode: st.st_mode)
        size = Int64(st.st_size)
        modifiedNanoseconds = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }
}

/// A regular file in `active/`, opened with `O_NOFOLLOW|O_NONBLOCK` and checked with `fstat` to
/// be the very inode `lstat` saw. The descriptor closes when the last reference goes away, so
/// work abandoned after a timeout can never read a recycled descriptor.
public final class ValidatedFile: Sendable {
    /// The open descriptor (read-only). Do not close it: the object owns it.
    public let descriptor: Int32
    /// Size in bytes at validation time.
    public let size: Int64

    init(descriptor: Int32, size: Int64) {
        self.descriptor = descriptor
        self.size = size
    }

    deinit { close(descriptor) }

    /// A path that names this open file (`/proc/self/fd/N`) for APIs that want a path; opening it
    /// reopens the same inode, never whatever the spool name points to now.
    public var procPath: String { "/proc/self/fd/\(descriptor)" }

    /// Reads the whole file from offset 0, refusing to read more than `limit` bytes.
    /// Throws `file_too_large` when the file holds more than `limit` bytes.
    public func readAll(limit: Int) throws(DaemonError) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(Int(min(Int64(limit), max(size, 0))) + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw DaemonError.posix("read-failed", "cannot read the claimed file")
            }
            if n == 0 { return result }
            if result.count + n > limit {
                throw DaemonError(code: "file-too-large", message: "file holds more than \(limit) bytes")
            }
            result.append(contentsOf: chunk[0..<n])
            offset += off_t(n)
        }
    }
}
