#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HashmarkDocument
import HashmarkEngine
import HashmarkMedia
import HashmarkPrimitives
import HashmarkReport
import HashmarkStore
import Synchronization

/// The real `SpoolProcessor`: the daemon reads each file, `hashmark worker` processes decode and
/// match it (`WorkerPool`), and the daemon checks, names and signs the report.
///
/// Report ids derive from the inbox name and the SHA-256 of the bytes actually read (for entries
/// that are not read — symlinks, FIFOs, unreadable files — from the name and the entry's identity),
/// so two different files under one name never share a report. A file found in active/ after a
/// crash whose report is already durable and in the ledger gets that report again, not a new
/// decision against a corpus that may have changed meanwhile. A file that kills its worker or
/// runs into the deadline twice (each time in a fresh worker) gets a `worker-crashed` or `timeout`
/// error report and goes to failed/.
public final class EngineProcessor: SpoolProcessor {
    private let config: DaemonConfig
    private let writer: ReportWriter
    private let committer: ReportCommitter
    private let pool: WorkerPool
    private let model: LoadedModel
    private let limits: EngineLimits
    private let reading = DispatchQueue(label: "hashmark.read", attributes: .concurrent)
    /// The daemon's own read-only view of the corpus, for `corpusChanged` (opened on first use),
    /// and the versions loaded into the workers and last asked to reload.
    private let corpus = Mutex<(store: CorpusStore?, loaded: Int64?, requested: Int64?)>((nil, nil, nil))
    /// On PostgreSQL: this daemon's ledger lines, copied into the shared ledger.
    private let mirror: LedgerMirror?
    /// Attempts per file before a crash or timeout becomes its verdict.
    static let attempts = 2

    /// Loads the signing key (refusing one readable by others) and the model, and opens the
    /// reports folder. Workers are `executable worker …` (the daemon's own binary by default).
    public init(config: DaemonConfig, executable: String = "/proc/self/exe") throws {
        self.config = config
        let key = try SigningKey.load(pemPath: config.signingKey)
        let reports = config.spoolRoot + "/" + SpoolFolder.reports.rawValue
        try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        writer = try ReportWriter(directory: reports, signingKey: key)
        committer = ReportCommitter(writer: writer)
        model = try LoadedModel.locate(explicit: nil)
        limits = EngineLimits(image: .init(maxPixels: config.limits.maxPixels, maxFileBytes: config.limits.maxFileBytes),
                              maxTextBytes: config.limits.maxTextBytes)
        pool = WorkerPool(size: config.workers, launch: Self.launch(config, model: model, executable: executable))
        mirror = PostgresLocation.isURL(config.corpusDB)
            ? LedgerMirror(database: config.corpusDB, reportsFolder: reports,
                           logger: DaemonEnvironment.makeLogger(level: config.logLevel, environment: DaemonEnvironment.current()))
            : nil
    }

    /// The worker command line: everything it needs is an argument (the learned models' folders
    /// too, or `off` / `missing`); its environment is empty but for turning off the Swift
    /// runtime's backtracer (a crash report would fork a helper).
    static func launch(_ config: DaemonConfig, model: LoadedModel, executable: String) -> WorkerPool.Launch {
        // A PostgreSQL password never goes on a command line (other users can read those): the
        // worker gets the URL without it and the password in PGPASSWORD.
        var environment = ["SWIFT_BACKTRACE": "enable=no"]
        var database = config.corpusDB
        if let location = try? PostgresLocation(url: config.corpusDB) {
            database = location.description
            if let password = location.password { environment["PGPASSWORD"] = password }
        }
        var arguments = ["worker", "--db", database,
                         "--max-file-bytes", "\(config.limits.maxFileBytes)",
                         "--max-pixels", "\(config.limits.maxPixels)",
                         "--max-text-bytes", "\(config.limits.maxTextBytes)",
                         "--memory-mib", "\(config.limits.workerMemoryMiB)",
                         "--parent", "\(getpid())"]
        if let path = model.path { arguments += ["--model", path] }
        // The learned models as this process finds them ($HASHMARK_SEMANTIC_MODEL, Models/, the
        // installed copy): the worker's environment is empty and its directory may differ.
        arguments += ["--semantic-model", SemanticModel.lookup().argument,
                      "--descriptor-model", DescriptorModel.lookup().argument]
        if ProcessInfo.processInfo.environment["HASHMARK_WORKER_TEST_HOOKS"] == "1" { arguments.append("--test-hooks") }
        return .init(executable: executable, arguments: arguments, environment: environment)
    }

    /// Workers are killed at the deadline, so the daemon's own (cooperative) deadline is only a
    /// backstop: both attempts, the five Poppler runs of a PDF's extraction, and time to start
    /// a worker.
    public var deadlineSeconds: Double? {
        Double(Self.attempts) * config.limits.maxSeconds + 5 * DocumentLimits().processSeconds + 30
    }

    public func prepare() async throws -> IndexStatus {
        removeStaleTempFiles()
        guard CorpusStore.mayExist(at: config.corpusDB) else {
            throw DaemonError(code: "corpus-missing", message: "no corpus database at \(config.corpusDB)")
        }
        // Applies pending migrations (an upgraded binary on an older file), so that workers, which
        // open the corpus read-only, find it current. A corpus this daemon may not write is left
        // as it is: the workers then say what is wrong with it.
        _ = try? CorpusStore(path: config.corpusDB)
        mirror?.request()  // lines a crash left uncopied
        return loaded(try await pool.start())
    }

    public func reload() async throws -> IndexStatus { loaded(try await pool.reload()) }

    /// Records the version the workers loaded (from the snapshot id `v<version>-<digest>`).
    private func loaded(_ status: IndexStatus) -> IndexStatus {
        let version = Int64(status.snapshot.dropFirst().prefix { $0 != "-" })
        corpus.withLock { $0.loaded = version; $0.requested = version }
        return status
    }

    /// Reads the corpus's snapshot version (one small query) off the cooperative pool; `true`
    /// once per version that differs from the loaded one. An unreadable corpus is no change: the
    /// workers keep the index they have, and reports keep naming its snapshot.
    public func corpusChanged() async -> Bool {
        let database = config.corpusDB
        let current: Int64? = await withCheckedContinuation { continuation in
            reading.async {
                let store = self.corpus.withLock { $0.store } ?? (try? CorpusStore(path: database, readOnly: true))
                self.corpus.withLock { if $0.store == nil { $0.store = store } }
                continuation.resume(returning: try? store?.snapshotVersion())
            }
        }
        guard let current else { return false }
        return corpus.withLock { state in
            guard state.loaded != nil, current != state.loaded, current != state.requested else { return false }
            state.requested = current
            return true
        }
    }

    public func shutdown() {
        pool.shutdown()
        maintain()
        _ = try? mirror?.sync()
    }

    /// A signed checkpoint of the ledger when it moved since the last one (each group commit
    /// checkpoints the state before it; this covers the newest commit while the inbox is quiet);
    /// on PostgreSQL, a retry of ledger lines not yet in the shared ledger.
    public func maintain() {
        _ = try? writer.checkpoint()
        mirror?.request()
    }

    /// A crash (SIGKILL) between creating a report's temp file and renaming it leaves
    /// `reports/.tmp-<pid>-<n>` behind. The daemon holds the spool lock, so no live writer owns one.
    private func removeStaleTempFiles() {
        let dir = writer.directory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasPrefix(".tmp-") {
            try? FileManager.default.removeItem(atPath: dir + "/" + name)
        }
    }

    public func process(_ item: ClaimedFile) async -> ProcessOutcome {
        guard let file = item.file else {
            return await reject(item, code: "not-regular-file", message: "the entry could not be opened")
        }
        // Reading (and, for a file over the limit, hashing all of it) blocks: not on the
        // cooperative pool, where it would stall the inotify feed and the watchdog.
        let limit = limits.image.maxFileBytes
        let content = await withCheckedContinuation { continuation in
            reading.async { continuation.resume(returning: file.read(limit: limit)) }
        }
        let subject = VerdictReport.Subject(fileName: item.name.display, size: content.size, sha256: content.sha256,
                              mediaType: "application/octet-stream")
        let id = Self.reportID(name: item.name.bytes, sha256: content.sha256)
        if item.recovered, let existing = try? writer.ledgeredReport(id: id) {
            return ProcessOutcome(existing, reportID: id, disposition: existing.verdict == .error ? .failed : .done)
        }
        guard case .complete(let bytes) = content.bytes else {
            let (code, message) = content.failure ?? ("read-failed", "the file could not be read")
            return await write(errorVerdict(code, message, subject: subject), item: item, id: id)
        }
        var header: [String: JSONValue] = ["name": .string(item.name.display)]
        var payload = bytes
        // Workers cannot start programs (seccomp): a PDF is extracted here, by `pdftotext` in a
        // limited child process, and the worker gets its text and images.
        if MediaType.sniff(bytes, fileName: nil) == .pdf {
            var pdf = subject
            pdf.mediaType = MediaType.pdf.mimeType
            switch await extractPDF(bytes) {
            case .success(let wire):
                header["extracted"] = .object(["sha256": .string(content.sha256), "size": .int(Int64(content.size)),
                                               "mediaType": .string(pdf.mediaType)])
                payload = wire
            case .failure(let error):
                return await write(errorVerdict(error.code.rawValue, error.message, subject: pdf), item: item, id: id)
            }
        }
        let headerBytes = (try? JSONValue.object(header).canonicalBytes()) ?? []
        var last = (code: EngineError.Code.timeout, message: "")
        for attempt in 1...Self.attempts {
            if Task.isCancelled { return ProcessOutcome(verdict: .error, errorCode: "shutdown", reportID: nil, disposition: .retry) }
            switch await pool.run(header: headerBytes, payload: payload, deadline: config.limits.maxSeconds) {
            case .reply(let reply):
                guard var report = try? VerdictReport(bytes: reply), report.subject.sha256 == content.sha256 else {
                    last = ("worker-crashed", "the worker's reply was not a valid report (attempt \(attempt))")
                    continue
                }
                report.subject.fileName = subject.fileName
                report.subject.size = subject.size
                return await write(report, item: item, id: id)
            case .timedOut:
                last = (EngineError.Code.timeout,
                        "processing exceeded \(config.limits.maxSeconds) s in \(attempt) fresh worker(s); each was killed")
            case .crashed(let exit):
                last = ("worker-crashed", "the worker processing this file died (\(exit)) in \(attempt) fresh worker(s)")
            case .unavailable(let error):
                return ProcessOutcome(verdict: .error, errorCode: error.code, reportID: nil, disposition: .retry,
                                      problem: "\(error)")
            }
        }
        return await write(errorVerdict(last.code, last.message, subject: subject), item: item, id: id)
    }

    /// A PDF's text and images in the form a worker reads (`ExtractedDocument.wireBytes`), made
    /// off the cooperative pool; each Poppler run is killed at `DocumentLimits.processSeconds`.
    private func extractPDF(_ bytes: [UInt8]) async -> Result<[UInt8], DocumentError> {
        let reader = DocumentReader(for: limits)
        let cap = WorkerFrame.extractedPayloadLimit(limits)
        return await withCheckedContinuation { continuation in
            reading.async {
                continuation.resume(returning: Result { () throws(DocumentError) -> [UInt8] in
                    let wire = try reader.extract(bytes, format: .pdf).wireBytes()
                    guard wire.count <= cap else {
                        throw DocumentError(.tooLarge, "The PDF's extracted text and images take \(wire.count) bytes; the limit is \(cap).")
                    }
                    return wire
                })
            }
        }
    }

    public func reject(_ item: ClaimedFile, code: String, message: String) async -> ProcessOutcome {
        // Nothing was read: the subject is the empty content, and the id includes the entry's
        // identity (device, inode, change time) so two such entries under one name stay apart.
        let subject = VerdictReport.Subject(fileName: item.name.display, size: Int(item.size), sha256: SHA256.hex([UInt8]()),
                              mediaType: "application/octet-stream")
        let id = Self.reportID(name: item.name.bytes, sha256: subject.sha256, unread: item.identity)
        if item.recovered, let existing = try? writer.ledgeredReport(id: id) {
            return ProcessOutcome(existing, reportID: id, disposition: .failed)
        }
        return await write(errorVerdict(code, message, subject: subject), item: item, id: id)
    }

    private func errorVerdict(_ code: String, _ message: String, subject: VerdictReport.Subject) -> VerdictReport {
        .error(EngineError(code: code, message: message), subject: subject,
               corpusSnapshot: pool.status?.snapshot ?? "unknown", model: model)
    }

    /// Names, dates and signs the report. A re-run that reaches the same decision keeps the
    /// first `createdAt`, so the rewrite is byte-identical and the ledger gets no second line.
    private func write(_ decided: VerdictReport, item: ClaimedFile, id: String) async -> ProcessOutcome {
        var report = decided.named(id, createdAt: RFC3339.string(from: Date()))
        if let existing = existingReport(id) {
            var same = report
            same.createdAt = existing.createdAt
            same.signer = existing.signer
            same.previousReportSha256 = existing.previousReportSha256
            if same == existing { report.createdAt = existing.createdAt }
        }
        // The daemon may have given up on this item (timeout, shutdown): then write nothing.
        guard item.permit.begin() else { return ProcessOutcome(report, reportID: nil, disposition: .retry) }
        switch await item.fence?(id) ?? .write {
        case .write: break
        case .superseded: return ProcessOutcome(report, reportID: nil, disposition: .superseded)
        case .unavailable(let problem): return ProcessOutcome(report, reportID: nil, disposition: .retry, problem: problem)
        }
        switch await committer.write(report) {
        case .success(let written):
            if written.appendedToLedger { mirror?.request() }
            return ProcessOutcome(report, reportID: id, disposition: report.verdict == .error ? .failed : .done,
                                  ledger: written.appendedToLedger ? "\(written.ledger.head.prefix(16))…/\(written.ledger.count)" : nil)
        case .failure(let error):
            return ProcessOutcome(report, reportID: nil, disposition: .retry, problem: "report not written: \(error)")
        }
    }

    /// The report already written under this id, if readable.
    private func existingReport(_ id: String) -> VerdictReport? {
        guard let data = FileManager.default.contents(atPath: writer.directory + "/" + id + ".json") else { return nil }
        return try? VerdictReport(bytes: [UInt8](data))
    }

    /// 32 hex digits of SHA-256 over the inbox name and the content's SHA-256 (and, for an entry
    /// that was not read, its identity).
    static func reportID(name: [UInt8], sha256: String, unread identity: String? = nil) -> String {
        var input = name + [0] + Array(sha256.utf8)
        if let identity { input += [0] + Array("unread:\(identity)".utf8) }
        return String(SHA256.hex(input).prefix(32))
    }
}
