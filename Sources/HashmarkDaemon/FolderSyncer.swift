import Foundation

/// Background, coalescing directory fsyncs for renames whose durability is not part of the
/// safety argument (claims into active/, originals into done/ and failed/): a power cut that
/// reverts such a rename only puts a file back where it is processed again into the identical
/// report (ids are derived from name, content, snapshot and model). Syncing them in the
/// background keeps that window short without making a worker wait on the disk; any number of
/// requests for a folder made while it syncs are served by the next single fsync.
final class FolderSyncer: Sendable {
    /// Errors are ignored: these syncs only shorten the window in which a power cut can undo a
    /// rename, and undoing one is safe. A folder requested several times is synced once.
    private let worker = BatchingThread<Int32>(name: "hashmark.dirsync") { fds in
        for fd in Set(fds) { _ = fsync(fd) }
    }

    /// Asks for an fsync of the directory `fd` soon; never blocks on the disk.
    func request(_ fd: Int32) { worker.submit(fd) }
}
