import Synchronization

/// Whether the daemon can currently finish files: set by every outcome. A file left in active/
/// because its report could not be written (disk full, read-only file system, a deleted folder,
/// no worker) makes the daemon unhealthy until the next file finishes; shown in STATUS=, the
/// `hashmark_healthy` gauge and the retry backoff of active/.
final class DaemonHealth: Sendable {
    private struct State {
        var problem: String?
        var consecutiveFailures = 0
    }
    private let state = Mutex(State())
    private let metrics: DaemonMetrics

    init(metrics: DaemonMetrics) { self.metrics = metrics }

    func record(_ problem: String?) {
        state.withLock { state in
            state.problem = problem
            state.consecutiveFailures = problem == nil ? 0 : state.consecutiveFailures + 1
        }
        metrics.setHealthy(problem == nil)
    }

    /// The latest problem, nil when healthy.
    var problem: String? { state.withLock { $0.problem } }

    /// Seconds to wait before retrying what is left in active/: the scan interval while healthy,
    /// doubling per consecutive failure up to 5 minutes (never below 1 s).
    func retryDelay(interval: Double) -> Double {
        let failures = state.withLock { $0.consecutiveFailures }
        guard failures > 0 else { return interval }
        return min(300, max(1, interval) * Double(1 << min(failures, 8)))
    }
}
