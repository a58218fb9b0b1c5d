#if canImport(Glibc)
import Glibc
#endif
import HashmarkPrimitives

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
        case .regular: return "not-rejected"
        case .directory: return "directory"
        case .symlink: return "symlink"
        case .fifo: return "fifo"
        case .socket: return "socket"
        case .characterDevice, .blockDevice: return "device"
        case .unknown: return "unknown-file-type"
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
    let links: UInt64
    let owner: UInt32
    let changedNanoseconds: Int64

    init(_ st: stat) {
        kind = SpoolEntryKind(mode: st.st_mode)
        size = Int64(st.st_size)
        modifiedNanoseconds = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        links = UInt64(st.st_nlink)
        owner = UInt32(st.st_uid)
        changedNanoseconds = Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec)
    }

    /// Device, inode and change time: tells two entries apart whose content was not read.
    var identity: String { "\(device):\(inode):\(changedNanoseconds)" }
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

    /// What `read(limit:)` got: the bytes (when the file fits the limit and reads cleanly), and
    /// in every case the size and SHA-256 of all the bytes that could be read.
    public struct Content: Sendable {
        public enum Bytes: Sendable { case complete([UInt8]), incomplete }
        public var bytes: Bytes
        public var size: Int
        /// SHA-256 (hex) over every byte read, also past `limit` (a too-large file is hashed whole,
        /// 1 MiB at a time, so its report names the real content).
        public var sha256: String
        /// Why the bytes are incomplete: (`file-too-large` or `read-failed`, message).
        public var failure: (code: String, message: String)?
    }

    /// Reads the file from offset 0, keeping at most `limit` bytes in memory and hashing all.
    public func read(limit: Int) -> Content {
        var hasher = SHA256()
        var kept: [UInt8] = []
        kept.reserveCapacity(Int(min(Int64(limit), max(size, 0))))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var offset: off_t = 0
        var tooLarge = false
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let error = DaemonError.posix("read-failed", "cannot read the claimed file after \(offset) bytes")
                return Content(bytes: .incomplete, size: Int(offset), sha256: Hex.encode(hasher.finalize()),
                               failure: ("read-failed", error.description))
            }
            if n == 0 { break }
            hasher.update(chunk[0..<n])
            if !tooLarge && kept.count + n > limit {
                tooLarge = true
                kept = []
            }
            if !tooLarge { kept.append(contentsOf: chunk[0..<n]) }
            offset += off_t(n)
        }
        let sha = Hex.encode(hasher.finalize())
        if tooLarge {
            return Content(bytes: .incomplete, size: Int(offset), sha256: sha,
                           failure: ("file-too-large", "The file has \(offset) bytes; the limit is \(limit)."))
        }
        return Content(bytes: .complete(kept), size: Int(offset), sha256: sha, failure: nil)
    }
}

