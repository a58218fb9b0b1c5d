import Dispatch
import Foundation
import HashmarkStore
import HashmarkTestSupport
import Synchronization
import Testing

/// The shared work queue on both back ends (PostgreSQL on a real server): claims are disjoint,
/// a lease that runs out hands the row over with a new token, the fence stops the first owner,
/// `committing` rows are never taken over, and a new upload under a finished name is new work.
@Suite("Shared work queue")
struct SharedWorkQueueTests {
    static func files(_ range: Range<Int>, identity: String = "i1") -> [(name: [UInt8], identity: String)] {
        range.map { (name: Array("f\($0).jpg".utf8), identity: identity) }
    }

    @Test(arguments: Backend.allCases) func leasesHandOverAndTheFenceStopsTheFirstOwner(_ backend: Backend) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try CorpusStore(path: try backend.location(dir, "queue"))
        let registered = try store.registerShared(Self.files(0..<10))
        #expect(registered.count == 10 && registered.allSatisfy { $0.state == .pending && $0.token == 0 })
        // Registering again (another daemon seeing the same files) adds nothing.
        #expect(try store.registerShared(Self.files(0..<10)).map(\.id) == registered.map(\.id))

        let a = try store.claimShared(owner: "a", limit: 4, leaseSeconds: 1.5)
        let b = try store.claimShared(owner: "b", limit: 100, leaseSeconds: 60)
        #expect(a.map(\.name) == Self.files(0..<4).map(\.name))
        #expect(b.count == 6 && Set(a.map(\.id)).isDisjoint(with: b.map(\.id)))
        #expect((a + b).allSatisfy { $0.state == .claimed && $0.token == 1 })
        #expect(try store.claimShared(owner: "c", limit: 10, leaseSeconds: 60).isEmpty)

        // a fences one row before its lease ends; its other leases run out and b takes them.
        #expect(try store.fenceShared(id: a[0].id, owner: "a", token: 1, reportId: "r0"))
        Thread.sleep(forTimeInterval: 2)
        let taken = try store.claimShared(owner: "b", limit: 100, leaseSeconds: 60)
        #expect(taken.map(\.id) == a.dropFirst().map(\.id), "a committing row is never taken over")
        #expect(taken.allSatisfy { $0.token == 2 && $0.owner == "b" })
        #expect(try !store.fenceShared(id: a[1].id, owner: "a", token: 1, reportId: "r1"))
        #expect(try !store.completeShared(id: a[1].id, owner: "a", token: 1, reportId: "r1", outcome: "done"))
        #expect(try !store.releaseShared(id: a[1].id, owner: "a", token: 1))
        #expect(try store.fenceShared(id: a[1].id, owner: "b", token: 2, reportId: "r1"))
        #expect(try store.completeShared(id: a[1].id, owner: "b", token: 2, reportId: "r1", outcome: "done"))
        #expect(try !store.completeShared(id: a[1].id, owner: "b", token: 2, reportId: "r1", outcome: "done"),
                "a done row is done once")
        // a finishes the row it fenced (after a restart it holds the same owner name and token).
        #expect(try store.sharedItems(owner: "a").map(\.id) == [a[0].id])
        #expect(try store.fenceShared(id: a[0].id, owner: "a", token: 1, reportId: "r0"), "a repeated fence holds")
        #expect(try store.completeShared(id: a[0].id, owner: "a", token: 1, reportId: "r0", outcome: "failed"))
        #expect(try store.sharedItem(id: a[0].id)?.outcome == "failed")

        // Renewing keeps b's rows out of reach; releasing one makes it claimable at once.
        #expect(try store.renewShared(owner: "b", leaseSeconds: 60) == b.count + taken.count - 1)
        #expect(try store.releaseShared(id: b[0].id, owner: "b", token: 1))
        let again = try store.claimShared(owner: "c", limit: 10, leaseSeconds: 60)
        #expect(again.map(\.id) == [b[0].id] && again[0].token == 2)
        let counts = try store.sharedQueueCounts()
        #expect(counts[.done] == 2 && counts[.claimed] == 8 && counts[.pending] == nil)
    }

    @Test(arguments: Backend.allCases) func aNewUploadUnderAFinishedNameIsNewWork(_ backend: Backend) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try CorpusStore(path: try backend.location(dir, "reupload"))
        let name: [UInt8] = [0x66, 0xff, 0x2e, 0x6a]  // not UTF-8
        let first = try store.registerShared([(name: name, identity: "i1")])[0]
        let claim = try store.claimShared(owner: "a", limit: 1, leaseSeconds: 60)[0]
        #expect(claim.name == name)
        #expect(try store.completeShared(id: first.id, owner: "a", token: claim.token, reportId: "r", outcome: "done"))
        // The same file seen again (its original not yet moved out) stays done.
        #expect(try store.registerShared([(name: name, identity: "i1")]).map(\.state) == [.done])
        let renewed = try store.registerShared([(name: name, identity: "i2")])[0]
        #expect(renewed.id == first.id && renewed.state == .pending && renewed.reportId == nil && renewed.outcome == nil)
        let next = try store.claimShared(owner: "b", limit: 1, leaseSeconds: 60)
        #expect(next.map(\.token) == [2] && next.map(\.identity) == ["i2"])
    }

    @Test(arguments: Backend.allCases) func anOperatorReleasesTheRowsOfAGoneDaemon(_ backend: Backend) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try CorpusStore(path: try backend.location(dir, "release"))
        try store.registerShared(Self.files(0..<3))
        let a = try store.claimShared(owner: "a", limit: 2, leaseSeconds: 30)
        #expect(try store.fenceShared(id: a[0].id, owner: "a", token: 1, reportId: "r0"))
        let open = try store.sharedQueueOpen()
        #expect(open.map(\.item.state) == [.committing, .claimed, .pending])
        #expect(open[0].leaseLeftMilliseconds > 20_000 && open[0].leaseLeftMilliseconds <= 30_000)
        #expect(open[2].leaseLeftMilliseconds == 0 && open[2].item.owner == nil)
        #expect(try store.forceReleaseShared(id: a[0].id))
        #expect(try !store.forceReleaseShared(id: open[2].item.id), "a pending row has nothing to release")
        let b = try store.claimShared(owner: "b", limit: 5, leaseSeconds: 30)
        #expect(b.map(\.id) == [a[0].id, open[2].item.id] && b[0].token == 2 && b[0].reportId == nil)
        #expect(try !store.completeShared(id: a[0].id, owner: "a", token: 1, reportId: "r0", outcome: "done"))
    }

    /// Four daemons' connections claim from 200 rows at once until none is left: every row is
    /// claimed exactly once.
    @Test(arguments: Backend.allCases) func concurrentClaimersTakeDisjointRows(_ backend: Backend) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let location = try backend.location(dir, "concurrent")
        try CorpusStore(path: location).registerShared(Self.files(0..<200))
        let stores = try (0..<4).map { _ in try CorpusStore(path: location) }
        let claimed = Mutex([Int64]())
        let failures = Mutex([String]())
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            do {
                while case let batch = try stores[i].claimShared(owner: "h\(i)", limit: 3, leaseSeconds: 60), !batch.isEmpty {
                    claimed.withLock { $0 += batch.map(\.id) }
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let ids = claimed.withLock { $0 }
        #expect(ids.count == 200 && Set(ids).count == 200)
        #expect(try stores[0].sharedQueueCounts() == [.claimed: 200])
    }
}
