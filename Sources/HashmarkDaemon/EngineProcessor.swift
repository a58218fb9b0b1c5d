import Foundation
import HashmarkEngine
import HashmarkReport
import HashmarkStore

/// The real `SpoolProcessor`: the shared engine call, a signed report, the ledger.
///
/// Report ids are derived from (inbox name, content SHA-256, corpus snapshot, model id), so a
/// re-run after a crash rewrites the same report — and keeps its `createdAt`, making the rewrite
/// byte-identical and the ledger free of duplicates — while the same bytes under two names get
/// two reports.
public final class EngineProcessor: SpoolProcessor {
    private let config: DaemonConfig
    private let writer: ReportWriter
    private let committer: ReportCommitter
    /// At most `workers` files are matched at once; more are in flight (see `SpoolRunner`).
    private let gate: ComputeGate
    private let engine = Locked<Engine?>(nil)
    private let limits: EngineLimits
    /// When the store's snapshot version was last compared with the loaded index's.
    private let lastSnapshotCheck = Locked(Date.distantPast)
    /// How often a worker looks for a changed corpus (a `corpus add` while the daemon runs).
    static let snapshotCheckInterval: TimeInterval = 5

    /// Loads the signing key (refusing one readable by others) and opens the reports folder.
    public init(config: DaemonConfig) throws {
        self.config = config
        let key = try SigningKey.load(pemPath: config.signingKey)
        let reports = config.spoolRoot + "/" + SpoolFolder.reports.rawValue
        try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        writer = try ReportWriter(directory: reports, signingKey: key)
        committer = ReportCommitter(writer: writer)
        gate = ComputeGate(permits: config.workers)
        limits = EngineLimits(image: .init(maxPixels: config.limits.maxPixels, maxFileBytes: config.limits.maxFileBytes),
                              maxTextBytes: config.limits.maxTextBytes)
    }

    public func prepare() async throws -> IndexStatus {
        removeStaleTempFiles()
        return try load()
    }

    /// A crash (SIGKILL) between creating a report's temp file and renaming it leaves
    /// `reports/.tmp-<pid>-<n>` behind. The daemon holds the spool lock, so no live writer owns one.
    private func removeStaleTempFiles() {
        let dir = writer.directory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasPrefix(".tmp-") {
            try? FileManager.default.removeItem(atPath: dir + "/" + name)
        }
    }
    public func reload() async throws -> IndexStatus { try load() }

    private func load() throws -> IndexStatus {
        guard FileManager.default.fileExists(atPath: config.corpusDB) else {
            throw DaemonError(code: "corpus-missing", message: "no corpus database at \(config.corpusDB)")
        }
        let store = try CorpusStore(path: config.corpusDB)
        let fresh = Engine(index: try CorpusIndex(store: store), model: try LoadedModel.locate(explicit: nil),
                           limits: limits)
        engine.withLock { $0 = fresh }
        let counts = fresh.index.counts
        return IndexStatus(entries: counts.pdqHashes + counts.textPostings + counts.localFeatureSets,
                           snapshot: fresh.index.snapshot.id)
    }

    /// The engine to match with; at most every few seconds, first swaps in a fresh index if the
    /// corpus changed on disk since it was loaded (the same swap as SIGHUP).
    private func current() -> Engine? {
        let now = Date()
        let due = lastSnapshotCheck.withLock { last -> Bool in
            guard now.timeIntervalSince(last) >= Self.snapshotCheckInterval else { return false }
            last = now
            return true
        }
        if due, let loaded = engine.withLock({ $0 }),
           let onDisk = try? CorpusStore(path: config.corpusDB).snapshot(),
           onDisk.version != loaded.index.snapshot.version {
            _ = try? load()
        }
        return engine.withLock { $0 }
    }

    public func process(_ item: ClaimedFile) async -> ProcessOutcome {
        guard let engine = current() else { return ProcessOutcome(verdict: .error(code: "not-ready"), reportID: nil, disposition: .retry) }
        guard let file = item.file else {
            return await reject(item, code: "not-regular-file", message: "the entry could not be opened")
        }
        let verdict: Verdict
        do {
            let bytes = try file.readAll(limit: limits.image.maxFileBytes)
            if Task.isCancelled { return ProcessOutcome(verdict: .error(code: "timeout"), reportID: nil, disposition: .retry) }
            await gate.acquire()
            defer { gate.release() }
            if Task.isCancelled { return ProcessOutcome(verdict: .error(code: "timeout"), reportID: nil, disposition: .retry) }
            verdict = engine.check(bytes: bytes, fileName: item.name.display)
        } catch {
            verdict = engine.errorVerdict(EngineError(code: error.code, message: error.message),
                                          subject: subject(item, sha256: ""))
        }
        return await write(verdict, item: item, engine: engine)
    }

    public func reject(_ item: ClaimedFile, code: String, message: String) async -> ProcessOutcome {
        guard let engine = current() else { return ProcessOutcome(verdict: .error(code: code), reportID: nil, disposition: .retry) }
        let verdict = engine.errorVerdict(EngineError(code: code, message: message), subject: subject(item, sha256: ""))
        return await write(verdict, item: item, engine: engine)
    }

    private func subject(_ item: ClaimedFile, sha256: String) -> Subject {
        Subject(fileName: item.name.display, size: Int(item.size), sha256: sha256,
                mediaType: "application/octet-stream")
    }

    private func write(_ verdict: Verdict, item: ClaimedFile, engine: Engine) async -> ProcessOutcome {
        let id = Self.reportID(name: item.name.bytes, sha256: verdict.subject.sha256,
                               snapshot: verdict.corpusSnapshot, model: verdict.model.id)
        let createdAt = existingCreatedAt(id) ?? RFC3339.string(from: Date())
        let report = ReportBuilder.report(verdict, model: engine.model.model, reportID: id, createdAt: createdAt)
        let kind: VerdictKind = switch verdict.kind {
        case .infringing: .infringing
        case .clear: .clear
        case .error: .error(code: verdict.error?.code ?? "error")
        }
        // The daemon may have given up on this item (timeout, shutdown): then write nothing.
        guard item.permit.begin() else { return ProcessOutcome(verdict: kind, reportID: nil, disposition: .retry) }
        guard case .success = await committer.write(report) else {
            return ProcessOutcome(verdict: kind, reportID: nil, disposition: .retry)
        }
        return ProcessOutcome(verdict: kind, reportID: id, disposition: verdict.kind == .error ? .failed : .done)
    }

    /// The `createdAt` of a report already written under this id (a crash re-run), if readable.
    private func existingCreatedAt(_ id: String) -> String? {
        let path = writer.directory + "/" + id + ".json"
        guard let data = FileManager.default.contents(atPath: path),
              let report = try? VerdictReport(bytes: [UInt8](data)) else { return nil }
        return report.createdAt
    }

    /// 32 hex digits of SHA-256 over the inbox name, the content hash, the snapshot and the model.
    static func reportID(name: [UInt8], sha256: String, snapshot: String, model: String) -> String {
        var input = name
        for part in [sha256, snapshot, model] { input += [0] + Array(part.utf8) }
        return String(HashmarkStore.SHA256.hex(input).prefix(32))
    }
}
