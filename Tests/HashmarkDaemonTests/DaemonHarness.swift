import Foundation
import HashmarkDaemon
import Logging
import ServiceLifecycle
import Synchronization

/// Runs a real `SpoolDaemon` on a temporary spool with real inotify, and turns its events into
/// something tests can await (no sleeps).
/// Collects daemon events synchronously and wakes waiters through an AsyncStream.
final class EventLog: Sendable {
    private let events = Mutex([DaemonEvent]())
    let wakeups = AsyncStream<Void>.makeStream()

    func record(_ event: DaemonEvent) {
        events.withLock { $0.append(event) }
        wakeups.continuation.yield()
    }

    var all: [DaemonEvent] { events.withLock { $0 } }
}

final class DaemonHarness: @unchecked Sendable {
    let root: String
    let processor: ChecksumTestProcessor
    let daemon: SpoolDaemon
    let group: ServiceGroup
    let log = EventLog()
    private var iterator: AsyncStream<Void>.AsyncIterator
    private var runTask: Task<Void, any Error>?

    init(root: String? = nil, environment: [String: String] = [:],
         configure: (inout DaemonConfig) -> Void = { _ in }) {
        let root = root ?? DaemonHarness.makeTempDir()
        self.root = root
        var config = DaemonConfig()
        config.spoolRoot = root
        config.workers = 2
        config.queueCapacity = 8
        config.settleMilliseconds = 30
        config.scanIntervalSeconds = 0
        config.shutdownGraceSeconds = 20
        configure(&config)
        processor = ChecksumTestProcessor(spoolRoot: root)
        iterator = log.wakeups.stream.makeAsyncIterator()
        var logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        logger.logLevel = .critical
        daemon = SpoolDaemon(config: config, processor: processor, logger: logger, environment: environment,
                             onEvent: { [log] in log.record($0) })
        group = ServiceGroup(configuration: .init(services: [.init(service: daemon)], logger: logger))
    }

    static func makeTempDir() -> String {
        let path = NSTemporaryDirectory() + "/hashmark-daemon-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    var processed: [(name: SpoolName, outcome: ProcessOutcome, movedTo: SpoolName?)] {
        log.all.compactMap { if case .processed(let n, let o, let m) = $0 { (n, o, m) } else { nil } }
    }

    var metricsPort: UInt16? {
        log.all.lazy.compactMap { if case .ready(_, let port) = $0 { port } else { nil } }.first
    }

    var sawStopping: Bool { log.all.contains { if case .stopping = $0 { true } else { false } } }

    private var isReady: Bool { log.all.contains { if case .ready = $0 { true } else { false } } }

    /// Starts the daemon and returns once it reported ready.
    func start() async throws {
        runTask = Task { [group] in try await group.run() }
        while !isReady {
            guard await iterator.next() != nil else { throw HarnessError("event stream ended") }
        }
    }

    /// Waits until `count` files in total have been processed by this daemon.
    func waitProcessed(_ count: Int) async throws {
        while processed.count < count {
            guard await iterator.next() != nil else { throw HarnessError("event stream ended") }
        }
    }

    /// Waits until an event matching `predicate` has been seen.
    func waitFor(_ predicate: (DaemonEvent) -> Bool) async throws {
        while !log.all.contains(where: predicate) {
            guard await iterator.next() != nil else { throw HarnessError("event stream ended") }
        }
    }

    /// Graceful shutdown (what SIGTERM does) and wait for the daemon to return.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await runTask?.value
        runTask = nil
    }

    // MARK: Files

    func path(_ folder: String, _ name: String = "") -> String { name.isEmpty ? "\(root)/\(folder)" : "\(root)/\(folder)/\(name)" }

    /// Writes directly into inbox/ (gives IN_CLOSE_WRITE).
    func writeDirect(_ name: String, _ content: String) throws {
        try Data(content.utf8).write(to: URL(fileURLWithPath: path("inbox", name)))
    }

    /// Writes into inbox/.tmp/ then renames into inbox/ (gives IN_MOVED_TO).
    func dropRenamed(_ name: String, _ content: String) throws {
        let tmp = path("inbox/.tmp", name)
        try Data(content.utf8).write(to: URL(fileURLWithPath: tmp))
        guard rename(tmp, path("inbox", name)) == 0 else { throw HarnessError("rename failed") }
    }

    /// Entries of a folder as raw names.
    func list(_ folder: String) -> [[UInt8]] {
        guard let dir = opendir(path(folder)) else { return [] }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name != [46] && name != [46, 46] { names.append(name) }
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) }
    }

    func visible(_ folder: String) -> [String] {
        list(folder).map { String(decoding: $0, as: UTF8.self) }.filter { !$0.hasPrefix(".") }
    }

    func reports() -> [String] { visible("reports").filter { $0.hasSuffix(".json") } }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
