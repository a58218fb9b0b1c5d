import ArgumentParser
import HashmarkDaemon

/// `hashmark watch`: the daemon. Files dropped into SPOOL/inbox become signed reports.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch a spool inbox and write a signed report for every file dropped in.",
        discussion: """
            Spool layout: inbox/ (drop files; write elsewhere or as a dot-file, then rename in), \
            active/, done/, failed/, reports/ (<id>.json, <id>.json.sig, ledger.jsonl). \
            Stops gracefully on SIGTERM/SIGINT; SIGHUP reloads the corpus. See systemd/README.md.
            """)

    @Option(help: "TOML config file (see systemd/hashmark.toml for every option).") var config: String?
    @Option(help: "Spool root (overrides [spool] root).") var spool: String?
    @Option(help: "Corpus database (overrides [corpus] db).") var db: String?
    @Option(help: "Ed25519 private key PEM, mode 0600 (overrides [signing] key).") var key: String?

    func run() async throws {
        let resolved = try DaemonConfig.resolve(
            configFile: config, overrides: DaemonOverrides(spoolRoot: spool, corpusDB: db, signingKey: key))
        let processor = try EngineProcessor(config: resolved)
        try await DaemonEnvironment.runWatch(config: resolved, processor: processor)
    }
}
