import ArgumentParser
import HashmarkDaemon
import HashmarkStore

/// `hashmark queue`: the shared work queue of daemons that take files from one shared inbox
/// (`[shared] folder`): counts, the rows not done, and an operator's release of a gone daemon's rows.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Show the shared work queue; release the rows of a daemon that is gone for good.",
        discussion: """
            A claimed row whose daemon stopped renewing its lease passes to another daemon by itself. \
            A committing row (its report was being written) waits for its own daemon, the only one \
            that knows whether the report exists; --release ROW hands it to the others when that \
            host will not come back.
            """)
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "JSON output.") var json = false
    @Option(help: "Give row ROW (claimed or committing, any owner) back to the queue.") var release: Int64?

    func run() throws {
        let store = try database.open()
        if let release {
            guard try store.forceReleaseShared(id: release) else {
                throw CLIError("row \(release) is not claimed or committing")
            }
            print("row \(release) released: pending")
            return
        }
        let counts = try store.sharedQueueCounts()
        let open = try store.sharedQueueOpen()
        if json {
            struct Row: Encodable {
                let id: Int64; let name: String; let state: String; let owner: String?; let token: Int64
                let leaseLeftSeconds: Double
            }
            struct Out: Encodable { let counts: [String: Int]; let open: [Row] }
            JSONLine.print(Out(
                counts: Dictionary(uniqueKeysWithValues: SharedWorkItem.State.allCases.map { ($0.rawValue, counts[$0] ?? 0) }),
                open: open.map { Row(id: $0.item.id, name: Self.display($0.item.name), state: $0.item.state.rawValue,
                                     owner: $0.item.owner, token: $0.item.token,
                                     leaseLeftSeconds: Double($0.leaseLeftMilliseconds) / 1000) }))
            return
        }
        print("work queue: " + SharedWorkItem.State.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", "))
        for (item, left) in open {
            var line = "row \(item.id) \(item.state.rawValue) \(Self.display(item.name))"
            if let owner = item.owner {
                line += " by \(owner) (token \(item.token)), lease "
                line += left >= 0 ? "\(left / 1000) s left" : "ran out \(-left / 1000) s ago"
            }
            print(line)
        }
    }

    /// A name for a terminal: the same escaping as the daemon's logs.
    static func display(_ bytes: [UInt8]) -> String { SpoolName(bytes: bytes)?.display ?? "?" }
}
