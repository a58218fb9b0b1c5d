import HashmarkReport
import Synchronization

/// What the daemon asks of the engine. The coordinator implements it with the real matcher; the
/// daemon owns claiming, validation, timeouts, moving originals and signalling systemd.
public protocol SpoolProcessor: Sendable {
    /// Loads the corpus index. The daemon reports READY=1 only after this returns; a throw stops
    /// the daemon before it claims anything.
    func prepare() async throws -> IndexStatus
    /// Swaps in a fresh corpus index (SIGHUP). Processing continues meanwhile; on a throw the
    /// daemon logs the error and keeps the old index.
    func reload() async throws -> IndexStatus
    /// Processes a claimed, validated regular file and durably writes its signed report (temp,
    /// fsync, rename, directory fsync) BEFORE returning. Bad content is an error verdict, not a
    /// throw. Before writing the report it must call `item.permit.begin()` and must not write
    /// when that returns false (the daemon gave up on the item: timeout or shutdown).
    func process(_ item: ClaimedFile) async -> ProcessOutcome
    /// Writes an error report for an item that must not be read (`item.file` is nil for
    /// symlinks, FIFOs, sockets, devices, directories) or that timed out (`code == "timeout"`).
    func reject(_ item: ClaimedFile, code: String, message: String) async -> ProcessOutcome
    /// How long the daemon lets `process` run before it gives up on the item by itself (revoking
    /// its permit, writing a `timeout` report). nil: `[limits] max_seconds`. A processor that
    /// pre-empts its own work (the engine's worker processes) gives a longer backstop.
    var deadlineSeconds: Double? { get }
    /// Stops whatever the processor runs (worker processes) at the end of a shutdown.
    func shutdown()
    /// Periodic upkeep, called at every scan interval and once more at shutdown (the engine's
    /// processor writes a signed ledger checkpoint when the ledger moved).
    func maintain()
    /// Whether the corpus changed since the index was loaded (a `corpus add` or `remove` by
    /// another process or, on PostgreSQL, another host), asked every `[corpus] poll_seconds`; the
    /// daemon then reloads. Once per new corpus version: a reload that fails is not retried
    /// until the corpus changes again (or SIGHUP).
    func corpusChanged() async -> Bool
}

extension SpoolProcessor {
    public var deadlineSeconds: Double? { nil }
    public func shutdown() {}
    public func maintain() {}
    public func corpusChanged() async -> Bool { false }
}

/// The corpus index the processor loaded: reported in logs, STATUS= and the index-size gauge.
public struct IndexStatus: Sendable, Equatable {
    /// Number of fingerprints in the index.
    public var entries: Int
    /// The snapshot id reports cite.
    public var snapshot: String
    /// Corpus sentences the paraphrase matcher indexes (0 when it is off), and how many of them
    /// have their embedding stored (`corpus add --embed-sentences`) rather than computed by each
    /// worker when first needed.
    public var corpusSentences = 0
    public var storedSentenceEmbeddings = 0
    /// The paraphrase matcher's and the image descriptor's model as the worker loaded it
    /// (`<id>@<first 12 hex of its weights' SHA-256>`), `off` (switched off on purpose) or
    /// `missing` (not found: the matcher is off, and the daemon warns); nil when the processor
    /// does not say.
    public var paraphraseModel: String?
    public var descriptorModel: String?

    public init(entries: Int, snapshot: String) {
        self.entries = entries
        self.snapshot = snapshot
    }
}

/// A file the daemon has claimed (renamed from inbox/ into active/).
public struct ClaimedFile: Sendable {
    /// The exact name the producer gave the file in inbox/ (part of the report id).
    public let name: SpoolName
    /// Absolute-or-root-relative path in active/, for logs. Read through `file`, not this path.
    public let activePath: String
    /// What `lstat` saw: only `.regular` items come with a `file`.
    public let kind: SpoolEntryKind
    /// Size from `lstat` in bytes.
    public let size: Int64
    /// The opened, validated regular file; nil when the entry must not be opened.
    public let file: ValidatedFile?
    /// True when this claim was found in active/ at start (re-run after a crash).
    public let recovered: Bool
    /// Device, inode and change time of the entry: names an entry whose content is not read.
    public let identity: String
    /// Gate for the one durable write of the report; see `ReportPermit`.
    public let permit: ReportPermit
    /// For a file from a shared inbox (`SharedInbox`): asked with the report id right after
    /// `permit.begin()` and before writing; the report is written only on `.write`.
    public let fence: (@Sendable (_ reportID: String) async -> ReportFence)?

    public init(name: SpoolName, activePath: String, kind: SpoolEntryKind, size: Int64,
                file: ValidatedFile?, recovered: Bool, identity: String = "", permit: ReportPermit = ReportPermit(),
                fence: (@Sendable (_ reportID: String) async -> ReportFence)? = nil) {
        self.name = name
        self.activePath = activePath
        self.kind = kind
        self.size = size
        self.file = file
        self.recovered = recovered
        self.identity = identity
        self.permit = permit
        self.fence = fence
    }
}

/// Whether a shared file's report may be written (`ClaimedFile.fence`).
public enum ReportFence: Sendable, Equatable {
    /// This daemon still holds the file: write the report.
    case write
    /// Another daemon took the file over: write nothing (`OriginalDisposition.superseded`).
    case superseded
    /// The work queue cannot say now: write nothing, retry later (`.retry`).
    case unavailable(String)
}

/// Decides, race-free, between "the processor writes its report" and "the daemon gives up on
/// the item" (timeout, shutdown). Swift cannot preempt CPU-bound work, so a timed-out
/// computation keeps running until it next checks `Task.isCancelled`; this gate guarantees that
/// such abandoned work can no longer write a report that would contradict the `timeout` report.
public final class ReportPermit: Sendable {
    private enum State { case open, writing, revoked }
    private let state = Mutex(State.open)

    public init() {}

    /// Call once, right before writing the report. True: write it (the daemon will wait for
    /// `process` to return). False: the daemon gave up; return without writing anything.
    public func begin() -> Bool {
        state.withLock { state in
            guard state == .open else { return false }
            state = .writing
            return true
        }
    }

    /// Daemon side: true if the item was taken away before the processor began writing.
    func revoke() -> Bool {
        state.withLock { state in
            guard state == .open else { return state == .revoked }
            state = .revoked
            return true
        }
    }
}

/// Where the original goes once its report is durable.
public enum OriginalDisposition: String, Sendable {
    /// The report is durable and the verdict is infringing or clear.
    case done
    /// The report is durable and it is an error report.
    case failed
    /// No report could be written (e.g. disk full): the original stays in active/ and is
    /// retried at the next periodic scan.
    case retry
    /// No report: the item was a copy of a shared file that another daemon took over (its lease
    /// ran out); the copy is deleted.
    case superseded
}

/// The result of processing one claimed file.
public struct ProcessOutcome: Sendable, Equatable {
    /// The report's verdict; `.error` also when no report could be written (`errorCode` says why).
    public var verdict: VerdictReport.Verdict
    /// With `.error`: the report's error code, or why processing stopped (`shutdown`, …).
    public var errorCode: String?
    /// The report id (file `reports/<id>.json`); nil only with `.retry`.
    public var reportID: String?
    public var disposition: OriginalDisposition
    /// With `.retry`: what went wrong (for the log, the health gauge and STATUS=).
    public var problem: String?
    /// The ledger after this report's commit (`ledger head H, count N, …`), logged with it.
    public var ledger: String?

    public init(verdict: VerdictReport.Verdict, errorCode: String? = nil, reportID: String?,
                disposition: OriginalDisposition, problem: String? = nil, ledger: String? = nil) {
        self.verdict = verdict
        self.errorCode = errorCode
        self.reportID = reportID
        self.disposition = disposition
        self.problem = problem
        self.ledger = ledger
    }

    /// The outcome of a written (or recovered) report.
    public init(_ report: VerdictReport, reportID: String?, disposition: OriginalDisposition, problem: String? = nil,
                ledger: String? = nil) {
        self.init(verdict: report.verdict, errorCode: report.error?.code, reportID: reportID,
                  disposition: disposition, problem: problem, ledger: ledger)
    }

    /// `infringing`, `clear` or `error(<code>)`, for logs.
    public var verdictDescription: String { errorCode.map { "error(\($0))" } ?? verdict.rawValue }
}
