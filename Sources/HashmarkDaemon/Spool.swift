#if canImport(Glibc)
import Glibc
#endif
import CLinux
import Synchronization

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
    /// One descriptor per `SpoolFolder` (in `allCases` order); replaced by `repair()` when a
    /// folder was deleted under the daemon.
    private let folderFDs: Mutex<[Int32]>
    /// Serialises "pick a free destination name, then rename" so two workers never pick the same.
    private let naming = Mutex(())
    private let syncer = FolderSyncer()

    /// Opens (creating when missing) the spool under `root`.
    public init(root: String) throws(DaemonError) {
        self.root = root
        try Self.makeDirectories(root)
        rootFD = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard rootFD >= 0 else { throw DaemonError.posix("spool-open", "cannot open spool root \(root)") }
        lockFD = openat(rootFD, ".lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard lockFD >= 0 else {
            close(rootFD)
            throw DaemonError.posix("spool-open", "cannot open \(root)/.lock")
        }
        guard flock(lockFD, LOCK_EX | LOCK_NB) == 0 else {
            let err = errno
            close(lockFD); close(rootFD)
            throw DaemonError.posix("spool-locked", "another daemon holds \(root)/.lock", errno: err)
        }
        var fds: [Int32] = []
        for folder in SpoolFolder.allCases {
            let fd = openat(rootFD, folder.rawValue, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else {
                let err = errno
                fds.forEach { close($0) }; close(lockFD); close(rootFD)
                throw DaemonError.posix("spool-open", "cannot open \(root)/\(folder.rawValue)", errno: err)
            }
            fds.append(fd)
        }
        folderFDs = Mutex(fds)
    }

    deinit {
        folderFDs.withLock { $0.forEach { close($0) } }
        close(lockFD)
        close(rootFD)
    }

    /// The path of a folder, for logs, inotify and the processor (reports/).
    public func path(_ folder: SpoolFolder) -> String { root + "/" + folder.rawValue }

    func fd(_ folder: SpoolFolder) -> Int32 {
        let index = SpoolFolder.allCases.firstIndex(of: folder) ?? 0
        return folderFDs.withLock { $0[index] }
    }

    /// Recreates folders that were deleted or replaced while the daemon ran (an operator's
    /// `rm -r done/`) and reopens them; returns the names of the folders it recreated. The old
    /// descriptor is kept open (leaked on purpose, once per repair): another thread may be using it.
    @discardableResult
    func repair() -> [SpoolFolder] {
        var repaired: [SpoolFolder] = []
        for (index, folder) in SpoolFolder.allCases.enumerated() {
            let current = folderFDs.withLock { $0[index] }
            var opened = stat(), named = stat()
            let alive = fstat(current, &opened) == 0 && opened.st_nlink > 0
                && fstatat(rootFD, folder.rawValue, &named, AT_SYMLINK_NOFOLLOW) == 0
                && named.st_dev == opened.st_dev && named.st_ino == opened.st_ino
            guard !alive else { continue }
            let mode: mode_t = folder == .inbox ? 0o770 : 0o750
            if mkdirat(rootFD, folder.rawValue, mode) != 0 && errno != EEXIST { continue }
            let fresh = openat(rootFD, folder.rawValue, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fresh >= 0 else { continue }
            folderFDs.withLock { $0[index] = fresh }
            repaired.append(folder)
        }
        return repaired
    }

    private static func makeDirectories(_ root: String) throws(DaemonError) {
        var prefix = root.hasPrefix("/") ? "" : "."
        for component in root.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw DaemonError.posix("spool-create", "cannot create \(prefix)")
            }
        }
        // inbox/ is group-writable so a producer group can drop files (umask still applies).
        for (sub, mode) in [("inbox", 0o770), ("inbox/.tmp", 0o770), ("active", 0o750), ("done", 0o750),
                            ("failed", 0o750), ("reports", 0o750)] as [(String, mode_t)] {
            if mkdir(root + "/" + sub, mode) != 0 && errno != EEXIST {
                throw DaemonError.posix("spool-create", "cannot create \(root)/\(sub)")
            }
        }
    }

    /// `lstat` of a name in a folder; nil when it does not exist.
    func info(_ name: SpoolName, in folder: SpoolFolder) throws(DaemonError) -> SpoolEntryInfo? {
        var st = stat()
        let rc = name.withCString { fstatat(fd(folder), $0, &st, AT_SYMLINK_NOFOLLOW) }
        if rc == 0 { return SpoolEntryInfo(st) }
        if errno == ENOENT { return nil }
        throw DaemonError.posix("spool-stat", "cannot stat \(folder.rawValue)/\(name.display)")
    }

    /// Calls `body` for every entry of a folder except `.` and `..`; stops when it returns false.
    func forEachEntry(in folder: SpoolFolder, _ body: (SpoolName) throws -> Bool) throws {
        let dupFD = dup(fd(folder))
        guard dupFD >= 0, let dir = fdopendir(dupFD) else {
            throw DaemonError.posix("spool-scan", "cannot read \(folder.rawValue)/")
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
        let result = naming.withLock { _ in
            renameWithoutReplacing(name, from: fd(source), source.rawValue, to: fd(destination), destination.rawValue,
                                   allowSuffix: allowSuffix)
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

    /// Removes `name` from a folder (a shared file's local copy that another daemon took over).
    func remove(_ name: SpoolName, from folder: SpoolFolder) throws(DaemonError) {
        guard name.withCString({ unlinkat(fd(folder), $0, 0) }) == 0 || errno == ENOENT else {
            throw DaemonError.posix("spool-remove", "cannot remove \(folder.rawValue)/\(name.display)")
        }
        syncer.request(fd(folder))
    }

    /// fsync of a folder: makes renames into and out of it durable.
    func sync(_ folder: SpoolFolder) throws(DaemonError) {
        if fsync(fd(folder)) != 0 { throw DaemonError.posix("spool-fsync", "cannot fsync \(folder.rawValue)/") }
    }

    /// Opens a regular file in active/ without following symlinks or blocking, and checks with
    /// `fstat` that it is the inode `expected` described.
    func openValidated(_ name: SpoolName, expected: SpoolEntryInfo) -> Result<ValidatedFile, DaemonError> {
        let descriptor = name.withCString {
            openat(fd(.active), $0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        }
        guard descriptor >= 0 else {
            if errno == ELOOP { return .failure(DaemonError(code: "symlink", message: "became a symlink")) }
            return .failure(DaemonError.posix("open-failed", "cannot open active/\(name.display)"))
        }
        var st = stat()
        guard fstat(descriptor, &st) == 0 else {
            close(descriptor)
            return .failure(DaemonError.posix("open-failed", "cannot fstat active/\(name.display)"))
        }
        let opened = SpoolEntryInfo(st)
        guard opened.kind == .regular, opened.device == expected.device, opened.inode == expected.inode else {
            close(descriptor)
            return .failure(DaemonError(code: opened.kind == .regular ? "file-replaced" : opened.kind.rejectionCode,
                                        message: "active/\(name.display) changed between lstat and open"))
        }
        guard opened.links <= 1 else {
            close(descriptor)
            return .failure(DaemonError(code: "hard-link", message: "active/\(name.display) gained a second link before it was opened"))
        }
        return .success(ValidatedFile(descriptor: descriptor, size: opened.size))
    }
}

/// Renames `name` from one directory to another without replacing anything: when the name is
/// taken, `~1`, `~2`, ... is appended if `allowSuffix`. Returns the final name, or nil if the
/// source vanished. Labels name the directories in errors.
func renameWithoutReplacing(_ name: SpoolName, from source: Int32, _ sourceLabel: String, to destination: Int32,
                            _ destinationLabel: String, allowSuffix: Bool) -> Result<SpoolName?, DaemonError> {
    // renameat2(RENAME_NOREPLACE): a name that appears in the destination between any check
    // and the rename (a producer dropping the same name again) is never replaced.
    var target = name
    var attempt = 0
    while true {
        var rc = name.withCString { from in
            target.withCString { to in hm_renameat_noreplace(source, from, destination, to) }
        }
        if rc != 0 && errno == EINVAL {
            // A file system without RENAME_NOREPLACE: check, then rename (racy, as before).
            var st = stat()
            if target.withCString({ fstatat(destination, $0, &st, AT_SYMLINK_NOFOLLOW) }) == 0 {
                errno = EEXIST
            } else {
                rc = name.withCString { from in
                    target.withCString { to in renameat(source, from, destination, to) }
                }
            }
        }
        if rc == 0 { return .success(target) }
        switch errno {
        case ENOENT:
            return .success(nil)
        case EEXIST where allowSuffix && attempt < 10_000:
            attempt += 1
            target = name.withSuffix(attempt)
        case EEXIST:
            return .failure(DaemonError(code: "spool-name-taken", message: "\(destinationLabel)/\(name.display) exists"))
        default:
            return .failure(DaemonError.posix("spool-rename",
                "cannot move \(sourceLabel)/\(name.display) to \(destinationLabel)/"))
        }
    }
}
