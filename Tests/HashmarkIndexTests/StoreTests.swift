import Foundation
import HashmarkFingerprint
import HashmarkPrimitives
import HashmarkStore
import Testing

@Suite("Corpus store")
struct StoreTests {
    var rng = SplitMix64(seed: 42)

    mutating func imageWork(_ id: String) -> (Work, [StoredFingerprint]) {
        let base = Hash256.random(using: &rng)
        let fps = (0..<8).map { StoredFingerprint.pdq(base.flipping($0 * 3, using: &rng), quality: 90 - $0, variant: $0) }
        let sha = SHA256.hex(Array(id.utf8))
        return (Work(id: id, title: "Title \(id)", owner: "Owner, Ltd", license: "CC-BY-4.0",
                     source: "test", mediaType: "image", sha256: sha), fps)
    }

    @Test(arguments: Backend.allCases) mutating func reopenGivesSameAnswers(_ backend: Backend) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try backend.location(dir, "corpus")
        let (w1, f1) = imageWork("alpha")
        let (w2, f2) = imageWork("beta")
        let postings = [TextShingle(hash: 0xFFFF_0000_1234_5678, position: 0), TextShingle(hash: 7, position: 1)]
        var before: (list: [Work], pdq: PDQTable, snap: CorpusSnapshot, text: String?)
        do {
            let store = try CorpusStore(path: path)
            _ = try store.add(work: w1, fingerprints: f1)
            _ = try store.add(work: w2, fingerprints: f2, postings: postings, text: "some words here")
            before = (try store.list(), try store.allPDQ(), try store.snapshot(), try store.text(of: "beta"))
        }
        let store = try CorpusStore(path: path)
        #expect(try store.list() == before.list)
        #expect(try store.list().map(\.id) == ["alpha", "beta"])
        let pdq = try store.allPDQ()
        #expect(pdq.hashes == before.pdq.hashes && pdq.variant == before.pdq.variant)
        #expect(Set(pdq.hashes) == Set((f1 + f2).compactMap(\.pdqHash)))
        #expect(pdq.workIDs.count == 2 && pdq.count == 16)
        for i in 0..<pdq.count {
            let fps = try store.fingerprints(of: pdq.workIDs[Int(pdq.workIndex[i])])
            #expect(fps.contains(StoredFingerprint.pdq(pdq.hashes[i], quality: Int(pdq.quality[i]),
                                                       variant: Int(pdq.variant[i]))))
        }
        #expect(try store.snapshot() == before.snap)
        #expect(try store.text(of: "beta") == "some words here")
        let all = try store.allPostings()
        #expect(all.hashes == postings.map(\.hash) && all.positions == [0, 1] && all.workIDs == ["beta"])
        #expect(try store.postings(of: "beta") == postings)
    }

    @Test(arguments: Backend.allCases) mutating func reAddIsIdempotentAndIdsAreUnique(_ backend: Backend) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try CorpusStore(path: try backend.location(dir, "c"))
        let (w, f) = imageWork("alpha")
        let first = try store.add(work: w, fingerprints: f)
        #expect(first.inserted)
        let snap = try store.snapshot()
        // Same file under another id and title: the existing work comes back, nothing changes.
        var again = w
        again.id = "alpha-copy"
        again.title = "other"
        let second = try store.add(work: again, fingerprints: [])
        #expect(!second.inserted && second.work == first.work)
        #expect(try store.snapshot() == snap)
        #expect(try store.list().count == 1 && store.fingerprints(of: "alpha").count == 8)
        // A different file under a taken id is refused.
        var other = w
        other.sha256 = SHA256.hex(Array("different".utf8))
        #expect(throws: StoreError.self) { try store.add(work: other, fingerprints: f) }
        do {
            _ = try store.add(work: other, fingerprints: f)
        } catch {
            #expect(error.code == "work-duplicate-id")
        }
        #expect(try store.snapshot() == snap)
    }

    @Test(arguments: Backend.allCases) mutating func removalCascades(_ backend: Backend) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try CorpusStore(path: try backend.location(dir, "c"))
        let (w1, f1) = imageWork("keep")
        let (w2, f2) = imageWork("gone")
        _ = try store.add(work: w1, fingerprints: f1)
        _ = try store.add(work: w2, fingerprints: f2, postings: [TextShingle(hash: 1, position: 0)], text: "t")
        #expect(try store.remove(id: "gone"))
        #expect(try !store.remove(id: "gone"))
        #expect(try store.work(id: "gone") == nil)
        #expect(try store.fingerprints(of: "gone").isEmpty)
        #expect(try store.postings(of: "gone").isEmpty && store.text(of: "gone") == nil)
        #expect(try store.allPDQ().workIDs == ["keep"] && store.allPostings().count == 0)
        let stats = try store.stats()
        #expect(stats.works == 1 && stats.fingerprintsByAlgorithm == ["pdq": 8] && stats.textPostings == 0)
        // The id is free again, and only the new fingerprints belong to it.
        _ = try store.add(work: w2, fingerprints: Array(f2.prefix(1)))
        #expect(try store.fingerprints(of: "gone") == Array(f2.prefix(1)))
    }

    @Test(arguments: Backend.allCases) mutating func snapshotTracksEveryChange(_ backend: Backend) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try CorpusStore(path: try backend.location(dir, "a"))
        let b = try CorpusStore(path: try backend.location(dir, "b"))
        let works = [imageWork("w1"), imageWork("w2"), imageWork("w3")]
        var seen: Set<CorpusSnapshot> = [try a.snapshot()]
        #expect(try a.snapshot().version == 0)
        for (w, f) in works {
            _ = try a.add(work: w, fingerprints: f)
            let s = try a.snapshot()
            #expect(seen.insert(s).inserted)
            #expect(try a.snapshot() == s)  // stable while nothing changes
        }
        _ = try a.remove(id: "w3")
        let afterRemove = try a.snapshot()
        #expect(seen.insert(afterRemove).inserted && afterRemove.version == 4)
        // Same contents reached another way: versions differ, digests agree.
        for (w, f) in works.prefix(2).reversed() { _ = try b.add(work: w, fingerprints: f) }
        #expect(try b.snapshot().digest == afterRemove.digest)
        #expect(try b.snapshot().version == 2)
        // …and one fingerprint bit more is a different digest.
        var f = works[0].1
        f[0].data[31] ^= 1
        _ = try b.remove(id: "w1")
        _ = try b.add(work: works[0].0, fingerprints: f)
        #expect(try b.snapshot().digest != afterRemove.digest)
    }

    @Test(arguments: Backend.allCases) func walModeAndMigrationsRunOnce(_ backend: Backend) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try backend.location(dir, "c")
        do {
            let store = try CorpusStore(path: path)
            #expect(try store.journalMode() == (backend == .sqlite ? "wal" : ""))
            #expect(store.backendName == backend.rawValue)
            #expect(try store.appliedMigrations() == ["v1", "v2-thumbnails", "v3-posting-algorithms", "v4-shared-ledger", "v5-work-queue", "v6-work-roles"])
            _ = try store.add(work: Work(id: "x", mediaType: "text", sha256: "00"), fingerprints: [])
            #expect(backend == .postgresql || FileManager.default.fileExists(atPath: path + "-wal"))
            #expect(try store.stats().fileBytes > 0)
        }
        for _ in 0..<2 {
            let store = try CorpusStore(path: path)
            #expect(try store.appliedMigrations() == ["v1", "v2-thumbnails", "v3-posting-algorithms", "v4-shared-ledger", "v5-work-queue", "v6-work-roles"])
            #expect(try store.list().map(\.id) == ["x"])
            #expect(try store.snapshot().version == 1)
        }
    }

    @Test(arguments: Backend.allCases) mutating func hashBankRoundTrip(_ backend: Backend) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try CorpusStore(path: try backend.location(dir, "c"))
        let rows = (0..<50).map { i in
            HashBankRow(hash: .random(using: &rng), quality: i * 2, id: "bank-\(i / 2)", owner: i % 3 == 0 ? "Acme, \"Inc\"" : "Acme")
        }
        let csv = HashBankCSV.format(rows)
        #expect(try HashBankCSV.parse(csv) == rows)
        let r1 = try store.importHashes(try HashBankCSV.parse(csv))
        #expect(r1.inserted == 25 && r1.unchanged == 0)
        let snap = try store.snapshot()
        let r2 = try store.importHashes(rows)
        #expect(r2.inserted == 0 && r2.unchanged == 25)
        #expect(try store.snapshot() == snap)
        let exported = try store.exportHashes()
        #expect(Set(exported.map(\.hash)) == Set(rows.map(\.hash)))
        #expect(exported.count == 50 && Set(exported.map(\.id)) == Set(rows.map(\.id)))
        #expect(try store.work(id: "bank-0")?.sha256 == nil)

        // Headerless input and a bad row.
        let line = "\(rows[0].hash.hex),80,solo,Someone\n"
        #expect(try HashBankCSV.parse(line) == [HashBankRow(hash: rows[0].hash, quality: 80, id: "solo", owner: "Someone")])
        do {
            _ = try HashBankCSV.parse(HashBankCSV.header + "\nnot-a-hash,1,x,y\n")
            Issue.record("a malformed row must fail the parse")
        } catch {
            #expect(error.code == "import-bad-row" && error.message.hasPrefix("line 2"))
        }
    }
}
