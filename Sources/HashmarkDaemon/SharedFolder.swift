#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// The shared folder on storage every host mounts: producers drop files into `inbox/`; once a
/// file's report is durable its original goes to `done/` or `failed/`. Held open by directory
/// descriptors, as the spool is; several daemons use it at once, so it takes no lock (the work
/// queue in the database says who processes what).
final class SharedFolder: Sendable {
    let root: String
    private let inboxFD: Int32
    private let doneFD: Int32
    private let failedFD: Int32

    init(root: String) throws(DaemonError) {
        self.root = root
        for sub in ["", "/inbox", "/done", "/failed"] where mkdir(root + sub, 0o770) != 0 && errno != EEXIST {
            throw DaemonError.posix("shared-open", "cannot create \(root + sub)")
        }
        var fds: [Int32] = []
        for sub in ["inbox", "done", "failed"] {
            let fd = open(root + "/" + sub, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else {
                let err = errno
                fds.forEach { close($0) }
                throw DaemonError.posix("shared-open", "cannot open \(root)/\(sub)", errno: err)
            }
            fds.append(fd)
        }
        (inboxFD, doneFD, failedFD) = (fds[0], fds[1], fds[2])
    }

    deinit {
        close(inboxFD); close(doneFD); close(failedFD)
    }

    /// Up to `limit` entries of `inbox/` that are not hidden (dot-files are work in progress),
    /// with what `lstat` saw.
    func list(limit: Int) throws(DaemonError) -> [(name: SpoolName, info: SpoolEntryInfo)] {
        let dupFD = dup(inboxFD)
        guard dupFD >= 0, let dir = fdopendir(dupFD) else {
            throw DaemonError.posix("shared-scan", "cannot read \(root)/inbox/")
        }
        defer { closedir(dir) }
        rewinddir(dir)
        var entries: [(name: SpoolName, info: SpoolEntryInfo)] = []
        while entries.count < limit, let entry = readdir(dir) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            guard let name = SpoolName(bytes: bytes), !name.isHidden else { continue }
            var st = stat()
            guard name.withCString({ fstatat(inboxFD, $0, &st, AT_SYMLINK_NOFOLLOW) }) == 0 else { continue }
            entries.append((name, SpoolEntryInfo(st)))
        }
        return entries
    }

    /// Copies inbox/`name` into the directory `destination` as `temporary`, durably, then renames
    /// it to `target` there (never replacing). Regular files are copied byte for byte; symlinks,
    /// directories and FIFOs are recreated as empty entries of the same kind (the daemon never
    /// reads those; it reports them). False: the entry is gone or is no longer what `expected`
    /// described.
    func copy(_ name: SpoolName, expected identity: String, into destination: Int32, temporary: SpoolName,
              as target: SpoolName) throws(DaemonError) -> Bool {
        var st = stat()
        guard name.withCString({ fstatat(inboxFD, $0, &st, AT_SYMLINK_NOFOLLOW) }) == 0 else { return false }
        let info = SpoolEntryInfo(st)
        guard Self.identity(info) == identity, info.kind != .regular || info.links == 1 else { return false }
        _ = temporary.withCString { unlinkat(destination, $0, 0) }
        switch info.kind {
        case .regular:
            guard try copyFile(name, info: info, into: destination, as: temporary) else { return false }
        case .symlink:
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = name.withCString { readlinkat(inboxFD, $0, &buffer, buffer.count - 1) }
            guard n >= 0 else { return false }
            buffer[n] = 0
            guard temporary.withCString({ symlinkat(buffer, destination, $0) }) == 0 else {
                throw DaemonError.posix("shared-copy", "cannot recreate the symlink \(name.display)")
            }
        case .directory:
            guard temporary.withCString({ mkdirat(destination, $0, 0o750) }) == 0 else {
                throw DaemonError.posix("shared-copy", "cannot recreate the directory \(name.display)")
            }
        case .fifo:
            guard temporary.withCString({ mkfifoat(destination, $0, 0o640) }) == 0 else {
                throw DaemonError.posix("shared-copy", "cannot recreate the FIFO \(name.display)")
            }
        default:
            throw DaemonError(code: "shared-copy", message: "\(name.display) is a \(info.kind.rawValue); not copied")
        }
        guard temporary.withCString({ from in target.withCString { to in hm_renameat_noreplace(destination, from, destination, to) } }) == 0 else {
            let err = errno
            _ = temporary.withCString { unlinkat(destination, $0, info.kind == .directory ? AT_REMOVEDIR : 0) }
            throw DaemonError.posix("shared-copy", "cannot rename the copy of \(name.display) into place", errno: err)
        }
        guard fsync(destination) == 0 else { throw DaemonError.posix("shared-copy", "cannot fsync active/") }
        return true
    }

    private func copyFile(_ name: SpoolName, info: SpoolEntryInfo, into destination: Int32,
                          as temporary: SpoolName) throws(DaemonError) -> Bool {
        let source = name.withCString { openat(inboxFD, $0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC) }
        guard source >= 0 else { return false }
        defer { close(source) }
        var st = stat()
        guard fstat(source, &st) == 0, SpoolEntryInfo(st).inode == info.inode else { return false }
        let out = temporary.withCString { openat(destination, $0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o640) }
        guard out >= 0 else { throw DaemonError.posix("shared-copy", "cannot create the copy of \(name.display)") }
        var failure: DaemonError?
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        copying: while true {
            let n = chunk.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { failure = DaemonError.posix("shared-copy", "cannot read \(root)/inbox/\(name.display)"); break }
            if n == 0 { break }
            var written = 0
            while written < n {
                let w = chunk.withUnsafeBytes { write(out, $0.baseAddress! + written, n - written) }
                if w < 0 && errno == EINTR { continue }
                if w <= 0 { failure = DaemonError.posix("shared-copy", "cannot write the copy of \(name.display)"); break copying }
                written += w
            }
        }
        if failure == nil && fsync(out) != 0 { failure = DaemonError.posix("shared-copy", "cannot fsync the copy of \(name.display)") }
        close(out)
        if let failure {
            _ = temporary.withCString { unlinkat(destination, $0, 0) }
            throw failure
        }
        return true
    }

    /// Moves inbox/`name` to `done/` or `failed/` (with `~n` when the name is taken there).
    /// Returns its name there, or nil when it was already gone.
    @discardableResult
    func finish(_ name: SpoolName, failed: Bool) throws(DaemonError) -> SpoolName? {
        let folder = failed ? "failed" : "done"
        let moved = try renameWithoutReplacing(name, from: inboxFD, "\(root)/inbox", to: failed ? failedFD : doneFD,
                                               "\(root)/\(folder)", allowSuffix: true).get()
        if moved != nil {
            _ = fsync(failed ? failedFD : doneFD)
            _ = fsync(inboxFD)
        }
        return moved
    }

    /// What registers a file in the work queue: size, modification time and inode (not the change
    /// time, which a rename may bump). A different identity under a finished name is a new upload.
    static func identity(_ info: SpoolEntryInfo) -> String {
        "\(info.kind.rawValue):\(info.size):\(info.modifiedNanoseconds):\(info.inode)"
    }
}

/// The identity the shared inbox registers for the entry at `path` (tests that set up a work
/// queue's rows by hand); nil when it cannot be read.
@_spi(Testing) public func sharedInboxIdentity(ofEntryAt path: String) -> String? {
    var st = stat()
    guard lstat(path, &st) == 0 else { return nil }
    return SharedFolder.identity(SpoolEntryInfo(st))
}
