import ArgumentParser
import HashmarkDaemon
import HashmarkEngine
import HashmarkMedia

/// `hashmark worker`: started by `hashmark watch` only (stdin/stdout are its protocol pipes).
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Decode and match files for `hashmark watch` (started by the daemon; not for direct use).",
        shouldDisplay: false)

    @Option var db: String
    @Option var model: String?
    @Option(name: .customLong("max-file-bytes")) var maxFileBytes: Int
    @Option(name: .customLong("max-pixels")) var maxPixels: Int
    @Option(name: .customLong("max-text-bytes")) var maxTextBytes: Int
    @Option(name: .customLong("memory-mib")) var memoryMiB: Int
    @Option var parent: Int32
    @Flag(name: .customLong("test-hooks")) var testHooks = false
    /// A folder, `off` or `missing` (`ModelLookup.argument`); absent: looked up here.
    @Option(name: .customLong("semantic-model")) var semanticModel: String?
    @Option(name: .customLong("descriptor-model")) var descriptorModel: String?

    func run() throws {
        let limits = EngineLimits(image: ImageLimits(maxPixels: maxPixels, maxFileBytes: maxFileBytes),
                                  maxTextBytes: maxTextBytes)
        let status = WorkerMain.run(.init(corpusDB: db, modelPath: model, limits: limits,
                                          memoryBytes: memoryMiB << 20, parent: parent,
                                          testHooks: testHooks,
                                          semanticModel: semanticModel.map(ModelLookup.init(argument:)),
                                          descriptorModel: descriptorModel.map(ModelLookup.init(argument:))))
        throw ExitCode(status)
    }
}
