#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Inbox names whose claim (rename into active/) failed, skipped for 1 s, 2 s, 4 s, … up to
/// 5 minutes: a file the daemon may not move (sticky inbox, immutable file, a full active/)
/// costs one log line per backoff step instead of a retry on every scan.
final class ClaimBackoff: Sendable {
    private struct Entry {
        var until: UInt64
        var failures: Int
    }
    private let entries = Mutex([SpoolName: Entry]())
    /// Beyond this many remembered names the expired ones are dropped.
    static let capacity = 10_000

    func isWaiting(_ name: SpoolName) -> Bool {
        let now = Self.now()
        return entries.withLock { $0[name].map { $0.until > now } ?? false }
    }

    /// Records a refusal; returns the seconds the name is now skipped for.
    func refused(_ name: SpoolName) -> Int {
        let now = Self.now()
        return entries.withLock { entries in
            if entries.count >= Self.capacity { entries = entries.filter { $0.value.until > now } }
            let failures = (entries[name]?.failures ?? 0) + 1
            let seconds = min(300, 1 << min(failures - 1, 9))
            entries[name] = Entry(until: now + UInt64(seconds) * 1_000_000_000, failures: failures)
            return seconds
        }
    }

    func clear(_ name: SpoolName) { _ = entries.withLock { $0.removeValue(forKey: name) } }

    private static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
