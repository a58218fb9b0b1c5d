import Synchronization

/// A one-shot signal that many tasks can await; waiting is cancellable. Used for "stop
/// requested" and "workers finished", where a graceful-shutdown hook (synchronous) must wake
/// async code without `Task.sleep` polling.
final class Latch: Sendable {
    private struct State {
        var fired = false
        var nextID: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }
    private let state = Mutex(State())

    func fire() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.fired else { return [] }
            state.fired = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    var isFired: Bool { state.withLock { $0.fired } }

    /// Returns when fired or when the waiting task is cancelled.
    func wait() async {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.fired || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// True if fired within `timeout`.
    func wait(timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.wait(); return self.isFired }
            group.addTask {
                do { try await Task.sleep(for: timeout) } catch { return false }
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first || isFired
        }
    }
}

/// How a processing attempt ended: first resolution wins.
enum AttemptEnd: Sendable {
    case finished(ProcessOutcome)
    case deadline
    case shutdown
}

/// The rendezvous between a worker, its processing task, its deadline and shutdown.
final class Attempt: Sendable {
    private struct State {
        var end: AttemptEnd?
        var waiter: CheckedContinuation<AttemptEnd, Never>?
    }
    private let state = Mutex(State())

    func resolve(_ end: AttemptEnd) {
        let waiter = state.withLock { state -> CheckedContinuation<AttemptEnd, Never>? in
            guard state.end == nil else { return nil }
            state.end = end
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: end)
    }

    func wait() async -> AttemptEnd {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> AttemptEnd? in
                if let end = state.end { return end }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
