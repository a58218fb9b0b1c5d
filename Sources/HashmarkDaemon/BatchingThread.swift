import Foundation

/// A dedicated thread that takes whatever has been submitted since it last looked and hands it to
/// `handle` in one call: under load, batches grow by themselves (while one is handled, the next
/// collects); at a low rate a batch is a single item with no added delay. Blocking work (fsync)
/// runs here, never on Swift's cooperative pool. Lives as long as the process.
final class BatchingThread<Item>: @unchecked Sendable {
    private let state = NSCondition()
    // Guarded by `state`.
    private var pending: [Item] = []
    private let handle: ([Item]) -> Void

    init(name: String, handle: @escaping ([Item]) -> Void) {
        self.handle = handle
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    /// Queues `item` for the next batch; never blocks on `handle`.
    func submit(_ item: Item) {
        state.lock()
        pending.append(item)
        state.signal()
        state.unlock()
    }

    private func run() {
        while true {
            state.lock()
            while pending.isEmpty { state.wait() }
            let batch = pending
            pending = []
            state.unlock()
            handle(batch)
        }
    }
}
