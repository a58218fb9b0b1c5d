import Foundation
@_spi(Testing) import HashmarkDaemon
import HashmarkStore
import Testing

/// The daemon's side of the shared work queue (on a real SQLite store, the checksum test
/// processor, real files): fences, restarts after a crash, and claims given back at shutdown.
/// Several daemons on PostgreSQL: `PostgresModeTests.threeDaemonsShareOneInboxAndADeadOnesClaimsPassOn`.
@Suite("Shared inbox", .timeLimit(.minutes(15)))
struct SharedInboxDaemonTests {
    struct Setup {
        let root = DaemonHarness.makeTempDir()
        let shared = DaemonHarness.makeTempDir() + "/uploads"
        let db = DaemonHarness.makeTempDir() + "/queue.sqlite"

        func configure(_ config: inout DaemonConfig) {
            config.corpusDB = db
            config.sharedFolder = shared
            config.sharedPollSeconds = 0.05
            config.sharedLeaseSeconds = 30
        }

        var owner: String {
            var config = DaemonConfig()
            config.spoolRoot = root
            return config.sharedOwner
        }

        func upload(_ name: String, _ content: String) throws {
            try FileManager.default.createDirectory(atPath: shared + "/inbox", withIntermediateDirectories: true)
            try Data(content.utf8).write(to: URL(fileURLWithPath: shared + "/inbox/" + name))
        }

        func entries(_ folder: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: shared + "/" + folder)) ?? []).sorted()
        }

        /// Polls the store until `condition` holds (the daemon works on its own threads).
        func wait(_ what: String, _ condition: (CorpusStore) throws -> Bool) async throws {
            let store = try CorpusStore(path: db)
            for _ in 0..<1000 {
                if try condition(store) { return }
                try await Task.sleep(for: .milliseconds(10))
            }
            throw HarnessError("timed out waiting for \(what)")
        }
    }

    @Test("a restart finishes what it fenced, copies again what it lost, drops what others took")
    func restart() async throws {
        let s = Setup()
        try s.upload("a.txt", "alpha")
        try s.upload("b.txt", "INFRINGE beta")
        try s.upload("c.txt", "gamma")
        let store = try CorpusStore(path: s.db)
        let rows = try store.registerShared(["a.txt", "b.txt", "c.txt"].map {
            (name: Array($0.utf8), identity: try #require(sharedInboxIdentity(ofEntryAt: s.shared + "/inbox/" + $0)))
        })
        // What a crash left: a fenced with its copy in active/, b claimed without a copy, c
        // claimed and copied but since taken over by another daemon, a half-made copy.
        let claimed = try store.claimShared(owner: s.owner, limit: 3, leaseSeconds: 3600)
        #expect(claimed.map(\.id) == rows.map(\.id))
        #expect(try store.fenceShared(id: rows[0].id, owner: s.owner, token: 1, reportId: "r-a"))
        #expect(try store.forceReleaseShared(id: rows[2].id))
        #expect(try store.claimShared(owner: "other", limit: 1, leaseSeconds: 3600).map(\.token) == [2])
        try FileManager.default.createDirectory(atPath: s.root + "/active", withIntermediateDirectories: true)
        try Data("alpha".utf8).write(to: URL(fileURLWithPath: s.root + "/active/.shared.\(rows[0].id).1"))
        try Data("gamma".utf8).write(to: URL(fileURLWithPath: s.root + "/active/.shared.\(rows[2].id).1"))
        try Data("half".utf8).write(to: URL(fileURLWithPath: s.root + "/active/.shared-tmp.\(rows[1].id).1"))

        let h = DaemonHarness(root: s.root, configure: s.configure)
        try await h.start()
        try await h.waitProcessed(2)
        try await s.wait("the c copy dropped") { _ in h.list("active").isEmpty }
        try await h.stop()

        let verdicts = Dictionary(uniqueKeysWithValues: h.processed.map { ($0.outcome.reportID ?? "-", $0.outcome.verdictDescription) })
        #expect(verdicts.values.sorted() == ["clear", "infringing"])
        #expect(h.reports().count == 2)
        let after = try rows.map { try #require(try store.sharedItem(id: $0.id)) }
        #expect(after.map(\.state) == [.done, .done, .claimed])
        #expect(after[0].reportId.map { verdicts[$0] } == "clear" && after[1].reportId.map { verdicts[$0] } == "infringing")
        #expect(after[2].owner == "other" && after[2].token == 2)
        #expect(s.entries("done") == ["a.txt", "b.txt"] && s.entries("inbox") == ["c.txt"])
        #expect(h.visible("done").isEmpty && h.list("active").isEmpty, "copies are deleted once reported or taken over")
    }

    @Test("a file another daemon took over while it was being processed gets no report here")
    func fenceLost() async throws {
        let s = Setup()
        let h = DaemonHarness(root: s.root, configure: s.configure)
        try await h.start()
        try s.upload("slow.txt", "VERYSLOW to process")
        var row: SharedWorkItem?
        try await s.wait("the claim") { store in
            row = try store.sharedItems(owner: s.owner).first
            return row != nil
        }
        let store = try CorpusStore(path: s.db)
        let id = try #require(row?.id)
        #expect(try store.forceReleaseShared(id: id))
        #expect(try store.claimShared(owner: "other", limit: 1, leaseSeconds: 3600).map(\.token) == [2])
        try await h.waitProcessed(1)
        try await h.stop()

        #expect(h.processed.map(\.outcome.disposition) == [.superseded])
        #expect(h.reports().isEmpty && h.list("active").isEmpty)
        let item = try #require(try store.sharedItem(id: id))
        #expect(item.state == .claimed && item.owner == "other")
        #expect(s.entries("inbox") == ["slow.txt"] && s.entries("done").isEmpty)
    }

    @Test("a file with a second link in the shared inbox is left unread, like a hard link in the local inbox")
    func hardLinksStay() async throws {
        let s = Setup()
        try s.upload("x.txt", "linked")
        #expect(link(s.shared + "/inbox/x.txt", s.shared + "/inbox/y.txt") == 0)
        try s.upload("z.txt", "plain")
        let h = DaemonHarness(root: s.root, configure: s.configure)
        try await h.start()
        try await h.waitProcessed(1)
        try await Task.sleep(for: .milliseconds(300))  // several more polls
        try await h.stop()
        #expect(h.reports().count == 1 && s.entries("done") == ["z.txt"] && s.entries("inbox") == ["x.txt", "y.txt"])
        #expect(try CorpusStore(path: s.db).sharedQueueCounts() == [.done: 1])
    }

    @Test("at shutdown, claims no worker started go back to the queue; in-flight ones finish")
    func shutdownGivesBack() async throws {
        let s = Setup()
        for i in 0..<6 { try s.upload("s\(i).txt", "VERYSLOW \(i)") }
        let h = DaemonHarness(root: s.root) { config in
            s.configure(&config)
            config.workers = 1
        }
        try await h.start()
        try await s.wait("several claims") { try $0.sharedItems(owner: s.owner).count >= 3 }
        try await h.stop()

        let store = try CorpusStore(path: s.db)
        let counts = try store.sharedQueueCounts()
        #expect(counts[.claimed] == nil && counts[.committing] == nil)
        #expect((counts[.done] ?? 0) == h.reports().count && (counts[.done] ?? 0) + (counts[.pending] ?? 0) == 6)
        #expect(s.entries("inbox").count == counts[.pending] ?? 0 && s.entries("done").count == counts[.done] ?? 0)
        #expect(h.list("active").isEmpty)
    }
}
