/// The daemon's shared mutable state: which names are claimed (in active/), which wait for a
/// worker, and back-pressure. Claiming happens here, so a name is never claimed twice and the
/// number of claimed-but-waiting files never exceeds `capacity`; beyond that, files simply stay
/// in inbox/ (the unbounded buffer is the disk) and a rescan is requested once room frees up.
actor WorkQueue {
    struct Job: Sendable {
        let name: SpoolName
        let recovered: Bool
    }

    enum Offer: Equatable { case claimed, full, busy, vanished, closed }

    private let spool: Spool
    private let capacity: Int
    private let requestRescan: @Sendable () -> Void
    private var queued: [Job] = []
    private var head = 0
    /// Names present in active/ that a worker owns or will own.
    private var tracked: Set<SpoolName> = []
    /// Inbox names that could not be claimed because the same name is still in active/.
    private var deferred: Set<SpoolName> = []
    private var waiters: [CheckedContinuation<Job?, Never>] = []
    private var backlog = false
    private var closed = false

    init(spool: Spool, capacity: Int, requestRescan: @escaping @Sendable () -> Void) {
        self.spool = spool
        self.capacity = capacity
        self.requestRescan = requestRescan
    }

    var depth: Int { queued.count - head }
    var inFlight: Int { tracked.count - depth }

    /// Claims inbox/`name` (atomic rename into active/) if there is room.
    func offer(_ name: SpoolName) throws(DaemonError) -> Offer {
        if closed { return .closed }
        if tracked.contains(name) {
            deferred.insert(name)
            return .busy
        }
        if depth >= capacity {
            backlog = true
            return .full
        }
        do {
            guard try spool.move(name, from: .inbox, to: .active, allowSuffix: false, durable: false) != nil else { return .vanished }
        } catch where error.code == "spool-name-taken" {
            // An untracked leftover of the same name in active/ (retry): claim it after that one.
            deferred.insert(name)
            requestRescan()
            return .busy
        }
        tracked.insert(name)
        push(Job(name: name, recovered: false))
        return .claimed
    }

    /// Queues a name found in active/ (crash recovery, retry); ignores names already owned.
    /// Not bounded by `capacity`: these are already claimed, and were bounded when claimed.
    /// False when closed (the name was not queued).
    @discardableResult
    func adopt(_ name: SpoolName) -> Bool {
        if closed { return false }
        guard !tracked.contains(name) else { return true }
        tracked.insert(name)
        push(Job(name: name, recovered: true))
        return true
    }

    private func push(_ job: Job) {
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: job)
        } else {
            queued.append(job)
        }
    }

    /// The next job for a worker; nil once closed and drained.
    func next() async -> Job? {
        if head < queued.count {
            let job = queued[head]
            head += 1
            if head > 1024 && head * 2 > queued.count {
                queued.removeFirst(head)
                head = 0
            }
            if backlog && depth < capacity {
                backlog = false
                requestRescan()
            }
            return job
        }
        if closed { return nil }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// The worker is done with `name` (moved out of active/, or left there for retry).
    func finished(_ name: SpoolName) {
        tracked.remove(name)
        if deferred.remove(name) != nil { requestRescan() }
    }

    /// Stops claiming; returns the jobs no worker has started (the caller puts them back in
    /// inbox/); idle workers get nil.
    func close() -> [Job] {
        closed = true
        let pending = Array(queued[head...])
        queued.removeAll()
        head = 0
        waiters.forEach { $0.resume(returning: nil) }
        waiters.removeAll()
        return pending
    }
}
