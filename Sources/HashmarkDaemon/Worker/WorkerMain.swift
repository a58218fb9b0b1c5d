#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HashmarkDocument
import HashmarkEngine
import HashmarkReport
import HashmarkStore

/// `hashmark worker`: the process that decodes and matches submitted files for the daemon.
///
/// It loads the corpus (read-only) and the decision model, sandboxes itself (`WorkerSandbox`),
/// says hello, then answers requests until its stdin closes. It holds no signing key and writes
/// no file: it returns each verdict as an unsigned report, which the daemon checks, names and
/// signs. The daemon kills it when a file takes too long and starts a fresh one.
public enum WorkerMain {
    public struct Options: Sendable {
        public var corpusDB: String
        /// The decision model file; nil: the built-in defaults.
        public var modelPath: String?
        public var limits: EngineLimits
        public var memoryBytes: Int
        /// The daemon's pid: the worker exits when it is no longer its parent.
        public var parent: Int32
        /// Fault injection for the daemon's tests (`HASHMARK_WORKER_TEST_HOOKS=1` in the daemon's
        /// environment): a file starting with `HASHMARK-TEST-HANG` spins forever, one starting with
        /// `HASHMARK-TEST-CRASH` aborts the worker.
        public var testHooks: Bool
        /// The sentence-embedding and image descriptor models as the daemon found them (its
        /// environment, not the worker's, names them); nil: looked up by the worker.
        public var semanticModel: ModelLookup?
        public var descriptorModel: ModelLookup?

        public init(corpusDB: String, modelPath: String?, limits: EngineLimits, memoryBytes: Int, parent: Int32,
                    testHooks: Bool = false, semanticModel: ModelLookup? = nil, descriptorModel: ModelLookup? = nil) {
            self.corpusDB = corpusDB
            self.modelPath = modelPath
            self.limits = limits
            self.memoryBytes = memoryBytes
            self.parent = parent
            self.testHooks = testHooks
            self.semanticModel = semanticModel
            self.descriptorModel = descriptorModel
        }
    }

    /// Runs the worker; returns the process exit status.
    public static func run(_ options: Options) -> Int32 {
        // The protocol owns the original stdin/stdout; stray prints go to stderr.
        let requests = dup(0), replies = dup(1)
        let null = open("/dev/null", O_RDONLY)
        dup2(null, 0)
        dup2(2, 1)
        close(null)
        guard requests >= 0, replies >= 0 else { return 71 }
        do {
            try WorkerSandbox.limitResources(memoryBytes: options.memoryBytes, parent: options.parent)
        } catch {
            return hello(replies, error: error.code, message: error.message)
        }
        var engine: Engine
        var lookups: (semantic: ModelLookup, descriptor: ModelLookup)
        do {
            // The corpus is read once, before the sandbox, and the store closed: a worker holds no
            // database connection or file. The daemon watches the corpus and replaces its workers
            // when it changes (`SpoolProcessor.corpusChanged`).
            let index = try CorpusIndex(store: try CorpusStore(path: options.corpusDB, readOnly: true))
            let model = try options.modelPath.map { path throws(EngineError) in try LoadedModel.load(path: path) } ?? .defaults
            // The sentence-embedding models (~60 MB resident) are read once, before the sandbox.
            let semanticLookup = options.semanticModel ?? SemanticModel.lookup()
            let semantic = try SemanticModel.load(semanticLookup)
            engine = Engine(index: index, model: model, limits: options.limits, semantic: semantic)
            // The image descriptor (~15 MB), also read before the sandbox.
            let descriptorLookup = options.descriptorModel ?? DescriptorModel.lookup()
            engine.descriptor = try DescriptorModel.load(descriptorLookup)
            lookups = (semanticLookup, descriptorLookup)
            try WorkerSandbox.restrictSystemCalls()
        } catch let error as EngineError {
            return hello(replies, error: error.code, message: error.message)
        } catch let error as DaemonError {
            return hello(replies, error: error.code, message: error.message)
        } catch {
            return hello(replies, error: EngineError.Code.corpusUnavailable, message: "\(error)")
        }
        guard WorkerFrame.write(helloReady(engine, lookups), to: replies) else { return 0 }
        // Workers cannot start `pdftotext`: the daemon sends PDFs extracted ("extracted" header).
        engine.documents.readsPDF = false
        while let header = WorkerFrame.read(from: requests, limit: 1 << 16),
              let request = try? JSONValue.parse(header),
              let payload = WorkerFrame.read(from: requests, limit: request["extracted"] == nil
                  ? options.limits.image.maxFileBytes : WorkerFrame.extractedPayloadLimit(options.limits)) {
            if options.testHooks { injectFault(payload) }
            var name = "submission"
            if case .string(let given)? = request["name"] { name = given }
            // Unsigned, with the engine's placeholder id and time (the daemon names it).
            let report = check(payload, name: name, extracted: request["extracted"], engine: engine)
                .named(VerdictReport.pendingID, createdAt: VerdictReport.pendingTime)
            guard let bytes = try? report.canonicalBytes(), WorkerFrame.write(bytes, to: replies) else { return 74 }
        }
        return 0
    }

    /// A file's bytes, or a document the daemon extracted (`extracted`: the original's sha256,
    /// size and media type, which the report's subject names).
    static func check(_ payload: [UInt8], name: String, extracted: JSONValue?, engine: Engine) -> VerdictReport {
        guard let extracted else { return engine.check(bytes: payload, fileName: name) }
        guard case .string(let sha256)? = extracted["sha256"], case .int(let size)? = extracted["size"],
              case .string(let mediaType)? = extracted["mediaType"] else {
            return engine.errorVerdict(EngineError(code: "worker-protocol", message: "malformed extracted-document header"),
                                       subject: .init(fileName: name, size: payload.count, sha256: "", mediaType: "application/octet-stream"))
        }
        let subject = VerdictReport.Subject(fileName: name, size: Int(size), sha256: sha256, mediaType: mediaType)
        do {
            return engine.check(document: try ExtractedDocument(wireBytes: payload), subject: subject)
        } catch {
            return engine.errorVerdict(EngineError(code: error.code.rawValue, message: error.message), subject: subject)
        }
    }

    private static func injectFault(_ payload: [UInt8]) {
        if payload.starts(with: Array("HASHMARK-TEST-HANG".utf8)) {
            // getppid() is never 0 here, but the optimiser cannot know that.
            var x: UInt64 = 1
            while getppid() != 0 { for _ in 0..<100_000 { x = x &* 6364136223846793005 &+ 1442695040888963407 } }
            print(x)
        }
        if payload.starts(with: Array("HASHMARK-TEST-CRASH".utf8)) { abort() }
    }

    static func helloReady(_ engine: Engine, _ lookups: (semantic: ModelLookup, descriptor: ModelLookup)) -> [UInt8] {
        let counts = engine.index.counts
        let entries = counts.pdqHashes + counts.textPostings + counts.localFeatureSets + engine.index.audioCounts.landmarks
        var ready: [String: JSONValue] = ["entries": .int(Int64(entries)), "snapshot": .string(engine.index.snapshot.id)]
        if let semantic = engine.semantic {
            ready["sentences"] = .int(Int64(semantic.sentenceCount))
            ready["storedSentences"] = .int(Int64(semantic.storedSentenceCount))
        }
        ready["paraphraseModel"] = .string(modelState(engine.semantic.map { ($0.model.modelID, $0.model.weightsSha256) },
                                                      lookups.semantic))
        ready["descriptorModel"] = .string(modelState(engine.descriptor.map { ($0.modelID, $0.weightsSha256) },
                                                      lookups.descriptor))
        let value = JSONValue.object(["ready": .object(ready)])
        return (try? value.canonicalBytes()) ?? []
    }

    /// `<id>@<first 12 hex of the weights' SHA-256>` for a loaded model, else `missing` when none
    /// was found and `off` when it was switched off (`IndexStatus.paraphraseModel`).
    static func modelState(_ loaded: (id: String, sha256: String)?, _ lookup: ModelLookup) -> String {
        if let loaded { return "\(loaded.id)@\(loaded.sha256.prefix(12))" }
        if case .notFound = lookup { return "missing" }
        return "off"
    }

    private static func hello(_ fd: Int32, error code: String, message: String) -> Int32 {
        let value = JSONValue.object(["error": .object(["code": .string(code), "message": .string(message)])])
        _ = WorkerFrame.write((try? value.canonicalBytes()) ?? [], to: fd)
        return 3
    }
}
