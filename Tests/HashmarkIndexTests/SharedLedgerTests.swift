import Foundation
import HashmarkPrimitives
import HashmarkStore
import HashmarkTestSupport
import Synchronization
import Testing

/// The shared ledger: every host's ledger lines in one total order, on both back ends; its
/// verification finds a row removed, reordered or altered (on a real PostgreSQL server, by SQL).
@Suite("Shared ledger")
struct SharedLedgerTests {
    static func lines(_ host: String, _ range: Range<Int>) -> [(reportId: String, sha256: String)] {
        range.map { (reportId: "\(host)-r\($0)", sha256: SHA256.hex(Array("\(host) \($0)".utf8))) }
    }

    static func all(_ store: CorpusStore) throws -> [SharedLedgerRow] {
        var rows: [SharedLedgerRow] = []
        while case let page = try store.sharedLedger(after: rows.last?.seq ?? 0, limit: 7), !page.isEmpty { rows += page }
        return rows
    }

    @Test(arguments: Backend.allCases) func hostsInterleaveInOneChainAndRetriesAppendNothingTwice(_ backend: Backend) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try CorpusStore(path: try backend.location(dir, "ledger"))
        #expect(try store.appendSharedLedger(host: "a", firstLine: 1, lines: Self.lines("a", 0..<3)) == 3)
        #expect(try store.appendSharedLedger(host: "b", firstLine: 1, lines: Self.lines("b", 0..<2)) == 2)
        // A retry that overlaps what is there appends only the new lines.
        #expect(try store.appendSharedLedger(host: "a", firstLine: 2, lines: Self.lines("a", 1..<5)) == 2)
        #expect(try store.appendSharedLedger(host: "a", firstLine: 1, lines: Self.lines("a", 0..<5)) == 0)
        do {
            try store.appendSharedLedger(host: "b", firstLine: 4, lines: Self.lines("b", 3..<4))
            Issue.record("a gap in a host's lines must be refused")
        } catch {
            #expect(error.code == "ledger-gap")
        }
        #expect(try store.sharedLedgerLines(host: "a") == 5 && store.sharedLedgerLines(host: "b") == 2)
        let rows = try Self.all(store)
        #expect(rows.map(\.seq) == Array(1...7))
        #expect(rows.map(\.host) == ["a", "a", "a", "b", "b", "a", "a"])
        #expect(rows.filter { $0.host == "a" }.map(\.reportId) == Self.lines("a", 0..<5).map(\.reportId))
        #expect(SharedLedgerRow.verify(rows) == nil)
        // The snapshot is the corpus's, not the ledger's.
        #expect(try store.snapshotVersion() == 0)
    }

    @Test func verificationFindsEveryKindOfTampering() throws {
        var rows: [SharedLedgerRow] = []
        var previous = SharedLedgerRow.genesis
        for (i, line) in Self.lines("h", 0..<5).enumerated() {
            let chain = SharedLedgerRow.chain(previous: previous, seq: Int64(i + 1), host: "h", hostLine: Int64(i + 1),
                                              reportId: line.reportId, sha256: line.sha256)
            rows.append(SharedLedgerRow(seq: Int64(i + 1), host: "h", hostLine: Int64(i + 1), reportId: line.reportId,
                                        sha256: line.sha256, previous: previous, chain: chain))
            previous = chain
        }
        #expect(SharedLedgerRow.verify(rows) == nil)
        var missing = rows
        missing.remove(at: 2)
        #expect(SharedLedgerRow.verify(missing)?.contains("missing") == true)
        var renumbered = missing
        for i in 2..<renumbered.count { renumbered[i].seq -= 1 }
        #expect(SharedLedgerRow.verify(renumbered)?.contains("does not chain") == true)
        var reordered = rows
        reordered.swapAt(1, 2)
        #expect(SharedLedgerRow.verify(reordered) != nil)
        var altered = rows
        altered[3].sha256 = SHA256.hex(Array("other".utf8))
        #expect(SharedLedgerRow.verify(altered)?.contains("altered") == true)
        var lineSkipped = rows
        lineSkipped[4].hostLine = 7
        lineSkipped[4].chain = SharedLedgerRow.chain(previous: rows[4].previous, seq: 5, host: "h", hostLine: 7,
                                                     reportId: rows[4].reportId, sha256: rows[4].sha256)
        #expect(SharedLedgerRow.verify(lineSkipped)?.contains("expected line 5") == true)
    }

    @Test func concurrentHostsOnPostgreSQLKeepOneGaplessChain() throws {
        let server = try PostgresTestServer.shared()
        let url = try server.makeDatabase("ledger")
        let hosts = try (0..<3).map { _ in try CorpusStore(path: url) }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: hosts.count) { h in
            for batch in 0..<10 {
                do {
                    try hosts[h].appendSharedLedger(host: "host\(h)", firstLine: Int64(batch * 3 + 1),
                                                    lines: Self.lines("host\(h)", (batch * 3)..<(batch * 3 + 3)))
                } catch { failures.withLock { $0.append("\(error)") } }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let rows = try Self.all(hosts[0])
        #expect(rows.count == 90 && SharedLedgerRow.verify(rows) == nil)
        for h in 0..<3 { #expect(try hosts[1].sharedLedgerLines(host: "host\(h)") == 30) }

        // Tampering by SQL, each on a copy of the database.
        let name = String(try #require(URLComponents(string: url)).path.dropFirst())
        for (label, sql, expected) in [
            ("removed", "DELETE FROM shared_ledger WHERE seq = 40", "missing"),
            ("reordered", "UPDATE shared_ledger SET seq = -1 WHERE seq = 10; UPDATE shared_ledger SET seq = 10 WHERE seq = 11; "
                + "UPDATE shared_ledger SET seq = 11 WHERE seq = -1", "chain"),
            ("altered", "UPDATE shared_ledger SET sha256 = repeat('a', 64) WHERE seq = 55", "altered"),
        ] {
            let copy = "\(name)_\(label)"
            try server.psql("postgres", "CREATE DATABASE \(copy) TEMPLATE \(name)")
            try server.psql(copy, sql)
            let tampered = try Self.all(try CorpusStore(path: server.url(copy)))
            #expect(SharedLedgerRow.verify(tampered)?.contains(expected) == true, "\(label)")
        }
    }
}
