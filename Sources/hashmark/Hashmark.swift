import ArgumentParser
import Foundation

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

    /// As ArgumentParser's, but a `CLIError` (no database, a model that cannot be loaded, an
    /// unreadable input: the command could not do its work) exits 2, never 1, which `check`,
    /// `verify` and `corpus stats --check-current` give an answer (infringing, invalid, stale).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            Foundation.exit(2)
        } catch {
            exit(withError: error)
        }
    }
}
