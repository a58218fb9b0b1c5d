import ArgumentParser
import Foundation
import HashmarkReport

/// `hashmark verify R.json` / `hashmark verify --ledger DIR`.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a signed report (signature, schema, optionally the original file) or a whole ledger.",
        discussion: """
            Exit 0 valid, 1 invalid (the reason is printed), 2 unusable input.
            The same signature check with nothing but OpenSSL:
              openssl pkeyutl -verify -pubin -inkey hashmark.pub.pem -rawin -in R.json -sigfile R.json.sig
            """)

    @Option(help: "Public key PEM (default: hashmark.pub.pem beside the report, else var/keys/hashmark.pub.pem).")
    var pubkey: String?
    @Option(help: "The original file: its SHA-256 must equal the report's subject.") var file: String?
    @Option(help: "Verify the whole ledger.jsonl chain of this reports folder.") var ledger: String?
    @Argument(help: "Report JSON files.") var reports: [String] = []

    func validate() throws {
        if reports.isEmpty && ledger == nil { throw ValidationError("Give a report or --ledger DIR.") }
    }

    func run() throws {
        var worst: Int32 = 0
        if let ledger {
            let key = try keyPath(near: ledger + "/x").map { try PublicKey.load(pemPath: $0) }
            let result = ReportVerifier.verifyLedger(directory: ledger, publicKey: key)
            switch result {
            case .valid(let s): print("\(ledger): ledger valid (\(s.entries) entries, \(s.reports) reports, head \(s.head))")
            case .invalid(let f): print("\(ledger): ledger INVALID: \(f.code): \(f.message)")
            case .unusable(let f): print("\(ledger): cannot verify: \(f.code): \(f.message)")
            }
            worst = max(worst, result.exitCode)
        }
        for report in reports {
            guard let key = try keyPath(near: report) else {
                print("\(report): cannot verify: no public key (give --pubkey)")
                worst = max(worst, 2)
                continue
            }
            let result = ReportVerifier.verify(reportPath: report, publicKeyPath: key, originalFile: file)
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

    private func keyPath(near report: String) throws -> String? {
        if let pubkey { return pubkey }
        let beside = URL(fileURLWithPath: report).deletingLastPathComponent()
            .appendingPathComponent(KeyPair.publicKeyFileName).path
        for candidate in [beside, "var/keys/\(KeyPair.publicKeyFileName)"]
        where FileManager.default.fileExists(atPath: candidate) { return candidate }
        return nil
    }
}
