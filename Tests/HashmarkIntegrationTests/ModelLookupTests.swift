import Foundation
import Testing

/// A matcher whose model is not found is off, and the operator hears it: `check` warns on
/// standard error, the daemon's `ready` line names each model (or `off` / `missing`) and warns
/// when one is missing; `HASHMARK_SEMANTIC_MODEL` / `HASHMARK_DESCRIPTOR_MODEL` name the folder
/// outright (a wrong path is an error, not a silent fallback) or switch the matcher `off`.
@Suite(.timeLimit(.minutes(10))) struct ModelLookupTests {
    static let ruth = "sword-text-web__WEB_Ruth"
    static let installed = ["minilm-l6-v2", "image-descriptor"].map { "/usr/local/share/hashmark/\($0)/model.json" }

    static func corpus(_ dir: TempDir) throws -> String {
        let db = dir.path("c.sqlite")
        let add = try CLI.run(["corpus", "add", "--db", db, Corpus.text(ruth)])
        #expect(add.status == 0, "\(add.stderr)")
        return db
    }

    @Test func checkWarnsWhenAModelIsNotFoundAndNotWhenSwitchedOff() throws {
        let dir = try TempDir(), db = try Self.corpus(dir)
        let text = dir.path("note.txt")
        try "A short note about nothing in particular, written for this test alone.".write(toFile: text, atomically: true, encoding: .utf8)
        // In a folder without Models/ and with neither variable set, only an installed copy is left.
        let elsewhere = try CLI.run(["check", "--db", db, text], cwd: dir.url,
                                    env: ["HASHMARK_SEMANTIC_MODEL": "", "HASHMARK_DESCRIPTOR_MODEL": ""])
        #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
        let installed = Self.installed.map { FileManager.default.fileExists(atPath: $0) }
        #expect(elsewhere.stderr.contains("warning: no sentence-embedding model found") == !installed[0], "\(elsewhere.stderr)")
        #expect(elsewhere.stderr.contains("warning: no image descriptor model found") == !installed[1], "\(elsewhere.stderr)")
        if !installed[0] {
            #expect(elsewhere.stderr.contains("Models/minilm-l6-v2") && elsewhere.stderr.contains("HASHMARK_SEMANTIC_MODEL=off"))
        }
        // In the repository (Models/ found) there is nothing to warn of; `off` is not warned of either.
        for env in [["HASHMARK_SEMANTIC_MODEL": "", "HASHMARK_DESCRIPTOR_MODEL": ""],
                    ["HASHMARK_SEMANTIC_MODEL": "off", "HASHMARK_DESCRIPTOR_MODEL": "off"]] {
            let here = try CLI.run(["check", "--db", db, text], env: env)
            #expect(here.status == 0 && !here.stderr.contains("warning"), "\(env): \(here.stderr)")
        }
    }

    /// `corpus add` warns of a missing descriptor model only when it registered images without it.
    @Test func corpusAddWarnsOnlyForImagesRegisteredWithoutTheDescriptor() throws {
        let dir = try TempDir(), unset = ["HASHMARK_SEMANTIC_MODEL": "", "HASHMARK_DESCRIPTOR_MODEL": ""]
        let text = try CLI.run(["corpus", "add", "--db", dir.path("t.sqlite"), Corpus.text(Self.ruth)], cwd: dir.url, env: unset)
        #expect(text.status == 0 && !text.stderr.contains("descriptor"), "\(text.stderr)")
        let image = try CLI.run(["corpus", "add", "--db", dir.path("i.sqlite"), Corpus.image("scikit-image__coins")],
                                cwd: dir.url, env: unset)
        #expect(image.status == 0, "\(image.stderr)")
        #expect(image.stderr.contains("1 image works were registered without a descriptor vector")
                == !FileManager.default.fileExists(atPath: Self.installed[1]), "\(image.stderr)")
        let off = try CLI.run(["corpus", "add", "--db", dir.path("o.sqlite"), Corpus.image("scikit-image__coins")],
                              cwd: dir.url, env: ["HASHMARK_DESCRIPTOR_MODEL": "off"])
        #expect(off.status == 0 && !off.stderr.contains("warning"), "\(off.stderr)")
    }

    @Test func aVariableNamingNoModelIsAnErrorNotAFallback() throws {
        let dir = try TempDir(), db = try Self.corpus(dir)
        let text = dir.path("note.txt")
        try "Another short note.".write(toFile: text, atomically: true, encoding: .utf8)
        let semantic = try CLI.run(["check", "--db", db, text], env: ["HASHMARK_SEMANTIC_MODEL": dir.path("nowhere")])
        #expect(semantic.status == 2 && semantic.stderr.contains("semantic-model-unavailable"), "\(semantic.stderr)")
        let descriptor = try CLI.run(["check", "--db", db, text], env: ["HASHMARK_DESCRIPTOR_MODEL": dir.path("nowhere")])
        #expect(descriptor.status == 2 && descriptor.stderr.contains("descriptor-model-unavailable"), "\(descriptor.stderr)")
        let decision = try CLI.run(["check", "--db", db, text], env: ["HASHMARK_MODEL": dir.path("nowhere.json")])
        #expect(decision.status == 2 && decision.stderr.contains("nowhere.json"), "\(decision.stderr)")
    }

    @Test func embedSentencesWithoutTheModelIsRefused() throws {
        let dir = try TempDir()
        let add = try CLI.run(["corpus", "add", "--db", dir.path("c.sqlite"), "--embed-sentences", Corpus.text(Self.ruth)],
                              env: ["HASHMARK_SEMANTIC_MODEL": "off"])
        #expect(add.status == 2 && add.stderr.contains("--embed-sentences needs the sentence-embedding model"), "\(add.stderr)")
    }

    /// The daemon finds the models (its workers' environment is empty) and hands them over.
    @Test func theDaemonNamesItsModels() throws {
        let dir = try TempDir(), db = try Self.corpus(dir)
        func log(_ environment: [String: String], in directory: URL? = nil) throws -> (ready: String, log: String) {
            let keys = try TempDir()
            let daemon = try RunningDaemon(db: db, keyDir: keys, environment: environment, directory: directory)
            daemon.stop()
            let log = try withExtendedLifetime(keys) { try String(contentsOfFile: daemon.log, encoding: .utf8) }
            return (log.split(separator: "\n").first { $0.contains(" ready ") }.map(String.init) ?? "", log)
        }
        let loaded = try log([:])
        #expect(loaded.ready.contains("paraphrase=all-MiniLM-L6-v2@") && loaded.ready.contains("descriptor="), "\(loaded.ready)")
        #expect(!loaded.ready.contains("descriptor=off") && !loaded.log.contains("model found"), "\(loaded.log)")
        let off = try log(["HASHMARK_SEMANTIC_MODEL": "off", "HASHMARK_DESCRIPTOR_MODEL": "off"])
        #expect(off.ready.contains("paraphrase=off") && off.ready.contains("descriptor=off"), "\(off.ready)")
        #expect(!off.log.contains("model found"), "switched off on purpose: no warning")
        // Started elsewhere: the variable still reaches the workers (as a folder argument) ...
        let models = CLI.repoRoot.appendingPathComponent("Models").path
        let named = try log(["HASHMARK_SEMANTIC_MODEL": models + "/minilm-l6-v2", "HASHMARK_DESCRIPTOR_MODEL": ""], in: dir.url)
        #expect(named.ready.contains("paraphrase=all-MiniLM-L6-v2@"), "\(named.ready)")
        // ... and a model found nowhere is `missing`, with a warning.
        if !FileManager.default.fileExists(atPath: Self.installed[1]) {
            #expect(named.ready.contains("descriptor=missing") && named.log.contains("no image descriptor model found"),
                    "\(named.log)")
        }
    }
}
