import NIOCore
import Synchronization

/// A blocking wait on an event-loop future that ends at a deadline: the store's calls are
/// synchronous, and no wait of theirs may outlast what the caller was promised.
@_spi(Testing) public enum BoundedWait {
    /// `future`'s value, or `timedOut()` thrown once `seconds` have passed (`onTimeout` has run by
    /// then, on the event loop: e.g. close the connection whose answer never came). A value that arrives
    /// only after the deadline goes to `late` (e.g. a connection opened too late is closed, not
    /// left idle until the process ends); a late failure is dropped.
    public static func wait<T: Sendable>(_ future: EventLoopFuture<T>, seconds: Double,
                                         timedOut: @escaping @Sendable () -> any Error,
                                         onTimeout: (@Sendable () -> Void)? = nil,
                                         late: (@Sendable (T) -> Void)? = nil) throws -> T {
        let loop = future.eventLoop, promise = loop.makePromise(of: T.self), once = Once()
        let timer = loop.scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) {
            guard once.claim() else { return }
            onTimeout?()
            promise.fail(timedOut())
        }
        future.whenComplete { result in
            timer.cancel()
            if once.claim() {
                promise.completeWith(result)
            } else if case .success(let value) = result {
                late?(value)
            }
        }
        return try promise.futureResult.wait()
    }

    /// True for the first caller only.
    final class Once: Sendable {
        private let taken = Mutex(false)
        func claim() -> Bool { taken.withLock { was in defer { was = true }; return !was } }
    }
}
