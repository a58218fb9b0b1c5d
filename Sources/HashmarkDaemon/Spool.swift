#if canImport(Glibc)
import Glibc
#endif

/// The spool folders. Producers write into `inbox/` (or `inbox/.tmp/` then rename in); the
/// daemon alone writes `active/`, `done/` and `failed/`; the processor writes `reports/`.
public enum SpoolFolder: String, Sendable, CaseIterable {
    case inbox, active, done, failed, reports
}

/// One spool on disk, held open by directory descriptors so every operation is relative to the
/// folders opened at start (`openat`/`renameat`/`fstatat` with `AT_SYMLINK_NOFOLLOW`): a folder
/// swapped for a symlink later cannot redirect the daemon outside the spool.
///
/// An exclusive `flock` on `<root>/.lock` makes a second daemon on the same spool fail fast.
public final class Spool: Sendable {
    public let root: String
    private let rootFD: Int32
    private let lockFD: Int32
    private let folderFDs: [Int32]
    /// Serialises "pick a free destination name, then rename" so two workers never pick the same.
    private let naming = Locked(())
    private let syncer = FolderSyncer()

    /// Opens (creating when missing) the spool under `root`.
    public init(root: String) throws(DaemonError) {
        self.root = root
        try Self.makeDirectories(root)
        rootFD = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard rootFD >= 0 else { throw DaemonError.posix("spool_open", "cannot open spool root \(root)") }
        lockFD = openat(rootFD, ".lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard lockFD >= 0 else {
            close(rootFD)
            throw DaemonError.posix("spool_open", "cannot open \(root)/.lock")
        }
        guard flock(lockFD, LOCK_EX | LOCK_NB) == 0 else {
            let err = errno
            close(lockFD); close(rootFD)
            throw DaemonError.posix("spool_locked", "another daemon holds \(root)/.lock", errno: err)
        }
        var fds: [Int32] = []
        for folder in SpoolFolder.allCases {
            let fd = openat(rootFD, folder.rawValue, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else {
                let err = errno
                fds.forEach { close($0) }; close(lockFD); close(rootFD)
                throw DaemonError.posix("spool_open", "cannot open \(root)/\(folder.rawValue)", errno: err)
            }
            fds.append(fd)
        }
        folderFDs = fds
    }

    deinit {
        folderFDs.forEach { close($0) }
        close(lockFD)
        close(rootFD)
    }

    /// The path of a folder, for logs, inotify and the processor (reports/).
    public func path(_ folder: SpoolFolder) -> String { root + "/" + folder.rawValue }

    func fd(_ folder: SpoolFolder) -> Int32 {
        folderFDs[SpoolFolder.allCases.firstIndex(of: folder) ?? 0]
    }

    private static func makeDirectories(_ root: String) throws(DaemonError) {
        var prefix = root.hasPrefix("/") ? "" : "."
        for component in root.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw DaemonError.posix("spool_create", "cannot create \(prefix)")
            }
        }
        // inbox/ is group-writable so a producer group can drop files (umask still applies).
        for (sub, mode) in [("inbox", 0o770), ("inbox/.tmp", 0o770), ("active", 0o750), ("done", 0o750),
                            ("failed", 0o750), ("reports", 0o750)] as [(String, mode_t)] {
            if mkdir(root + "/" + sub, mode) != 0 && errno != EEXIST {
                throw DaemonError.posix("spool_create", "cannot create \(root)/\(sub)")
            }
        }
    }

    /// `lstat` of a name in a folder; nil when it does not exist.
    func info(_ name: SpoolName, in folder: SpoolFolder) throws(DaemonError) -> SpoolEntryInfo? {
        var st = stat()
        let rc = name.withCString { fstatat(fd(folder), $0, &st, AT_SYMLINK_NOFOLLOW) }
        if rc == 0 { return SpoolEntryInfo(st) }
        if errno == ENOENT { return nil }
        throw DaemonError.posix("spool_stat", "cannot stat \(folder.rawValue)/\(name.display)")
    }

    /// Calls `body` for every entry of a folder except `.` and `..`; stops when it returns false.
    func forEachEntry(in folder: SpoolFolder, _ body: (SpoolName) throws -> Bool) throws {
        let dupFD = dup(fd(folder))
        guard dupFD >= 0, let dir = fdopendir(dupFD) else {
            throw DaemonError.posix("spool_scan", "cannot read \(folder.rawValue)/")
        }
        defer { closedir(dir) }
        rewinddir(dir)
        while let entry = readdir(dir) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            guard let name = SpoolName(bytes: bytes) else { continue }
            if try !body(name) { return }
        }
    }

    /// Moves `name` from one folder to another without replacing anything: when the name is
    /// taken, `~1`, `~2`, ... is appended (only for done/ and failed/, where the name no longer
    /// matters to crash recovery). Returns the final name, or nil if the source vanished.
    /// `durable`: both directories are fsynced before this returns. Otherwise they are fsynced
    /// soon in the background (see `FolderSyncer` for why claims and moves out of active/ may be).
    @discardableResult
    func move(_ name: SpoolName, from source: SpoolFolder, to destination: SpoolFolder,
              allowSuffix: Bool, durable: Bool = true) throws(DaemonError) -> SpoolName? {
        let result: Result<SpoolName?, DaemonError> = naming.withLock { _ in
            var target = name
            var attempt = 0
            do throws(DaemonError) {
                while try info(target, in: destination) != nil {
                    guard allowSuffix else { return .failure(DaemonError(code: "spool_name_taken",
                        message: "\(destination.rawValue)/\(name.display) exists")) }
                    attempt += 1
                    target = name.withSuffix(attempt)
                }
            } catch { return .failure(error) }
            let rc = name.withCString { from in
                target.withCString { to in renameat(fd(source), from, fd(destination), to) }
            }
            if rc != 0 {
                if errno == ENOENT { return .success(nil) }
                return .failure(DaemonError.posix("spool_rename",
                    "cannot move \(source.rawValue)/\(name.display) to \(destination.rawValue)/"))
            }
            return .success(target)
        }
        let moved = try result.get()
        if moved != nil {
            if durable {
                try sync(destination)
                try sync(source)
            } else {
                syncer.request(fd(destination))
                syncer.request(fd(source))
            }
        }
        return moved
    }

    /// fsync of a folder: makes renames into and out of it durable.
    func sync(_ folder: SpoolFolder) throws(DaemonError) {
        if fsync(fd(folder)) != 0 { throw DaemonError.posix("spool_fsync", "cannot fsync \(folder.rawValue)/") }
    }

    /// Opens a regular file in active/ without following symlinks or blocking, and checks with
    /// `fstat` that it is the inode `expected` described.
    func openValidated(_ name: SpoolName, expected: SpoolEntryInfo) -> Result<ValidatedFile, DaemonError> {
        let descriptor = name.withCString {
            openat(fd(.active), $0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        }
        guard descriptor >= 0 else {
            if errno == ELOOP { return .failure(DaemonError(code: "symlink", message: "became a symlink")) }
            return .failure(DaemonError.posix("open_failed", "cannot open active/\(name.display)"))
        }
        var st = stat()
        guard fstat(descriptor, &st) == 0 else {
            close(descriptor)
            return .failure(DaemonError.posix("open_failed", "cannot fstat active/\(name.display)"))
        }
        let opened = SpoolEntryInfo(st)
        guard opened.kind == .regular, opened.device == expected.device, opened.inode == expected.inode else {
            close(descriptor)
            return .failure(DaemonError(code: opened.kind == .regular ? "file_replaced" : opened.kind.rejectionCode,
                                        message: "active/\(name.display) changed between lstat and open"))
        }
        return .success(ValidatedFile(descriptor: descriptor, size: opened.size))
    }
}
