#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import HashmarkEngine
import Logging
import ServiceLifecycle

/// Milestones of a daemon run, for the CLI (printing where to drop files) and for tests (which
/// wait on these instead of sleeping).
public enum DaemonEvent: Sendable {
    /// The index is loaded, crash leftovers are queued, READY=1 was sent.
    case ready(index: IndexStatus, metricsPort: UInt16?)
    /// An item's report is durable and its original moved (`movedTo` is its name in done/ or
    /// failed/; nil when left in active/ for retry or when the move failed).
    case processed(name: SpoolName, outcome: ProcessOutcome, movedTo: SpoolName?)
    case reloaded(IndexStatus)
    /// Graceful shutdown began (STOPPING=1 sent).
    case stopping
}

/// `hashmark watch` as a swift-service-lifecycle `Service`.
///
/// Start: open/create the spool (and take its lock), `processor.prepare()`, start inotify, queue
/// everything left in active/ (crash recovery), send READY=1, then claim from inbox/.
/// Graceful shutdown (SIGTERM/SIGINT via ServiceGroup, or task cancellation): STOPPING=1, stop
/// claiming, put unstarted claims back into inbox/, let in-flight items finish for
/// `shutdownGraceSeconds`; items still running after that stay in active/ (their report permit
/// is revoked, so no report can appear later) and are processed again at the next start.
public final class SpoolDaemon: Service, Sendable {
    public let config: DaemonConfig
    public let metrics: DaemonMetrics
    private let processor: any SpoolProcessor
    private let logger: Logger
    private let notifier: SystemdNotifier
    private let reloadOnSIGHUP: Bool
    private let onEvent: @Sendable (DaemonEvent) -> Void
    private let reloads: AsyncStream<Void>
    private let reloadContinuation: AsyncStream<Void>.Continuation

    /// - Parameters:
    ///   - environment: where `NOTIFY_SOCKET`/`WATCHDOG_USEC`/`WATCHDOG_PID` are read
    ///     (`DaemonEnvironment.current()` in production).
    ///   - reloadOnSIGHUP: install a SIGHUP handler that calls `processor.reload()` (the CLI
    ///     does; tests call `reload()` instead of signalling the test process).
    public init(config: DaemonConfig, processor: any SpoolProcessor, logger: Logger,
                environment: [String: String], reloadOnSIGHUP: Bool = false,
                metrics: DaemonMetrics = DaemonMetrics(),
                onEvent: @escaping @Sendable (DaemonEvent) -> Void = { _ in }) {
        self.config = config
        self.processor = processor
        self.logger = logger
        self.notifier = SystemdNotifier(environment: environment)
        self.reloadOnSIGHUP = reloadOnSIGHUP
        self.metrics = metrics
        self.onEvent = onEvent
        (reloads, reloadContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks the running daemon to swap its corpus index (what SIGHUP does).
    public func reload() { reloadContinuation.yield() }

    public func run() async throws {
        let spool = try Spool(root: config.spoolRoot)
        let index = try await processor.prepare()
        metrics.setIndexEntries(index.entries)
        let server = try config.metricsListen.map { listen throws(DaemonError) in
            try MetricsServer(address: MetricsAddress(parsing: listen)) { [metrics] in metrics.render() }
        }
        defer { server?.stop() }
        let watcher = try InboxWatcher(directory: spool.path(.inbox))
        defer { watcher.stop() }
        let shared = try config.sharedFolder.map { folder throws(DaemonError) in
            try SharedInbox(config: config, folder: folder, logger: logger)
        }
        let runner = SpoolRunner(spool: spool, config: config, processor: processor, metrics: metrics,
                                 logger: logger, shared: shared, onEvent: onEvent)
        await shared?.recover(spool)
        await runner.adoptActive()
        notifier.notify("READY=1\nSTATUS=index \(index.snapshot) (\(index.entries) entries); watching \(spool.path(.inbox))")
        var ready: Logger.Metadata = ["spool": "\(spool.root)", "snapshot": "\(index.snapshot)",
                                      "entries": "\(index.entries)", "workers": "\(config.workers)",
                                      "metrics": "\(server.map { "\($0.port)" } ?? "off")",
                                      "sentences": "\(index.corpusSentences)",
                                      "storedSentences": "\(index.storedSentenceEmbeddings)"]
        if let model = index.paraphraseModel { ready["paraphrase"] = "\(model)" }
        if let model = index.descriptorModel { ready["descriptor"] = "\(model)" }
        logger.info("ready", metadata: ready)
        if index.paraphraseModel == "missing", let warning = SemanticModel.missingWarning { logger.warning("\(warning)") }
        if index.descriptorModel == "missing", let warning = DescriptorModel.missingWarning { logger.warning("\(warning)") }
        if index.storedSentenceEmbeddings < index.corpusSentences {
            let missing = index.corpusSentences - index.storedSentenceEmbeddings
            logger.info("\(missing) of the corpus's \(index.corpusSentences) sentences have no stored embedding: each worker embeds them as text checks need them; `hashmark corpus add --embed-sentences` with the same files stores them (faster text checks)")
        }
        if Self.hardLinksUnprotected() {
            logger.warning("fs.protected_hardlinks is 0: a producer can hard-link files it does not own into inbox/; such files are refused (more than one link), but turn the protection on (sysctl fs.protected_hardlinks=1)")
        }
        onEvent(.ready(index: index, metricsPort: server?.port))

        let stop = Latch()
        await withTaskCancellationOrGracefulShutdownHandler {
            await serve(runner, watcher: watcher, stop: stop)
        } onCancelOrGracefulShutdown: {
            stop.fire()
        }
    }

    /// The owner check for hard links is the kernel's: with `fs.protected_hardlinks = 1` (Debian's
    /// default) a producer can only link files it owns or may write, so a link in the inbox never
    /// reaches a file the daemon may read and the producer may not. The daemon refuses any file
    /// with more than one link besides, and warns at start when the kernel's check is off.
    @_spi(Testing) public static func hardLinksUnprotected(setting path: String = "/proc/sys/fs/protected_hardlinks") -> Bool {
        guard let file = fopen(path, "r") else { return false }
        defer { fclose(file) }
        return fgetc(file) == Int32(UInt8(ascii: "0"))
    }

    private func serve(_ runner: SpoolRunner, watcher: InboxWatcher, stop: Latch) async {
        let workersDone = Latch()
        await withTaskGroup(of: Void.self) { background in
            background.addTask {
                await withTaskGroup(of: Void.self) { workers in
                    for _ in 0..<SpoolRunner.inFlight(self.config) { workers.addTask { await runner.worker() } }
                }
                workersDone.fire()
            }
            background.addTask { await runner.feed(watcher.events) }
            background.addTask { await self.scanLoop(runner) }
            background.addTask { await self.tickLoop(runner) }
            background.addTask { await self.reloadLoop() }
            background.addTask { await self.corpusWatchLoop() }
            if let shared = runner.shared {
                background.addTask { await self.sharedLoop(runner, shared) }
                background.addTask { await self.leaseLoop(shared) }
            }
            if reloadOnSIGHUP { background.addTask { await self.sighupLoop() } }

            await stop.wait()
            notifier.notify("STOPPING=1\nSTATUS=stopping")
            logger.info("stopping: no new claims")
            onEvent(.stopping)
            watcher.stop()
            await runner.shared?.stopClaiming()
            await runner.returnToInbox(await runner.queue.close())
            if await !workersDone.wait(timeout: .seconds(config.shutdownGraceSeconds)) {
                logger.warning("grace period over: in-flight items stay in active/ for the next start")
                runner.abandonInFlight()
                processor.shutdown()
                await workersDone.wait()
            }
            processor.shutdown()
            background.cancelAll()
        }
        let counts = runner.counts.withLock { $0 }
        logger.info("stopped", metadata: ["done": "\(counts.done)", "failed": "\(counts.failed)"])
    }

    /// Initial inbox scan, then one per interval and whenever asked (overflow, room freed). Each
    /// interval also recreates spool folders deleted under the daemon; what is left in active/
    /// (reports that could not be written) is retried at the interval while healthy, backing off
    /// up to 5 minutes while failures repeat.
    private func scanLoop(_ runner: SpoolRunner) async {
        await runner.scanInbox()
        let interval = config.scanIntervalSeconds
        await withTaskGroup(of: Void.self) { group in
            if interval > 0 {
                group.addTask {
                    var sinceRetry = 0.0
                    while true {
                        do { try await Task.sleep(for: .seconds(interval)) } catch { return }
                        self.processor.maintain()
                        for folder in runner.spool.repair() {
                            self.logger.warning("spool folder was missing: recreated", metadata: ["folder": "\(folder.rawValue)"])
                        }
                        sinceRetry += interval
                        if sinceRetry >= runner.health.retryDelay(interval: interval) {
                            sinceRetry = 0
                            await runner.adoptActive()  // retries left in active/
                        }
                        runner.requestRescan()
                    }
                }
            }
            group.addTask {
                for await _ in runner.rescans { await runner.scanInbox() }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// WATCHDOG=1 at half of WATCHDOG_USEC, after a round trip through the queue actor (so a
    /// wedged scheduler stops the pings), plus STATUS= with counts; metrics gauges too.
    private func tickLoop(_ runner: SpoolRunner) async {
        let interval = notifier.watchdogInterval.map { min($0, .seconds(2)) } ?? .seconds(2)
        while true {
            let depth = await runner.queue.depth
            let inFlight = await runner.queue.inFlight
            metrics.setQueue(depth: depth, inFlight: inFlight)
            let counts = runner.counts.withLock { $0 }
            var status = "STATUS=done \(counts.done), failed \(counts.failed), queued \(depth), in flight \(inFlight)"
            if let problem = runner.health.problem { status += "; DEGRADED: \(problem)" }
            notifier.notify(notifier.watchdogInterval == nil ? status : "WATCHDOG=1\n" + status)
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }

    private func reloadLoop() async {
        for await _ in reloads {
            notifier.notify("RELOADING=1")
            do {
                let index = try await processor.reload()
                metrics.setIndexEntries(index.entries)
                logger.info("index reloaded", metadata: ["snapshot": "\(index.snapshot)", "entries": "\(index.entries)"])
                onEvent(.reloaded(index))
            } catch {
                logger.error("index reload failed; keeping the old index", metadata: ["error": "\(error)"])
            }
            notifier.notify("READY=1")
        }
    }

    /// Claims from the shared inbox what the local queue has room for, every `[shared] poll_seconds`.
    private func sharedLoop(_ runner: SpoolRunner, _ shared: SharedInbox) async {
        while true {
            let room = config.queueCapacity - (await runner.queue.depth)
            for name in await shared.poll(room: room, spool: runner.spool) where !(await runner.queue.adopt(name)) {
                await runner.returnToInbox([WorkQueue.Job(name: name, recovered: true)])  // claimed as shutdown began
            }
            do { try await Task.sleep(for: .seconds(config.sharedPollSeconds)) } catch { return }
        }
    }

    /// Renews this daemon's shared claims every third of their lease.
    private func leaseLoop(_ shared: SharedInbox) async {
        while true {
            do { try await Task.sleep(for: .seconds(shared.leaseSeconds / 3)) } catch { return }
            await shared.renew()
        }
    }

    /// Reloads when the corpus changed under the daemon (see `SpoolProcessor.corpusChanged`).
    private func corpusWatchLoop() async {
        let interval = config.corpusPollSeconds
        guard interval > 0 else { return }
        while true {
            do { try await Task.sleep(for: .seconds(interval)) } catch { return }
            if await processor.corpusChanged() {
                logger.info("the corpus changed: reloading")
                reload()
            }
        }
    }

    private func sighupLoop() async {
        signal(SIGHUP, SIG_IGN)
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "hashmark.sighup"))
        source.setEventHandler { continuation.yield() }
        source.resume()
        let box = SignalSourceBox(source)
        await withTaskCancellationHandler {
            for await _ in stream { reload() }
        } onCancel: {
            box.source.cancel()
            continuation.finish()
        }
    }

    private final class SignalSourceBox: @unchecked Sendable {
        let source: any DispatchSourceSignal
        init(_ source: any DispatchSourceSignal) { self.source = source }
    }
}

/// Process environment and the production entry point for the CLI.
public enum DaemonEnvironment {
    /// The process environment as a dictionary (read once; the daemon never mutates it).
    public static func current() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let pair = String(cString: entry)
            if let eq = pair.firstIndex(of: "=") {
                result[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
            }
            pointer += 1
        }
        return result
    }

    /// Runs `hashmark watch` until SIGTERM/SIGINT: journald-friendly logging to stderr,
    /// sd_notify, SIGHUP reload, graceful shutdown. The CLI calls this after `resolve`.
    public static func runWatch(config: DaemonConfig, processor: any SpoolProcessor) async throws {
        // A worker that dies mid-request must be an EPIPE, not a signal that ends the daemon.
        signal(SIGPIPE, SIG_IGN)
        let environment = current()
        let logger = makeLogger(level: config.logLevel, environment: environment)
        let daemon = SpoolDaemon(config: config, processor: processor, logger: logger, environment: environment,
                                 reloadOnSIGHUP: true)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: daemon)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }

    /// A logger writing `JournalLogHandler` lines to stderr.
    public static func makeLogger(level: Logger.Level, environment: [String: String]) -> Logger {
        Logger(label: "hashmark") { label in
            JournalLogHandler(label: label, level: level, environment: environment)
        }
    }
}
