#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import HashmarkReport
import Synchronization

/// Up to `size` `hashmark worker` processes, each matching one file at a time.
///
/// A file's bytes go to an idle worker (started on demand); its reply is the unsigned report. A
/// worker that does not reply within the deadline is killed (SIGKILL: real pre-emption, the core
/// is free at once) and so is one that dies by itself; either way the next request starts a
/// fresh one. Blocking pipe I/O and `waitpid` run on the pool's own threads, never on Swift's
/// cooperative pool. A reload starts a worker on the new corpus first and switches only once it
/// said hello, so a broken corpus keeps the old workers.
final class WorkerPool: Sendable {
    /// How to start a worker.
    struct Launch: Sendable {
        var executable: String
        var arguments: [String]
        var environment: [String: String]
    }

    /// The end of one request.
    enum Result: Sendable {
        case reply([UInt8])
        /// Killed at the deadline.
        case timedOut
        /// Died (or closed its pipe) before replying.
        case crashed(WorkerProcess.Exit)
        /// No worker could be started (see the error; spawning backs off).
        case unavailable(DaemonError)
    }

    private struct Idle {
        let process: WorkerProcess
        let generation: Int
    }

    private struct State {
        var idle: [Idle] = []
        var busy: [pid_t: WorkerProcess] = [:]
        var generation = 0
        var closed = false
        var status: IndexStatus?
        /// Consecutive failed starts, and when the next start may be tried.
        var failedStarts = 0
        var retryAt: UInt64 = 0
        var lastFailure: DaemonError?
    }

    let size: Int
    private let launch: Launch
    private let gate: ComputeGate
    private let state: Mutex<State>
    private let queue = DispatchQueue(label: "hashmark.workers", attributes: .concurrent)
    /// Workers are spawned from this one thread, which lives as long as the daemon: a worker's
    /// parent-death signal fires when the thread that spawned it ends, and Dispatch retires idle
    /// threads.
    private let spawner = BatchingThread<Spawn>(name: "hashmark.spawn") { batch in
        for spawn in batch { spawn.run() }
    }

    private final class Spawn: @unchecked Sendable {
        let launch: Launch
        let done = DispatchSemaphore(value: 0)
        var result: Swift.Result<WorkerProcess, DaemonError>?
        init(_ launch: Launch) { self.launch = launch }
        func run() {
            do {
                result = .success(try WorkerProcess(executable: launch.executable, arguments: launch.arguments,
                                                    environment: launch.environment))
            } catch {
                result = .failure(error)
            }
            done.signal()
        }
    }

    init(size: Int, launch: Launch) {
        self.size = max(1, size)
        gate = ComputeGate(permits: max(1, size))
        self.launch = launch
        state = Mutex(State())
    }

    /// The corpus the newest worker loaded (nil before the first hello).
    var status: IndexStatus? { state.withLock { $0.status } }

    /// Starts the first worker and waits for its hello: the daemon is ready only after this.
    func start() async throws(DaemonError) -> IndexStatus {
        try await spawnAndAdopt(newGeneration: false)
    }

    /// Starts a worker (a fresh look at the corpus). On success, older workers are retired as
    /// they become idle; on failure nothing changes.
    func reload() async throws(DaemonError) -> IndexStatus {
        try await spawnAndAdopt(newGeneration: true)
    }

    private func spawnAndAdopt(newGeneration: Bool) async throws(DaemonError) -> IndexStatus {
        let started = await onPool { self.spawn(self.launch) }
        switch started {
        case .failure(let error):
            throw error
        case .success(let (process, status)):
            let retired: [WorkerProcess] = state.withLock { state in
                state.status = status
                if newGeneration { state.generation += 1 }
                let stale = state.idle.filter { $0.generation != state.generation }.map(\.process)
                state.idle.removeAll { $0.generation != state.generation }
                if state.closed { return stale + [process] }
                state.idle.append(Idle(process: process, generation: state.generation))
                return stale
            }
            if !retired.isEmpty { queue.async { retired.forEach { $0.terminate() } } }
            return status
        }
    }

    /// Matches one file: `header` and `payload` go to a worker; waits at most `deadline`.
    func run(header: [UInt8], payload: [UInt8], deadline: Double) async -> Result {
        await gate.acquire()
        defer { gate.release() }
        return await onPool { self.runBlocking(header: header, payload: payload, deadline: deadline) }
    }

    /// Kills every worker (idle or busy) and stops starting new ones.
    func shutdown() {
        let all: [WorkerProcess] = state.withLock { state in
            state.closed = true
            defer { state.idle.removeAll() }
            return state.idle.map(\.process) + Array(state.busy.values)
        }
        for process in all { process.kill() }
    }

    // MARK: Blocking side (pool threads)

    private func runBlocking(header: [UInt8], payload: [UInt8], deadline: Double) -> Result {
        let checkout = checkOut()
        guard case .success(let (process, generation)) = checkout else {
            if case .failure(let error) = checkout { return .unavailable(error) }
            return .unavailable(DaemonError(code: "worker-unavailable", message: "no worker"))
        }
        // The deadline kills the worker only while this exchange is in flight.
        let phase = Mutex(0)  // 0 running, 1 finished, 2 timed out
        let timer = DispatchWorkItem {
            phase.withLock { value in
                guard value == 0 else { return }
                value = 2
                process.kill()
            }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + deadline, execute: timer)
        let reply = process.exchange(header: header, payload: payload)
        let timedOut = phase.withLock { value -> Bool in
            if value == 0 { value = 1 }
            return value == 2
        }
        timer.cancel()
        if let reply, !timedOut {
            checkIn(process, generation: generation)
            return .reply(reply)
        }
        let exit = process.terminate()
        state.withLock { _ = $0.busy.removeValue(forKey: process.pid) }
        return timedOut ? .timedOut : .crashed(exit)
    }

    /// An idle worker of the current generation, or a new one.
    private func checkOut() -> Swift.Result<(WorkerProcess, Int), DaemonError> {
        enum Next { case use(WorkerProcess, Int), spawn(Int), refuse(DaemonError) }
        let next: Next = state.withLock { state in
            if state.closed { return .refuse(DaemonError(code: "worker-unavailable", message: "shutting down")) }
            while let idle = state.idle.popLast() {
                if idle.generation == state.generation {
                    state.busy[idle.process.pid] = idle.process
                    return .use(idle.process, idle.generation)
                }
                queue.async { idle.process.terminate() }
            }
            if state.failedStarts > 0 && Self.now() < state.retryAt, let failure = state.lastFailure {
                return .refuse(failure)
            }
            return .spawn(state.generation)
        }
        switch next {
        case .use(let process, let generation): return .success((process, generation))
        case .refuse(let error): return .failure(error)
        case .spawn(let generation):
            switch spawn(launch) {
            case .failure(let error):
                state.withLock { state in
                    state.failedStarts += 1
                    state.retryAt = Self.now() + UInt64(min(30, 1 << min(state.failedStarts, 5))) * 1_000_000_000
                    state.lastFailure = error
                }
                return .failure(error)
            case .success(let (process, status)):
                let closed = state.withLock { state -> Bool in
                    state.failedStarts = 0
                    state.status = status
                    if !state.closed { state.busy[process.pid] = process }
                    return state.closed
                }
                if closed {
                    process.terminate()
                    return .failure(DaemonError(code: "worker-unavailable", message: "shutting down"))
                }
                return .success((process, generation))
            }
        }
    }

    private func checkIn(_ process: WorkerProcess, generation: Int) {
        let keep = state.withLock { state -> Bool in
            state.busy.removeValue(forKey: process.pid)
            guard !state.closed, generation == state.generation, state.idle.count < size else { return false }
            state.idle.append(Idle(process: process, generation: generation))
            return true
        }
        if !keep { process.terminate() }
    }

    /// Starts a worker (on the spawner thread) and reads its hello (on this one).
    private func spawn(_ launch: Launch) -> Swift.Result<(WorkerProcess, IndexStatus), DaemonError> {
        let request = Spawn(launch)
        spawner.submit(request)
        request.done.wait()
        let process: WorkerProcess
        switch request.result {
        case .success(let started): process = started
        case .failure(let error): return .failure(error)
        case nil: return .failure(DaemonError(code: "worker-spawn", message: "no spawn result"))
        }
        guard let hello = process.hello(), let value = try? JSONValue.parse(hello) else {
            let exit = process.terminate()
            return .failure(DaemonError(code: "worker-unavailable", message: "the worker ended before it was ready (\(exit))"))
        }
        if case .object(let ready)? = value["ready"], case .int(let entries)? = ready["entries"],
           case .string(let snapshot)? = ready["snapshot"] {
            var status = IndexStatus(entries: Int(entries), snapshot: snapshot)
            if case .int(let n)? = ready["sentences"] { status.corpusSentences = Int(n) }
            if case .int(let n)? = ready["storedSentences"] { status.storedSentenceEmbeddings = Int(n) }
            if case .string(let m)? = ready["paraphraseModel"] { status.paraphraseModel = m }
            if case .string(let m)? = ready["descriptorModel"] { status.descriptorModel = m }
            return .success((process, status))
        }
        process.terminate()
        var code = "worker-unavailable", message = "the worker could not start"
        if case .object(let failure)? = value["error"] {
            if case .string(let c)? = failure["code"] { code = c }
            if case .string(let m)? = failure["message"] { message = m }
        }
        return .failure(DaemonError(code: code, message: message))
    }

    private func onPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }

    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}
