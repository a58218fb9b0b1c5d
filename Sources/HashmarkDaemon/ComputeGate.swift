import Synchronization

/// An async counting semaphore: at most `permits` holders at a time, waiters served in order.
///
/// The daemon keeps more items in flight than it has workers (so that finished items can wait
/// for their report's group commit while the next ones compute); this gate keeps the CPU-bound
/// part to `workers` at once.
final class ComputeGate: Sendable {
    private struct State {
        var available: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state: Mutex<State>

    init(permits: Int) { state = Mutex(State(available: max(1, permits))) }

    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state -> Bool in
                guard state.available > 0 else {
                    state.waiters.append(continuation)
                    return false
                }
                state.available -= 1
                return true
            }
            if granted { continuation.resume() }
        }
    }

    /// Hands the permit to the longest waiter, or returns it.
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
