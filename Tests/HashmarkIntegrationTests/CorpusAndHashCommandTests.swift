import Foundation
import Testing

@Suite(.serialized, .timeLimit(.minutes(15))) struct CorpusAndHashCommandTests {
    @Test func hashJSONIsThePublishedShape() throws {
        let garbage = try TempDir()
        let bad = garbage.path("bad.jpg")
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: bad))
        let image = Corpus.image("scikit-image__coffee")
        let badText = garbage.path("bad.txt")
        try Data(Array("A caf\u{e9} text with a broken ".utf8) + [0xE2, 0x82, 0x20] + Array(" sequence.".utf8))
            .write(to: URL(fileURLWithPath: badText))
        let r = try CLI.run(["hash", "--json", image, Corpus.text("sword-text-web__WEB_Ruth"), bad, badText])
        #expect(r.status == 2, "any failure → exit 2")
        let lines = r.jsonLines
        try #require(lines.count == 4)
        #expect((lines[3]["error"] as? [String: Any])?["code"] as? String == "invalid-utf8")
        #expect(lines[0]["file"] as? String == image)
        #expect(lines[0]["mediaType"] as? String == "image/jpeg")
        let pdq = try #require(lines[0]["pdq"] as? String)
        #expect(pdq.count == 64 && pdq.allSatisfy(\.isHexDigit))
        #expect((lines[0]["quality"] as? Int).map { (0...100).contains($0) } == true)
        let dihedral = try #require(lines[0]["dihedral"] as? [String])
        #expect(dihedral.count == 8 && dihedral[0] == pdq)
        let text = try #require(lines[1]["text"] as? [String: Any])
        #expect((text["tokens"] as? Int ?? 0) > 2000)
        #expect((text["minhash"] as? String)?.count == 128 * 8)
        #expect((lines[2]["error"] as? [String: Any])?["code"] as? String == "unknown-format")
        #expect(lines[2]["pdq"] == nil)

        let exact = try CLI.run(["hash", "--json", "--exact", image])
        #expect(exact.status == 0)
        let exactPDQ = try #require(exact.jsonLines.first?["pdq"] as? String)
        let distance = zip(pdq, exactPDQ).reduce(0) { acc, pair in
            acc + (Int(String(pair.0), radix: 16)! ^ Int(String(pair.1), radix: 16)!).nonzeroBitCount
        }
        #expect(distance <= 10, "the fast path stays within Meta's conformance bound")
    }

    @Test func addListRemoveImportExportRoundTrip() throws {
        let dir = try TempDir()
        let db = dir.path("c.sqlite")
        let manifest = dir.path("manifest.csv")
        try FileManager.default.createDirectory(atPath: dir.path("works"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Corpus.image("scikit-image__coins"), toPath: dir.path("works/coins.jpg"))
        try FileManager.default.copyItem(atPath: Corpus.text("dict-devil__devil_01"), toPath: dir.path("works/devil.txt"))
        try "path,id,title,owner,license\nworks/coins.jpg,coins-1,Coins,Brooklyn Museum,CC0-1.0\nworks/devil.txt,devil,Devil's Dictionary,Ambrose Bierce,public-domain\nworks/missing.jpg,gone,,,\n"
            .write(toFile: manifest, atomically: true, encoding: .utf8)

        let add = try CLI.run(["corpus", "add", "--db", db, "--manifest", manifest])
        #expect(add.status == 2, "the missing file is reported and skipped")
        #expect(add.stdout.contains("added 2"))
        #expect(add.stderr.contains("missing.jpg"))
        let again = try CLI.run(["corpus", "add", "--db", db, "--manifest", manifest])
        #expect(again.stdout.contains("added 0, unchanged 2"), "re-adding is idempotent by SHA-256")

        let list = try CLI.run(["corpus", "list", "--json", "--db", db])
        #expect(list.jsonLines.compactMap { $0["id"] as? String }.sorted() == ["coins-1", "devil"])
        #expect(list.jsonLines.first { $0["id"] as? String == "coins-1" }?["owner"] as? String == "Brooklyn Museum")

        let export = try CLI.run(["corpus", "export-hashes", "--db", db])
        #expect(export.stdout.hasPrefix("hash,quality,id,owner\n"))
        let csv = dir.path("bank.csv")
        try export.stdout.write(toFile: csv, atomically: true, encoding: .utf8)
        let other = dir.path("other.sqlite")
        #expect(try CLI.run(["corpus", "import-hashes", "--db", other, csv]).status == 0)
        #expect(try CLI.run(["corpus", "export-hashes", "--db", other]).stdout == export.stdout)
        // A hash-only corpus still catches a re-encoded copy.
        let check = try CLI.run(["check", "--json", "--db", other, Corpus.image("scikit-image__coins")])
        #expect(check.status == 1)
        #expect(((check.jsonLines.first?["matches"] as? [[String: Any]])?.first?["work"] as? [String: Any])?["id"] as? String == "coins-1")

        #expect(try CLI.run(["corpus", "remove", "--db", db, "coins-1"]).status == 0)
        #expect(try CLI.run(["corpus", "remove", "--db", db, "coins-1"]).status == 1)
        let after = try CLI.run(["check", "--json", "--db", db, Corpus.image("scikit-image__coins")])
        #expect(after.status == 0, "removed works no longer match")
    }

    /// Ignore-elements come in through a manifest's `role` column or `--ignore-element`; `list`
    /// marks them (JSON `role`; a sixth column only on their lines) and `stats` counts them apart.
    @Test func ignoreElementsAreRegisteredListedAndCountedApart() throws {
        let dir = try TempDir()
        let db = dir.path("c.sqlite")
        try FileManager.default.createDirectory(atPath: dir.path("works"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Corpus.image("scikit-image__coins"), toPath: dir.path("works/coins.jpg"))
        try FileManager.default.copyItem(atPath: Corpus.image("scikit-image__camera"), toPath: dir.path("works/camera.jpg"))
        let manifest = dir.path("manifest.csv")
        try "path,id,owner,role\nworks/coins.jpg,coins,Brooklyn Museum,work\nworks/camera.jpg,frame,Studio,ignore-element\n"
            .write(toFile: manifest, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["corpus", "add", "--db", db, "--manifest", manifest]).stdout.contains("added 2"))
        let flagged = try CLI.run(["corpus", "add", "--db", db, "--ignore-element", "--id", "logo", Corpus.image("scikit-image__chelsea")])
        #expect(flagged.status == 0 && flagged.stdout.contains("added 1"))

        let json = try CLI.run(["corpus", "list", "--json", "--db", db]).jsonLines
        #expect(Dictionary(uniqueKeysWithValues: json.map { ($0["id"] as? String ?? "", $0["role"] as? String ?? "") })
                == ["coins": "work", "frame": "ignore-element", "logo": "ignore-element"])
        let lines = try CLI.run(["corpus", "list", "--db", db]).stdout.split(separator: "\n")
        #expect(lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).count } == [5, 6, 6])
        let stats = try CLI.run(["corpus", "stats", "--db", db]).stdout
        #expect(stats.contains("works: 1 (image/jpeg 1)") && stats.contains("ignore-elements: 2"))
        // A copy of the element alone is nobody's work.
        #expect(try CLI.run(["check", "--db", db, Corpus.image("scikit-image__camera")]).status == 0)

        try "path,role\nworks/coins.jpg,logo\n".write(toFile: manifest, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["corpus", "add", "--db", db, "--manifest", manifest])
        #expect(bad.status != 0 && bad.stderr.contains("role"))
    }
}
