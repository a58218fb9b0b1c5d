import Foundation
import HashmarkFingerprint
import HashmarkMedia
import HashmarkTransforms
import Testing

/// A corpus of real works (from Corpus/) registered through the CLI once for the whole suite.
struct RegisteredCorpus: Sendable {
    static let images = ["scikit-image__chelsea", "scikit-image__astronaut", "scipy__ascent",
                         "lomiri-wallpapers-16.04__Bridge_by_Sander_Klootwijk"]
    static let texts = ["sword-text-web__WEB_Ruth", "r-cran-janeaustenr__austen_emma_02"]
    /// Corpus works NOT registered: the unrelated controls.
    static let unrelatedImage = "scikit-image__coffee"
    static let unrelatedText = "r-cran-tokenizers__mobydick_03"

    let dir: String
    let db: String

    static let shared: Result<RegisteredCorpus, any Error> = Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hashmark-corpus-\(UUID().uuidString)")
        let works = dir.appendingPathComponent("works")
        try FileManager.default.createDirectory(at: works, withIntermediateDirectories: true)
        for id in images { try FileManager.default.copyItem(atPath: Corpus.image(id), toPath: works.appendingPathComponent("\(id).jpg").path) }
        for id in texts { try FileManager.default.copyItem(atPath: Corpus.text(id), toPath: works.appendingPathComponent("\(id).txt").path) }
        let db = dir.appendingPathComponent("corpus.sqlite").path
        let r = try CLI.run(["corpus", "add", "--db", db, "--owner", "Test Rights Ltd", "--license", "CC0-1.0", works.path])
        guard r.status == 0 else { throw CLIFailure(result: r) }
        return RegisteredCorpus(dir: dir.path, db: db)
    }

    static func get() throws -> RegisteredCorpus { try shared.get() }

    /// Writes `bytes` as a new file in the suite's folder.
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = URL(fileURLWithPath: dir).appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}

struct CLIFailure: Error, CustomStringConvertible {
    let result: CLI.Result
    var description: String { "exit \(result.status): \(result.stderr)" }
}

func decodeCorpusImage(_ id: String) throws -> RGBImage {
    try ImageDecoder.decode(contentsOfFile: Corpus.image(id)).image
}

@Suite(.serialized, .timeLimit(.minutes(15))) struct CheckCommandTests {
    @Test func transformedImageCopiesAreInfringingWithTheRightWorkAndTransform() throws {
        let corpus = try RegisteredCorpus.get()
        let chelsea = try decodeCorpusImage("scikit-image__chelsea")
        let astronaut = try decodeCorpusImage("scikit-image__astronaut")
        let recompressed = try corpus.write("chelsea-q40.jpg", JPEGEncoder.encode(chelsea, quality: 40))
        let halved = try GeometricOps.resize(astronaut, width: astronaut.width / 2, height: astronaut.height / 2,
                                             filter: .area).image
        let resized = try corpus.write("astronaut-half.jpg", JPEGEncoder.encode(halved, quality: 85))
        let flipped = try corpus.write("chelsea-flipped.jpg",
                                       JPEGEncoder.encode(GeometricOps.flipHorizontal(chelsea).image, quality: 85))

        let r = try CLI.run(["check", "--json", "--db", corpus.db, recompressed, resized, flipped])
        #expect(r.status == 1, "any infringing → exit 1; stderr: \(r.stderr)")
        let lines = r.jsonLines
        try #require(lines.count == 3)
        let expected = [(recompressed, "scikit-image__chelsea", "identity"),
                        (resized, "scikit-image__astronaut", "identity"),
                        (flipped, "scikit-image__chelsea", "flipH")]
        for (line, (file, work, transform)) in zip(lines, expected) {
            #expect(line["file"] as? String == file, "file is the path exactly as given")
            #expect(line["verdict"] as? String == "infringing")
            let matches = try #require(line["matches"] as? [[String: Any]])
            let top = try #require(matches.first)
            #expect((top["work"] as? [String: Any])?["id"] as? String == work)
            #expect((top["work"] as? [String: Any])?["owner"] as? String == "Test Rights Ltd")
            #expect(top["matcher"] as? String == "pdq")
            let evidence = try #require(top["evidence"] as? [String: Any])
            #expect(evidence["transform"] as? String == transform)
            #expect((evidence["distance"] as? Int ?? 99) <= 31)
            #expect((line["score"] as? Double ?? 0) >= 0.5)
        }
    }

    @Test func croppedCopyIsFoundByLocalFeaturesWithItsRegion() throws {
        let corpus = try RegisteredCorpus.get()
        let ascent = try decodeCorpusImage("scipy__ascent")
        let rect = try GeometricOps.cropRect(width: ascent.width, height: ascent.height, fraction: 0.3, anchor: .topLeft)
        let cropped = try GeometricOps.crop(ascent, to: rect).image
        let file = try corpus.write("ascent-crop.jpg", JPEGEncoder.encode(cropped, quality: 85))
        let r = try CLI.run(["check", "--json", "--db", corpus.db, file])
        #expect(r.status == 1)
        let line = try #require(r.jsonLines.first)
        #expect(line["verdict"] as? String == "infringing")
        let top = try #require((line["matches"] as? [[String: Any]])?.first)
        #expect((top["work"] as? [String: Any])?["id"] as? String == "scipy__ascent")
        #expect(top["matcher"] as? String == "local-features")
        let evidence = try #require(top["evidence"] as? [String: Any])
        #expect((evidence["inliers"] as? Int ?? 0) >= 20)
        // The crop keeps the top-left 70 % × 70 %: the work region must be about that.
        let region = try #require(evidence["workRegion"] as? [String: Any])
        let x = region["x"] as? Double ?? -1, w = region["width"] as? Double ?? -1
        #expect(abs(x) < 0.05 * Double(ascent.width))
        #expect(abs(w - Double(cropped.width)) < 0.05 * Double(ascent.width))
    }

    @Test func unrelatedImageAndTextAreClearAndExitZero() throws {
        let corpus = try RegisteredCorpus.get()
        let r = try CLI.run(["check", "--json", "--db", corpus.db,
                             Corpus.image(RegisteredCorpus.unrelatedImage), Corpus.text(RegisteredCorpus.unrelatedText)])
        #expect(r.status == 0, "all clear → exit 0; \(r.stdout)")
        #expect(r.jsonLines.map { $0["verdict"] as? String } == ["clear", "clear"])
    }

    @Test func editedExcerptInsideNewTextIsInfringingWithSpans() throws {
        let corpus = try RegisteredCorpus.get()
        let source = try String(contentsOfFile: Corpus.text("r-cran-janeaustenr__austen_emma_02"), encoding: .utf8)
        let filler = try String(contentsOfFile: Corpus.text(RegisteredCorpus.unrelatedText), encoding: .utf8)
        let words = source.split(whereSeparator: \.isWhitespace)
        let excerpt = words[1000..<1120].joined(separator: " ")
        var rng = SeededGenerator(seed: 7)
        let edited = try TextTransform.pipeline([.substitute(fraction: 0.15), .homoglyphs(fraction: 0.1)])
            .apply(source: excerpt, filler: filler, rng: &rng).text
        let fill = filler.split(whereSeparator: \.isWhitespace)
        let submission = fill[0..<400].joined(separator: " ") + "\n\n" + edited + "\n\n" + fill[400..<800].joined(separator: " ")
        let file = try corpus.write("essay.txt", Array(submission.utf8))

        let r = try CLI.run(["check", "--json", "--db", corpus.db, file])
        #expect(r.status == 1, "\(r.stderr)")
        let line = try #require(r.jsonLines.first)
        #expect(line["verdict"] as? String == "infringing")
        let top = try #require((line["matches"] as? [[String: Any]])?.first)
        #expect((top["work"] as? [String: Any])?["id"] as? String == "r-cran-janeaustenr__austen_emma_02")
        #expect(top["matcher"] as? String == "text-align")
        let spans = try #require((top["evidence"] as? [String: Any])?["spans"] as? [[String: Any]])
        let span = try #require(spans.first)
        // The submitted span lies inside the edited excerpt, the source span inside the original words.
        let editedStart = submission.utf8.count - edited.utf8.count - 2 - fill[400..<800].joined(separator: " ").utf8.count
        let sub = span["submittedOffset"] as? Int ?? -1
        #expect(sub >= editedStart - 20 && sub < editedStart + edited.utf8.count)
        let sourceStart = source.range(of: String(words[1000]))?.lowerBound
        #expect(sourceStart != nil)
        let src = span["sourceOffset"] as? Int ?? -1
        let excerptStart = source.utf8.distance(from: source.startIndex, to: source.range(of: words[1000..<1004].joined(separator: " "))?.lowerBound ?? source.startIndex)
        #expect(abs(src - excerptStart) < 200, "source span starts near the excerpt (\(src) vs \(excerptStart))")
    }

    @Test func badFilesAreErrorVerdictsAndExitTwo() throws {
        let corpus = try RegisteredCorpus.get()
        let empty = try corpus.write("empty.jpg", [])
        let garbage = try corpus.write("garbage.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3])
        let r = try CLI.run(["check", "--json", "--db", corpus.db, empty, garbage, Corpus.image("scikit-image__chelsea")])
        #expect(r.status == 2, "errors win over infringing")
        let lines = r.jsonLines
        try #require(lines.count == 3)
        #expect(lines[0]["verdict"] as? String == "error")
        #expect((lines[0]["error"] as? [String: Any])?["code"] as? String == "empty-file")
        #expect(lines[1]["verdict"] as? String == "error")
        #expect(((lines[1]["error"] as? [String: Any])?["code"] as? String).map { ["truncated", "corrupt-image"].contains($0) } == true)
        #expect(lines[2]["verdict"] as? String == "infringing")
    }

    /// A check that cannot start (no corpus database; a named model that cannot be loaded) exits
    /// 2 with the reason, never 1, which a caller reads as "infringing".
    @Test func aCheckThatCannotStartExitsTwo() throws {
        let corpus = try RegisteredCorpus.get(), dir = try TempDir()
        let text = try corpus.write("start.txt", Array("Nothing to see here.".utf8))
        let noDatabase = try CLI.run(["check", "--db", dir.path("none.sqlite"), text])
        #expect(noDatabase.status == 2 && noDatabase.stderr.contains("no corpus database"), "\(noDatabase.stderr)")
        let badModel = try CLI.run(["check", "--db", corpus.db, "--model", dir.path("none.json"), text])
        #expect(badModel.status == 2, "\(badModel.stderr)")
        #expect(try CLI.run(["check", "--db", corpus.db, text]).status == 0)
    }
}
