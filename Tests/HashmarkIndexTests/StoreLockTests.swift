import Foundation
import GRDB
import HashmarkStore
import Testing

/// The daemon, `corpus add` and `check` open one store from separate processes; opening takes the
/// write lock for a moment. Another connection holding it must make an open wait, not fail.
@Suite("Corpus store locking")
struct StoreLockTests {
    @Test func openingWaitsForAWriterInsteadOfFailing() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("corpus.sqlite").path
        _ = try CorpusStore(path: path)

        // Another process's writer, as SQLite sees it: its own connection, a write transaction held.
        let other = try DatabaseQueue(path: path)
        let locked = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? other.inTransaction(.immediate) { _ in
                locked.signal()
                _ = release.wait(timeout: .now() + 10)
                return .commit
            }
            done.signal()
        }
        locked.wait()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { release.signal() }
        let store = try CorpusStore(path: path)  // blocked until the writer commits
        #expect(try store.list().isEmpty)
        done.wait()
    }
}
