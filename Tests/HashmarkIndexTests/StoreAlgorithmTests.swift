import Foundation
import HashmarkFingerprint
import HashmarkPrimitives
@_spi(Testing) import HashmarkStore
import Testing

/// Every stored fingerprint and posting set carries its algorithm; anything not current is
/// reported by `staleContent()`, never silently skipped.
@Suite("Corpus store algorithms")
struct StoreAlgorithmTests {
    static func text(_ id: String) -> Work {
        Work(id: id, title: id, mediaType: "text/plain", sha256: SHA256.hex(Array(id.utf8)))
    }

    static func image(_ id: String) -> Work {
        Work(id: id, title: id, mediaType: "image/jpeg", sha256: SHA256.hex(Array(id.utf8)))
    }

    static let postings = [TextShingle(hash: 11, position: 0), TextShingle(hash: 12, position: 3)]

    @Test(arguments: Backend.allCases) func currentRowsAreNotStaleAndRecordTheirAlgorithm(_ backend: Backend) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try CorpusStore(path: try backend.location(dir, "c"))
        _ = try store.add(work: Self.image("img"), fingerprints: [.pdq(Hash256(words: .init(1, 2, 3, 4)), quality: 90)])
        _ = try store.add(work: Self.text("txt"), fingerprints: [], postings: Self.postings, text: "a b c d")
        #expect(try store.staleContent().isEmpty)
        let recorded = try #require(try store.postingsAlgorithm(of: "txt"))
        #expect(recorded.algorithm == FingerprintAlgorithm.textShingles.id)
        #expect(recorded.version == FingerprintAlgorithm.textShingles.version)
        #expect(recorded.algorithm.hasPrefix(TextFingerprintParameters.default.algorithm))
        #expect(try store.postingsAlgorithm(of: "img") == nil, "no postings, no record")
    }

    @Test(arguments: Backend.allCases) func olderFingerprintsAndPostingsAreStale(_ backend: Backend) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try CorpusStore(path: try backend.location(dir, "c"))
        let hash = Hash256(words: .init(5, 6, 7, 8))
        _ = try store.add(work: Self.image("img"), fingerprints: [
            .pdq(hash, quality: 90, version: 0),
            StoredFingerprint(algorithm: "hashmark-orb-v1", version: 1, data: [1, 2, 3]),
        ])
        let old = FingerprintAlgorithm.textShingles
        _ = try store.add(work: Self.text("txt"), fingerprints: [], postings: Self.postings, text: "a b c d")
        let stale = try store.staleContent()
        #expect(stale.entries.map(\.algorithm) == ["hashmark-orb-v1", "pdq"])
        #expect(stale.entries.allSatisfy { !$0.isTextPostings && $0.works == 1 })
        #expect(try store.allPDQ().count == 0, "a PDQ row of another version is never loaded for comparison")
        // Postings of the current algorithm stay current; replacing them under another id makes them stale.
        #expect(try store.replacePostings(of: "txt", algorithm: .pdq, with: Self.postings))
        #expect(try store.staleContent().entries.contains { $0.isTextPostings && $0.algorithm == "pdq" })
        #expect(try store.replacePostings(of: "txt", algorithm: old, with: Self.postings))
        #expect(try !store.staleContent().entries.contains { $0.isTextPostings })
        #expect(try store.postings(of: "txt") == Self.postings)
    }

    @Test(arguments: Backend.allCases) func postingAlgorithmIsPartOfTheDigest(_ backend: Backend) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try CorpusStore(path: try backend.location(dir, "a"))
        let b = try CorpusStore(path: try backend.location(dir, "b"))
        _ = try a.add(work: Self.text("txt"), fingerprints: [], postings: Self.postings, text: "a b c d")
        _ = try b.add(work: Self.text("txt"), fingerprints: [], postings: Self.postings, text: "a b c d")
        #expect(try a.snapshot().digest == b.snapshot().digest)
        try b.replacePostings(of: "txt", algorithm: .pdq, with: Self.postings)
        #expect(try a.snapshot().digest != b.snapshot().digest)
    }

    /// A file written before `v3-posting-algorithms`: its postings have no recorded algorithm.
    @Test func preMigrationPostingsAreStaleAfterOpening() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.sqlite").path
        try CorpusStore.createLegacy(path: path, upTo: "v2-thumbnails", sql: """
            INSERT INTO works (id, media_type, sha256, added_at) VALUES ('old', 'text/plain', 'ab', 0);
            INSERT INTO text_postings (work_id, hash, position) VALUES ('old', 11, 0), ('old', 12, 3);
            INSERT INTO work_texts (work_id, text) VALUES ('old', 'a b c d');
            """)
        #expect(throws: StoreError.self) { try CorpusStore(path: path, readOnly: true) }
        let store = try CorpusStore(path: path)
        #expect(try store.appliedMigrations().last == "v6-work-roles")
        #expect(try store.work(id: "old")?.role == .work, "a work registered before roles is a work")
        let stale = try store.staleContent()
        #expect(stale.entries == [.init(algorithm: nil, version: nil, works: 1, isTextPostings: true)])
        #expect(stale.description.contains("no recorded algorithm"))
        try store.replacePostings(of: "old", algorithm: .textShingles, with: Self.postings)
        #expect(try store.staleContent().isEmpty)
    }
}
