import ArgumentParser

/// `hashmark`: the command-line front end. Wiring only; the work lives in the library targets.
@main
struct Hashmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hashmark",
        abstract: "Detect AI-generated copies of protected works.",
        subcommands: [HashCommand.self, CorpusCommand.self, CheckCommand.self, KeygenCommand.self,
                      VerifyCommand.self, ShowCommand.self, WatchCommand.self, EvalCommand.self,
                      QueueCommand.self, WorkerCommand.self]
    )
}
