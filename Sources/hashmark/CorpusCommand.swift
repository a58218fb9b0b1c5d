import ArgumentParser
import Foundation
import HashmarkEngine
import HashmarkStore
import HashmarkView

/// `hashmark corpus …`: register and inspect rights holders' works.
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus", abstract: "Register, list and remove corpus works.",
        subcommands: [Add.self, List.self, Remove.self, Stats.self, ImportHashes.self, ExportHashes.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fingerprint files or folders (recursively) and register them as works.",
            discussion: "Bad files are reported and skipped; the rest is committed. Exit 2 if any failed. Adding a registered "
                + "file again brings what is stored for it up to date (fingerprints of older algorithms; with --embed-sentences, "
                + "its sentence embeddings).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Rights holder for every added work.") var owner: String?
        @Option(help: "Licence (SPDX id) for every added work.") var license: String?
        @Option(help: "Title (only with a single file).") var title: String?
        @Option(help: "Work id (only with a single file; default: file name without extension).") var id: String?
        @Option(help: "CSV with columns path,id,title,owner,license and optionally role (work or ignore-element; paths relative to its folder).")
        var manifest: String?
        @Flag(help: "Register the files as ignore-elements (logos, watermarks, frames that many images share): never matched as works, and a submission's keypoints on them do not count towards a match.")
        var ignoreElement = false
        @Flag(help: "Also embed every sentence of the text works with the paraphrase matcher's transformer and store the vectors, which matching then reads instead of embedding corpus sentences itself in every worker process (registration ~2 ms of CPU a sentence with AVX-512 VNNI, ~10 times that without).")
        var embedSentences = false
        @Argument(help: "Files or folders.") var paths: [String] = []

        func validate() throws {
            if paths.isEmpty && manifest == nil { throw ValidationError("Give files, folders or --manifest.") }
        }

        func run() throws {
            let store = try database.open()
            var entries: [CorpusManifest.Entry] = []
            if let manifest { entries += try CorpusManifest.read(path: manifest) }
            let files = try paths.flatMap(FileWalk.regularFiles(under:))
            if (id != nil || title != nil) && files.count != 1 {
                throw ValidationError("--id and --title need exactly one file.")
            }
            for file in files {
                entries.append(.init(path: file, metadata: .init(
                    id: id ?? WorkID.defaultID(forPath: file), title: title ?? "", owner: "", license: "",
                    source: file, role: ignoreElement ? .ignoreElement : .work)))
            }
            var ingest = Ingest(store: store, thumbnailer: Thumbnail.maker)
            ingest.audioPreviewer = AudioPreview.maker
            do {
                ingest.descriptor = try DescriptorModel.load()
                if embedSentences {
                    guard let semantic = try SemanticModel.load() else {
                        throw CLIError("--embed-sentences needs the sentence-embedding model: "
                                       + (SemanticModel.missingWarning ?? "\(SemanticModel.environment) is off"))
                    }
                    ingest.semantic = semantic
                }
            } catch let error as EngineError {
                throw CLIError("\(error.code): \(error.message)")
            }
            var added = 0, unchanged = 0, failed = 0, imagesWithoutDescriptor = 0
            for (n, entry) in entries.enumerated() {
                var meta = entry.metadata
                if let owner { meta.owner = owner }
                if let license { meta.license = license }
                do {
                    let result = try ingest.add(path: entry.path, metadata: meta)
                    if result.inserted { added += 1 } else { unchanged += 1 }
                    if ingest.descriptor == nil, result.inserted, result.work.role == .work,
                       result.work.mediaType.hasPrefix("image/") { imagesWithoutDescriptor += 1 }
                } catch {
                    failed += 1
                    if Terminal.isInteractive { Terminal.err("") }
                    Terminal.err("\(entry.path): skipped: \(error.code): \(error.message)")
                }
                Terminal.progress(n + 1, of: entries.count, entry.path)
            }
            if imagesWithoutDescriptor > 0, let warning = DescriptorModel.missingWarning {
                Terminal.err("warning: \(warning); \(imagesWithoutDescriptor) image works were registered without a descriptor vector (add them again once it is installed)")
            }
            let snapshot = try store.snapshot()
            print("added \(added), unchanged \(unchanged), failed \(failed); corpus snapshot \(snapshot.id)")
            if failed > 0 { throw ExitCode(2) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the registered works.")
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "One JSON object per line.") var json = false

        func run() throws {
            for work in try database.open().list() {
                if json {
                    JSONLine.print(work)
                } else {
                    // A sixth column only for ignore-elements: lines of works keep their five.
                    let role = work.role == .work ? "" : "\t\(work.role.rawValue)"
                    print("\(work.id)\t\(work.mediaType)\t\(work.title)\t\(work.owner)\t\(work.license)\(role)")
                }
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a work and its fingerprints.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Work id.") var id: String

        func run() throws {
            guard try database.open().remove(id: id) else {
                Terminal.err("no work with id \(id)")
                throw ExitCode(1)
            }
            print("removed \(id)")
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Counts, snapshot, database size, and whether the corpus needs re-indexing.",
            discussion: "With --check-current: exit 1 when the corpus holds fingerprints or postings of older algorithms (what `make run` uses to rebuild it).")
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "JSON output.") var json = false
        @Flag(help: "Exit 1 when the corpus was indexed by older fingerprint algorithms.") var checkCurrent = false

        func run() throws {
            let store = try database.open()
            let stats = try store.stats()
            let snapshot = try store.snapshot()
            let stale = try store.staleContent()
            if json {
                struct Out: Encodable { let stats: StoreStats; let snapshot: String; let stale: String? }
                JSONLine.print(Out(stats: stats, snapshot: snapshot.id, stale: stale.isEmpty ? nil : stale.description))
            } else {
                func list(_ counts: [String: Int]) -> String {
                    counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                }
                print("works: \(stats.works) (\(list(stats.worksByMediaType)))")
                if stats.ignoreElements > 0 { print("ignore-elements: \(stats.ignoreElements)") }
                print("fingerprints: \(list(stats.fingerprintsByAlgorithm)) (a transparent image has one set per background)")
                print("text postings: \(stats.textPostings)")
                print("snapshot: \(snapshot.id)")
                print("database: \(store.displayName) (\(store.backendName), \(stats.fileBytes) bytes)")
                print(stale.isEmpty ? "algorithms: current" : "algorithms: STALE: \(stale) (re-add the works)")
            }
            if checkCurrent && !stale.isEmpty { throw ExitCode(1) }
        }
    }

    struct ImportHashes: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-hashes",
            abstract: "Register PDQ hashes from a ThreatExchange-style CSV (hash,quality,id,owner).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "CSV file.") var file: String

        func run() throws {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw CLIError("cannot read \(file): \(error)")
            }
            let result = try database.open().importHashes(try HashBankCSV.parse(text), source: file)
            print("imported \(result.inserted) works, \(result.unchanged) unchanged")
        }
    }

    struct ExportHashes: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-hashes", abstract: "Print every PDQ hash as CSV (hash,quality,id,owner).")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            print(HashBankCSV.format(try database.open().exportHashes()), terminator: "")
        }
    }
}

enum FileWalk {
    /// A file, or every regular non-hidden file under a folder (sorted, recursive).
    static func regularFiles(under path: String) throws -> [String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw CLIError("\(path): no such file or folder")
        }
        guard isDir.boolValue else { return [path] }
        guard let walker = FileManager.default.enumerator(atPath: path) else { return [] }
        var out: [String] = []
        while let rel = walker.nextObject() as? String {
            let full = (path as NSString).appendingPathComponent(rel)
            if URL(fileURLWithPath: rel).lastPathComponent.hasPrefix(".") { continue }
            var sub: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &sub), !sub.boolValue { out.append(full) }
        }
        return out.sorted()
    }
}
