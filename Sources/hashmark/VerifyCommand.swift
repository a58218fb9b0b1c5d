import ArgumentParser
import Foundation
import HashmarkReport
import HashmarkStore

/// `hashmark verify R.json` / `hashmark verify --ledger DIR`.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a signed report (signature, schema, optionally the original file) or a whole ledger.",
        discussion: """
            Exit 0 valid, 1 invalid (the reason is printed), 2 unusable input (including no trusted key).
            The key is never one found beside the report: --pubkey PEM, else $HASHMARK_PUBKEY, else
            var/keys/hashmark.pub.pem. --key-id HEX pins the key: one whose id differs is refused
            (with --key-id, a key beside the report is used if its id is the one given).
            The same signature check with nothing but OpenSSL:
              openssl pkeyutl -verify -pubin -inkey hashmark.pub.pem -rawin -in R.json -sigfile R.json.sig
            --ledger also checks checkpoints.tsv: each signed checkpoint (count N, head H) must match
            line N of ledger.jsonl, so a ledger truncated below a checkpoint is INVALID.
            --ledger postgresql://… checks the shared ledger of daemons on several hosts: rows
            numbered 1, 2, 3… without a gap, each hashed onto the one before, each host's lines in
            order; a row removed, reordered or altered is INVALID.
            """)

    @Option(help: "Public key PEM (default: $HASHMARK_PUBKEY, else var/keys/hashmark.pub.pem; never beside the report).")
    var pubkey: String?
    @Option(name: .customLong("key-id"), help: "Trusted key id (64 hex, SHA-256 of the key's DER): any other key is refused.")
    var keyId: String?
    @Option(help: "The original file: its SHA-256 must equal the report's subject.") var file: String?
    @Option(help: "Verify the whole ledger.jsonl chain (and checkpoints.tsv) of this reports folder, or the shared ledger in this postgresql:// database.")
    var ledger: String?
    @Argument(help: "Report JSON files.") var reports: [String] = []

    func validate() throws {
        if reports.isEmpty && ledger == nil { throw ValidationError("Give a report or --ledger DIR.") }
    }

    /// The shared ledger in a PostgreSQL corpus database: 0 valid, 1 invalid, 2 unreadable.
    static func verifySharedLedger(_ url: String) -> Int32 {
        let shown = CorpusStore.displayName(of: url)
        do {
            let store = try CorpusStore(path: url, readOnly: true)
            var rows: [SharedLedgerRow] = []
            while true {
                let page = try store.sharedLedger(after: rows.last?.seq ?? 0)
                if page.isEmpty { break }
                rows += page
            }
            if let problem = SharedLedgerRow.verify(rows) {
                print("\(shown): shared ledger INVALID: ledger-chain: \(problem)")
                return 1
            }
            var perHost: [String: Int] = [:]
            for row in rows { perHost[row.host, default: 0] += 1 }
            let hosts = perHost.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            print("\(shown): shared ledger valid (\(rows.count) rows, head \(rows.last?.chain ?? SharedLedgerRow.genesis); "
                  + "\(perHost.count) hosts\(hosts.isEmpty ? "" : ": " + hosts))")
            return 0
        } catch {
            print("\(shown): cannot verify: \(error)")
            return 2
        }
    }

    func run() throws {
        var worst: Int32 = 0
        if let ledger, PostgresLocation.isURL(ledger) {
            worst = Self.verifySharedLedger(ledger)
        } else if let ledger {
            switch trustedKey(besides: ledger + "/" + KeyPair.publicKeyFileName) {
            case .refused(let f):
                print("\(ledger): cannot verify: \(f.code): \(f.message)")
                worst = 2
            case let resolution:
                let key: PublicKey? = if case .key(let key, _) = resolution { key } else { nil }
                let result = ReportVerifier.verifyLedger(directory: ledger, publicKey: key)
                let keyNote = key.map { "signatures checked with key \($0.keyId.prefix(16))…" }
                    ?? "signatures NOT checked: no trusted key (give --pubkey or --key-id)"
                switch result {
                case .valid(let s):
                    print("\(ledger): ledger valid (\(s.entries) entries, \(s.reports) reports, head \(s.head); "
                          + "\(s.checkpoints) checkpoints, the newest covering \(s.checkpointed) entries; \(keyNote))")
                case .invalid(let f): print("\(ledger): ledger INVALID: \(f.code): \(f.message)")
                case .unusable(let f): print("\(ledger): cannot verify: \(f.code): \(f.message)")
                }
                worst = max(worst, result.exitCode)
            }
        }
        for report in reports {
            let beside = URL(fileURLWithPath: report).deletingLastPathComponent()
                .appendingPathComponent(KeyPair.publicKeyFileName).path
            let key: PublicKey
            switch trustedKey(besides: beside) {
            case .key(let found, _): key = found
            case .none:
                print("\(report): cannot verify: no-trusted-key: give --pubkey PEM or --key-id HEX, or set "
                      + "$\(TrustedKey.environmentVariable) (\(TrustedKey.defaultPath) not found)")
                worst = max(worst, 2)
                continue
            case .refused(let f):
                print("\(report): cannot verify: \(f.code): \(f.message)")
                worst = max(worst, 2)
                continue
            }
            let result = ReportVerifier.verify(reportPath: report, publicKey: key, originalFile: file)
            switch result {
            case .valid(let r):
                print("\(report): valid — \(r.verdict.rawValue), signed by key \(r.signer.keyId.prefix(16))…")
            case .invalid(let f): print("\(report): INVALID: \(f.code): \(f.message)")
            case .unusable(let f): print("\(report): cannot verify: \(f.code): \(f.message)")
            }
            worst = max(worst, result.exitCode)
        }
        if worst != 0 { throw ExitCode(worst) }
    }

    /// `besides` (the key next to the report) counts only when `--key-id` pins its id.
    private func trustedKey(besides: String) -> TrustedKey.Resolution {
        TrustedKey.resolve(pubkey: pubkey, keyId: keyId, pinnedOnly: [besides])
    }
}
