#if canImport(Glibc)
import Glibc
#endif
import HashmarkStore
import Logging
import Synchronization

/// One run of the daemon: workers, inbox scanning and inotify handling over one open spool.
final class SpoolRunner: Sendable {
    let spool: Spool
    let config: DaemonConfig
    let processor: any SpoolProcessor
    let metrics: DaemonMetrics
    let logger: Logger
    let onEvent: @Sendable (DaemonEvent) -> Void
    let queue: WorkQueue
    /// The shared inbox this daemon also takes files from, if configured.
    let shared: SharedInbox?
    let rescans: AsyncStream<Void>
    private let rescanContinuation: AsyncStream<Void>.Continuation
    /// In-flight attempts by active/ path.
    private let attempts = Mutex([String: (Attempt, ReportPermit)]())
    let counts = Mutex(DaemonCounts())
    /// The latest failure to finish an item (no report written), for STATUS= and the health gauge.
    let health: DaemonHealth
    /// Inbox names whose claim the file system refused, and until when they are skipped.
    let backoff = ClaimBackoff()
    /// Young files a scan or inotify found: one settle task each.
    private let settling = Mutex(Set<SpoolName>())

    init(spool: Spool, config: DaemonConfig, processor: any SpoolProcessor, metrics: DaemonMetrics,
         logger: Logger, shared: SharedInbox? = nil, onEvent: @escaping @Sendable (DaemonEvent) -> Void) {
        self.spool = spool
        self.shared = shared
        self.config = config
        self.processor = processor
        self.metrics = metrics
        self.logger = logger
        self.onEvent = onEvent
        health = DaemonHealth(metrics: metrics)
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        rescans = stream
        rescanContinuation = continuation
        queue = WorkQueue(spool: spool, capacity: config.queueCapacity) { continuation.yield() }
    }

    func requestRescan() { rescanContinuation.yield() }

    /// Items processed concurrently: `workers` compute while the others' reports wait for their
    /// group commit (the processor bounds the CPU-bound part to `workers`; see `ComputeGate`).
    static func inFlight(_ config: DaemonConfig) -> Int { config.workers * 4 }

    // MARK: Discovery

    /// Adopts everything in active/ (crash recovery at start; retries later).
    func adoptActive() async {
        var names: [SpoolName] = []
        do {
            try spool.forEachEntry(in: .active) { name in
                if !SharedInbox.isTemporary(name) { names.append(name) }  // a shared file's copy being made
                return true
            }
        } catch {
            logger.error("cannot list active/", metadata: ["error": "\(error)"])
        }
        for name in names { await queue.adopt(name) }
    }

    /// Claims what waits in inbox/ until the queue is full or the inbox is drained. Reads only
    /// as many directory entries as can be claimed now; young regular files (possibly still being
    /// written) get a settle task and are claimed once they hold still. Names that cannot be
    /// claimed (busy, or a rename the file system refuses) are skipped for the rest of the scan,
    /// and refused ones also for a growing while (`ClaimBackoff`), so they never hide the files
    /// behind them nor make the daemon rescan in a loop.
    func scanInbox() async {
        let room = config.queueCapacity + Self.inFlight(config)
        var tried = Set<SpoolName>()
        for _ in 0..<100_000 {
            var ready: [SpoolName] = []
            var more = false
            do {
                try spool.forEachEntry(in: .inbox) { name in
                    guard !name.isHidden, !tried.contains(name), !backoff.isWaiting(name),
                          let info = try? spool.info(name, in: .inbox) else { return true }
                    if info.kind == .regular && isYoung(info) {
                        startSettling(name)
                    } else {
                        ready.append(name)
                    }
                    more = ready.count >= room
                    return !more
                }
            } catch {
                logger.error("cannot list inbox/", metadata: ["error": "\(error)"])
                return
            }
            for name in ready {
                tried.insert(name)
                switch await claim(name) {
                case .full, .closed: return
                case .claimed, .busy, .vanished: break
                }
            }
            if !more { return }
        }
    }

    private func isYoung(_ info: SpoolEntryInfo) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let age = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec) - info.modifiedNanoseconds
        return age < Int64(config.settleMilliseconds) * 1_000_000
    }

    private func startSettling(_ name: SpoolName) {
        guard settling.withLock({ $0.insert(name).inserted }) else { return }
        Task {
            await self.settleAndClaim(name)
            _ = self.settling.withLock { $0.remove(name) }
        }
    }

    private func claim(_ name: SpoolName) async -> WorkQueue.Offer {
        guard !backoff.isWaiting(name) else { return .busy }
        do {
            let offer = try await queue.offer(name)
            if offer == .claimed { backoff.clear(name) }
            return offer
        } catch {
            let seconds = backoff.refused(name)
            logger.error("cannot claim; skipped for a while", metadata: [
                "name": "\(name.display)", "error": "\(error)", "retry_in_s": "\(seconds)"])
            return .vanished
        }
    }

    /// Waits until a file written in place stops changing, then claims it.
    private func settleAndClaim(_ name: SpoolName) async {
        var previous: SpoolEntryInfo?
        for _ in 0..<600 {
            guard let info = try? spool.info(name, in: .inbox) else { return }
            if info.kind != .regular || info == previous {
                _ = await claim(name)
                return
            }
            previous = info
            do { try await Task.sleep(for: .milliseconds(config.settleMilliseconds)) } catch { return }
        }
    }

    /// Turns inotify events into claims.
    func feed(_ events: AsyncStream<InboxEvent>) async {
        for await event in events {
            switch event {
            case .movedIn(let name):
                _ = await claim(name)
            case .closedAfterWrite(let name):
                startSettling(name)
            case .created(let name):
                // Regular files announce themselves with CLOSE_WRITE; others never will.
                if let info = try? spool.info(name, in: .inbox), info.kind != .regular {
                    _ = await claim(name)
                }
            case .overflow:
                logger.warning("inotify queue overflow: rescanning inbox/")
                requestRescan()
            }
        }
    }

    // MARK: Workers

    func worker() async {
        while let job = await queue.next() {
            await handle(job)
        }
    }

    private func handle(_ job: WorkQueue.Job) async {
        let start = ContinuousClock.now
        let name = job.name
        // A copy of a shared file is processed under the shared file's name, fenced and completed
        // through the work queue.
        let sharedItem: SharedWorkItem?
        switch await sharedOrigin(of: name) {
        case .local: sharedItem = nil
        case .shared(let item): sharedItem = item
        case .handled:
            await queue.finished(name)
            return
        }
        let reportName = sharedItem.flatMap { SpoolName(bytes: $0.name) } ?? name
        var fence: (@Sendable (String) async -> ReportFence)?
        if let sharedItem, let shared {
            fence = { @Sendable id in await shared.fence(sharedItem, reportID: id) }
        }
        let activePath = spool.path(.active) + "/" + name.display
        let info: SpoolEntryInfo
        do {
            guard let found = try spool.info(name, in: .active) else {
                await queue.finished(name)
                return
            }
            info = found
        } catch {
            logger.error("cannot stat claimed file", metadata: ["name": "\(name.display)", "error": "\(error)"])
            await queue.finished(name)
            return
        }
        func item(_ file: ValidatedFile?) -> ClaimedFile {
            ClaimedFile(name: reportName, activePath: activePath, kind: info.kind, size: info.size, file: file,
                        recovered: job.recovered, identity: info.identity, fence: fence)
        }
        let outcome: ProcessOutcome?
        if info.kind != .regular {
            outcome = await processor.reject(item(nil), code: info.kind.rejectionCode,
                                             message: "not a regular file (\(info.kind.rawValue)); not opened")
        } else if info.links > 1 {
            // Another name of the same inode may sit anywhere on this file system (a hard link to a
            // file the daemon can read but the producer should not): never read it.
            outcome = await processor.reject(item(nil), code: "hard-link",
                                             message: "the file has \(info.links) links (a hard link); not opened")
        } else {
            switch spool.openValidated(name, expected: info) {
            case .failure(let error):
                outcome = await processor.reject(item(nil), code: error.code, message: error.message)
            case .success(let file):
                outcome = await attempt(item(file))
            }
        }
        guard var outcome else {
            // Given up at shutdown: stays in active/, processed again at the next start.
            await queue.finished(name)
            return
        }
        var movedTo: SpoolName?
        if let sharedItem {
            outcome = await finishShared(name, sharedItem, outcome)
        } else if outcome.disposition != .retry {
            do {
                movedTo = try spool.move(name, from: .active, to: outcome.disposition == .done ? .done : .failed,
                                         allowSuffix: true, durable: false)
            } catch {
                logger.error("cannot move original out of active/", metadata: ["name": "\(name.display)", "error": "\(error)"])
            }
        }
        await queue.finished(name)
        metrics.recordOutcome(outcome, duration: ContinuousClock.now - start)
        counts.withLock { $0.record(outcome) }
        health.record(outcome.problem)
        var metadata: Logger.Metadata = [
            "name": "\(reportName.display)", "verdict": "\(outcome.verdictDescription)", "report": "\(outcome.reportID ?? "-")",
            "to": "\(outcome.disposition.rawValue)",
        ]
        if let ledger = outcome.ledger { metadata["ledger"] = "\(ledger)" }
        if sharedItem != nil { metadata["copy"] = "\(name.display)" }
        if let problem = outcome.problem {
            metadata["problem"] = "\(problem)"
            logger.error("processed", metadata: metadata)
        } else {
            logger.info("processed", metadata: metadata)
        }
        onEvent(.processed(name: name, outcome: outcome, movedTo: movedTo))
    }

    /// Runs `process` against the per-file deadline. On timeout the permit is revoked and the
    /// computation is cancelled (cooperatively) and abandoned; the item gets a `timeout` report.
    /// Returns nil when shutdown gave up on the item.
    private func attempt(_ item: ClaimedFile) async -> ProcessOutcome? {
        let attempt = Attempt()
        attempts.withLock { $0[item.activePath] = (attempt, item.permit) }
        defer { _ = attempts.withLock { $0.removeValue(forKey: item.activePath) } }
        let processor = self.processor
        let work = Task { () -> ProcessOutcome in
            let outcome = await processor.process(item)
            attempt.resolve(.finished(outcome))
            return outcome
        }
        let limit = processor.deadlineSeconds ?? config.limits.maxSeconds
        let timer = Task {
            do { try await Task.sleep(for: .seconds(limit)) } catch { return }
            attempt.resolve(.deadline)
        }
        let end = await attempt.wait()
        timer.cancel()
        switch end {
        case .finished(let outcome):
            return outcome
        case .deadline, .shutdown:
            guard item.permit.revoke() else { return await work.value }  // already writing: let it finish
            work.cancel()
            metrics.recordAbandoned()
            if case .shutdown = end { return nil }
            logger.warning("processing time limit reached; computation abandoned",
                           metadata: ["name": "\(item.name.display)", "seconds": "\(limit)"])
            let fresh = ClaimedFile(name: item.name, activePath: item.activePath, kind: item.kind, size: item.size,
                                    file: item.file, recovered: item.recovered, identity: item.identity, fence: item.fence)
            return await processor.reject(fresh, code: "timeout",
                                          message: "processing exceeded \(limit) s")
        }
    }

    /// Shutdown grace expired: give up on every in-flight computation that is not yet writing.
    func abandonInFlight() {
        let current = attempts.withLock { Array($0.values) }
        for (attempt, _) in current { attempt.resolve(.shutdown) }
    }

    /// Puts claimed-but-unstarted jobs back into inbox/ (under their original names).
    func returnToInbox(_ jobs: [WorkQueue.Job]) async {
        for job in jobs {
            if SharedInbox.isCopy(job.name) {
                // A shared file's copy: give the claim back and drop the copy (the original waits
                // in the shared inbox); if the database cannot be told, the copy stays for the next start.
                if await shared?.release(job.name) ?? true { try? spool.remove(job.name, from: .active) }
                await queue.finished(job.name)
                continue
            }
            do {
                try spool.move(job.name, from: .active, to: .inbox, allowSuffix: false)
            } catch {
                logger.notice("left in active/ for the next start", metadata: ["name": "\(job.name.display)"])
            }
            await queue.finished(job.name)
        }
    }
}

/// Running totals for STATUS= and logs.
struct DaemonCounts: Sendable {
    var done = 0
    var failed = 0
    var retried = 0

    mutating func record(_ outcome: ProcessOutcome) {
        switch outcome.disposition {
        case .done: done += 1
        case .failed: failed += 1
        case .retry, .superseded: retried += 1
        }
    }
}
