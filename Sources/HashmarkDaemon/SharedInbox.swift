#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import HashmarkStore
import Logging
import Synchronization

/// Takes files from a shared folder's `inbox/` that the daemons of several hosts watch together,
/// through the database's work queue (`SharedWorkItem`), so that each file is processed by one
/// daemon and reported once.
///
/// Each poll lists the shared inbox, registers files that held still since the previous poll,
/// and claims as many rows as the local queue has room for (a lease of `[shared] lease_seconds`,
/// renewed every third of it). A claimed file is copied, durably, into the local `active/` as
/// `.shared.<row id>.<token>` (a name no producer can give: producers' dot-files are never
/// claimed) and processed like any other file, under its shared name: the report id is the same
/// whichever daemon writes it. Right before writing the report the daemon fences the row (it
/// must still hold it under its token); after the report is durable it marks the row done,
/// moves the shared original to `done/` or `failed/`, and deletes its copy.
///
/// A daemon that dies loses its claims when their leases run out, and another daemon copies
/// those files again; a fenced row (`committing`) waits for its own daemon, the only one that
/// knows whether the report was written. On restart a daemon copies again what it holds but
/// lacks a copy of, and drops copies of rows it no longer holds.
final class SharedInbox: @unchecked Sendable {
    static let copyPrefix = ".shared."
    static let temporaryPrefix = ".shared-tmp."

    let folder: SharedFolder
    /// `<hostname>:<spool root>`: names this daemon's claims.
    let owner: String
    let leaseSeconds: Double
    private let database: String
    private let logger: Logger
    private let queue = DispatchQueue(label: "hashmark.shared-inbox")
    // Guarded by `queue`.
    private var store: CorpusStore?
    private var lastSeen: [SpoolName: String] = [:]
    private var registered: [SpoolName: String] = [:]
    private var refusedLinks = Set<SpoolName>()
    private var failing: String?
    private var stopped = false
    /// This daemon's claims by row id.
    private let held = Mutex<[Int64: SharedWorkItem]>([:])

    init(config: DaemonConfig, folder path: String, logger: Logger) throws(DaemonError) {
        folder = try SharedFolder(root: path)
        database = config.corpusDB
        leaseSeconds = config.sharedLeaseSeconds
        self.logger = logger
        owner = config.sharedOwner
    }

    // MARK: Names of local copies

    static func isCopy(_ name: SpoolName) -> Bool { name.bytes.starts(with: Array(copyPrefix.utf8)) }
    static func isTemporary(_ name: SpoolName) -> Bool { name.bytes.starts(with: Array(temporaryPrefix.utf8)) }

    static func copyName(_ item: SharedWorkItem, temporary: Bool = false) -> SpoolName {
        SpoolName("\(temporary ? temporaryPrefix : copyPrefix)\(item.id).\(item.token)")!
    }

    /// Row id and token of a local copy's name.
    static func parse(_ name: SpoolName) -> (id: Int64, token: Int64)? {
        guard isCopy(name), let text = name.utf8String else { return nil }
        let parts = text.dropFirst(copyPrefix.count).split(separator: ".")
        guard parts.count == 2, let id = Int64(parts[0]), let token = Int64(parts[1]) else { return nil }
        return (id, token)
    }

    // MARK: Polling

    /// At start: removes half-made copies, and copies again every row this daemon holds whose
    /// copy is missing from `active/` (a crash between claim and copy, or a copy deleted by hand).
    /// The caller then adopts `active/` as usual.
    func recover(_ spool: Spool) async {
        await onQueue {
            var present = Set<SpoolName>()
            try? spool.forEachEntry(in: .active) { name in
                if Self.isTemporary(name) { try? spool.remove(name, from: .active) } else { present.insert(name) }
                return true
            }
            do {
                let mine = try self.opened().sharedItems(owner: self.owner)
                for item in mine {
                    self.held.withLock { $0[item.id] = item }
                    if !present.contains(Self.copyName(item)) { _ = self.copyIn(item, spool: spool) }
                }
                if !mine.isEmpty { self.logger.info("shared inbox: resuming this daemon's claims", metadata: ["rows": "\(mine.count)"]) }
            } catch {
                self.logFailure("cannot read this daemon's claims", error)
            }
        }
    }

    /// Lists the shared inbox, registers what held still since the last poll, claims up to
    /// `room` rows and copies them into `active/`. Returns the local names to queue.
    func poll(room: Int, spool: Spool) async -> [SpoolName] {
        await onQueue {
            do {
                guard !self.stopped else { return [] }
                try self.register()
                guard room > 0 else { return [] }
                let claims = try self.opened().claimShared(owner: self.owner, limit: room, leaseSeconds: self.leaseSeconds)
                self.recovered()
                return claims.compactMap { item in
                    self.held.withLock { $0[item.id] = item }
                    return self.copyIn(item, spool: spool) ? Self.copyName(item) : nil
                }
            } catch {
                self.logFailure("poll failed; retried at the next poll", error)
                return []
            }
        }
    }

    /// Registers entries whose identity is the same as at the previous listing (a file still
    /// being written in place changes), and moves out originals of rows already done (a crash
    /// after the row was marked, before the move).
    private func register() throws {
        let entries = try folder.list(limit: 100_000)
        var seen: [SpoolName: String] = [:]
        var settled: [(name: [UInt8], identity: String)] = []
        for (name, info) in entries {
            // A second link to a file may be one the producer cannot read (as in the local inbox,
            // where such files get a `hard-link` report unread): never copied, left where it is.
            if info.kind == .regular && info.links > 1 {
                if !refusedLinks.contains(name) {
                    refusedLinks.insert(name)
                    logger.warning("shared inbox: a file with more than one link is left unread", metadata: ["name": "\(name.display)"])
                }
                continue
            }
            let identity = SharedFolder.identity(info)
            seen[name] = identity
            if lastSeen[name] == identity && registered[name] != identity { settled.append((name.bytes, identity)) }
        }
        lastSeen = seen
        registered = registered.filter { seen[$0.key] != nil }
        let listed = Set(entries.map(\.name))
        refusedLinks = refusedLinks.filter { listed.contains($0) }
        guard !settled.isEmpty else { return }
        for row in try opened().registerShared(settled) {
            guard let name = SpoolName(bytes: row.name) else { continue }
            registered[name] = row.identity
            if row.state == .done && row.identity == seen[name] {
                try folder.finish(name, failed: row.outcome == "failed")
            }
        }
    }

    /// Copies a claimed row's file into `active/`; on failure the row is given back (or, when
    /// the original is gone, closed as `vanished`).
    private func copyIn(_ item: SharedWorkItem, spool: Spool) -> Bool {
        guard let name = SpoolName(bytes: item.name) else { return false }
        do {
            if try folder.copy(name, expected: item.identity, into: spool.fd(.active),
                               temporary: Self.copyName(item, temporary: true), as: Self.copyName(item)) {
                return true
            }
            // Gone, or replaced by a new upload (registered again at a later poll).
            let store = try opened()
            if (try? folder.list(limit: 100_000).contains { $0.name == name }) == true {
                try store.releaseShared(id: item.id, owner: owner, token: item.token)
            } else {
                _ = try store.completeShared(id: item.id, owner: owner, token: item.token, reportId: "", outcome: "vanished")
                logger.warning("shared inbox: a claimed file vanished before it was copied", metadata: ["name": "\(name.display)"])
            }
        } catch {
            logFailure("cannot copy \(name.display) into active/; given back", error)
            _ = try? opened().releaseShared(id: item.id, owner: owner, token: item.token)
        }
        held.withLock { _ = $0.removeValue(forKey: item.id) }
        return false
    }

    /// Shutdown: no claims from now on (a poll under way finishes first).
    func stopClaiming() async {
        await onQueue { self.stopped = true }
    }

    /// Extends this daemon's leases.
    func renew() async {
        await onQueue {
            do { try self.opened().renewShared(owner: self.owner, leaseSeconds: self.leaseSeconds) } catch {
                self.logFailure("cannot renew leases", error)
            }
        }
    }

    // MARK: One item's life

    enum Resolution: Sendable {
        /// This daemon holds the row: process the copy as the shared file.
        case mine(SharedWorkItem)
        /// Another daemon took the row over, or it is done: drop the copy.
        case notMine
        /// The database cannot say now: leave the copy for a retry.
        case unavailable(String)
    }

    /// Whose a local copy is.
    func resolve(_ local: SpoolName) async -> Resolution {
        guard let (id, token) = Self.parse(local) else { return .notMine }
        if let item = held.withLock({ $0[id] }), item.token == token { return .mine(item) }
        return await onQueue {
            do {
                guard let item = try self.opened().sharedItem(id: id), item.owner == self.owner, item.token == token,
                      item.state == .claimed || item.state == .committing else { return .notMine }
                self.held.withLock { $0[id] = item }
                return .mine(item)
            } catch {
                return .unavailable("\(error)")
            }
        }
    }

    /// The fence right before a report is written (see `SharedWorkItem`).
    func fence(_ item: SharedWorkItem, reportID: String) async -> ReportFence {
        await onQueue {
            do {
                return try self.opened().fenceShared(id: item.id, owner: self.owner, token: item.token, reportId: reportID)
                    ? .write : .superseded
            } catch {
                return .unavailable("shared work queue: \(error)")
            }
        }
    }

    /// After the report is durable: the row is done and the original moves to `done/` or
    /// `failed/`. nil when done; else what went wrong (the copy stays in `active/` for a retry).
    func complete(_ item: SharedWorkItem, reportID: String, failed: Bool) async -> String? {
        await onQueue {
            do {
                if try !self.opened().completeShared(id: item.id, owner: self.owner, token: item.token,
                                                     reportId: reportID, outcome: failed ? "failed" : "done") {
                    // Only a row released by hand gets here: the report stands; say so.
                    self.logger.error("shared inbox: the row was no longer this daemon's when its report was done",
                                      metadata: ["row": "\(item.id)", "report": "\(reportID)"])
                }
                self.held.withLock { _ = $0.removeValue(forKey: item.id) }
                if let name = SpoolName(bytes: item.name) { try self.folder.finish(name, failed: failed) }
                return nil
            } catch {
                return "shared work queue: \(error)"
            }
        }
    }

    /// Gives back a claim no worker started (shutdown). True: the copy may be deleted.
    func release(_ local: SpoolName) async -> Bool {
        guard let (id, token) = Self.parse(local) else { return true }
        return await onQueue {
            do {
                if try self.opened().releaseShared(id: id, owner: self.owner, token: token) {
                    self.held.withLock { _ = $0.removeValue(forKey: id) }
                    return true
                }
                let item = try self.opened().sharedItem(id: id)
                return item?.owner != self.owner || item?.token != token
            } catch {
                return false
            }
        }
    }

    // MARK: Plumbing

    private func opened() throws(StoreError) -> CorpusStore {
        if let store { return store }
        let fresh = try CorpusStore(path: database)
        store = fresh
        return fresh
    }

    private func onQueue<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in queue.async { continuation.resume(returning: body()) } }
    }

    private func logFailure(_ what: String, _ error: any Error) {
        guard failing != "\(error)" else { return }
        failing = "\(error)"
        logger.warning("shared inbox: \(what)", metadata: ["error": "\(error)"])
    }

    private func recovered() {
        guard failing != nil else { return }
        failing = nil
        logger.info("shared inbox: the work queue answers again")
    }
}
