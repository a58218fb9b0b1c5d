import Foundation
import HashmarkPrimitives
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a report or ledger did not verify. `code` is stable; `message` names the exact problem.
public struct VerificationFailure: Sendable, Equatable, CustomStringConvertible {
    public let code: String
    public let message: String
    public init(code: String, message: String) { self.code = code; self.message = message }
    public var description: String { "\(code): \(message)" }
}

/// Outcome of `ReportVerifier.verify`. Exit codes for the CLI: 0 valid, 1 invalid, 2 unusable input.
public enum VerificationResult: Sendable {
    case valid(VerdictReport)
    case invalid(VerificationFailure)
    case unusable(VerificationFailure)

    public var exitCode: Int32 {
        switch self {
        case .valid: 0
        case .invalid: 1
        case .unusable: 2
        }
    }
}

/// What a verified ledger contains; publish `head` elsewhere to make truncation of the tail detectable.
public struct LedgerSummary: Sendable, Equatable {
    public let entries: Int
    /// Distinct report ids (each checked against its latest line).
    public let reports: Int
    /// Lines replaced by a later version of the same report id.
    public let superseded: Int
    /// SHA-256 of the last line's report, or 64 zeros for an empty ledger.
    public let head: String
    /// Lines of `checkpoints.tsv` checked against the ledger (0 when there is none).
    public let checkpoints: Int
    /// Ledger lines covered by the newest checkpoint (0 when there is none).
    public let checkpointed: Int

    public init(entries: Int, reports: Int, superseded: Int, head: String, checkpoints: Int = 0, checkpointed: Int = 0) {
        self.entries = entries; self.reports = reports; self.superseded = superseded; self.head = head
        self.checkpoints = checkpoints; self.checkpointed = checkpointed
    }
}

public enum LedgerVerificationResult: Sendable {
    case valid(LedgerSummary)
    case invalid(VerificationFailure)
    case unusable(VerificationFailure)

    public var exitCode: Int32 {
        switch self {
        case .valid: 0
        case .invalid: 1
        case .unusable: 2
        }
    }
}

public enum ReportVerifier {
    /// Checks, in order: the detached signature `<reportPath>.sig` over the exact bytes, strict
    /// JSON in canonical form, the `hashmark.verdict/1` or `/2` schema, that `signer.keyId` is this key,
    /// and (when given) that `originalFile` has the subject's size and SHA-256.
    public static func verify(reportPath: String, publicKey: PublicKey, originalFile: String? = nil) -> VerificationResult {
        let bytes: [UInt8]
        do { bytes = try FileIO.readAll(reportPath) } catch {
            return .unusable(.init(code: "report-unreadable", message: "\(error)"))
        }
        let signature: [UInt8]
        do { signature = try FileIO.readAll(reportPath + ".sig", limit: 4096) } catch {
            return .invalid(.init(code: "signature-missing", message: "cannot read \(reportPath).sig: \(error)"))
        }
        return verify(reportBytes: bytes, signature: signature, publicKey: publicKey, originalFile: originalFile)
    }

    /// `verify(reportBytes:signature:publicKey:)` plus the check of `originalFile` against the
    /// subject. Callers that go on to use the report (render it, act on it) read the file once and
    /// pass those bytes here, so what they use is exactly what was verified; `signature: nil`
    /// (no `.sig` file) is `signature-missing`.
    public static func verify(reportBytes bytes: [UInt8], signature: [UInt8]?, publicKey: PublicKey,
                              originalFile: String?) -> VerificationResult {
        guard let signature else {
            return .invalid(.init(code: "signature-missing", message: "there is no detached signature (.sig)"))
        }
        let result = verify(reportBytes: bytes, signature: signature, publicKey: publicKey)
        guard case .valid(let report) = result, let originalFile else { return result }
        let digest: (digest: [UInt8], size: Int)
        do { digest = try SHA256.hash(filePath: originalFile) } catch {
            return .unusable(.init(code: "original-unreadable", message: "\(error)"))
        }
        guard digest.size == report.subject.size else {
            return .invalid(.init(code: "subject-mismatch",
                                  message: "\(originalFile) has \(digest.size) bytes, the report says \(report.subject.size)"))
        }
        guard Hex.encode(digest.digest) == report.subject.sha256 else {
            return .invalid(.init(code: "subject-mismatch",
                                  message: "SHA-256 of \(originalFile) is not the report's subject.sha256"))
        }
        return result
    }

    /// Loads the public key PEM first; an unreadable key is unusable input (exit 2).
    public static func verify(reportPath: String, publicKeyPath: String, originalFile: String? = nil) -> VerificationResult {
        do {
            return verify(reportPath: reportPath, publicKey: try PublicKey.load(pemPath: publicKeyPath),
                          originalFile: originalFile)
        } catch {
            return .unusable(.init(code: "pubkey-unusable", message: "\(error)"))
        }
    }

    /// The in-memory core of `verify(reportPath:…)`.
    public static func verify(reportBytes bytes: [UInt8], signature: [UInt8], publicKey: PublicKey) -> VerificationResult {
        guard signature.count == 64 else {
            return .invalid(.init(code: "signature-length", message: "signature has \(signature.count) bytes, expected 64"))
        }
        guard publicKey.verify(signature: signature, message: bytes) else {
            return .invalid(.init(code: "signature-mismatch",
                                  message: "the signature does not match these report bytes under key \(publicKey.keyId)"))
        }
        let value: JSONValue
        do { value = try JSONValue.parse(bytes) } catch {
            return .invalid(.init(code: "json-syntax", message: "\(error)"))
        }
        guard (try? value.canonicalBytes()) == bytes else {
            return .invalid(.init(code: "not-canonical", message: "the report is not in canonical JSON form"))
        }
        let report: VerdictReport
        do { report = try VerdictReport(json: value) } catch {
            return .invalid(.init(code: "schema", message: "\(error)"))
        }
        guard report.signer.keyId == publicKey.keyId else {
            return .invalid(.init(code: "key-id-mismatch",
                                  message: "report names signer \(report.signer.keyId), key is \(publicKey.keyId)"))
        }
        return .valid(report)
    }

    /// Checks `directory/ledger.jsonl` end to end: every line canonical and chained to the one
    /// before; for each report id its latest line's hash equals the bytes of `<id>.json`, whose
    /// `reportId` and `previousReportSha256` agree with that line; no `*.json` report in the
    /// directory is missing from the ledger; and, with `publicKey`, every signature verifies.
    /// Each line of `checkpoints.tsv`, when present, must be well formed, must not go backwards,
    /// and its count N and head H must match line N of the ledger (`ledger-truncated` when the
    /// ledger has fewer lines, `checkpoint-mismatch` when line N differs); with `publicKey`, each
    /// must name that key and its signature verify. Deleting the last lines together with their
    /// reports and the checkpoints that cover them is not detectable from the directory alone:
    /// compare with a copy of `checkpoints.tsv` (or `LedgerSummary.head`) kept elsewhere.
    public static func verifyLedger(directory: String, publicKey: PublicKey? = nil) -> LedgerVerificationResult {
        let ledgerPath = directory + "/" + LedgerEntry.fileName
        let bytes: [UInt8]
        if !FileManager.default.fileExists(atPath: ledgerPath),
           FileManager.default.fileExists(atPath: directory + "/" + LedgerCheckpoint.fileName) {
            bytes = []  // deleted: the checkpoints below say how many lines are missing
        } else {
            do { bytes = try FileIO.readAll(ledgerPath, limit: Int.max) } catch {
                return .unusable(.init(code: "ledger-unreadable", message: "\(error)"))
            }
        }
        let entries: [LedgerEntry]
        do {
            let parsed = try LedgerEntry.parse(bytes)
            guard parsed.completeLength == bytes.count else {
                return .invalid(.init(code: "ledger-syntax", message: "the last line has no newline (torn append)"))
            }
            entries = parsed.entries
        } catch {
            return .invalid(.init(code: "ledger-syntax", message: "\(error)"))
        }
        var head = VerdictReport.genesisHash
        var latest: [String: (entry: LedgerEntry, line: Int)] = [:]
        for (index, entry) in entries.enumerated() {
            guard entry.previous == head else {
                return .invalid(.init(code: "ledger-chain",
                                      message: "line \(index + 1) (\(entry.reportId)) does not chain to line \(index): "
                                        + "a line was removed, reordered or altered"))
            }
            head = entry.sha256
            latest[entry.reportId] = (entry, index + 1)
        }
        let checkpoints: (lines: Int, covered: Int)
        switch verifyCheckpoints(directory: directory, entries: entries, publicKey: publicKey) {
        case .success(let checked): checkpoints = checked
        case .failure(.invalid(let failure)): return .invalid(failure)
        case .failure(.unusable(let failure)): return .unusable(failure)
        }
        for id in latest.keys.sorted() {
            guard let (entry, line) = latest[id] else { continue }
            let path = directory + "/" + id + ".json"
            let report: [UInt8]
            do { report = try FileIO.readAll(path) } catch {
                return .invalid(.init(code: "report-missing", message: "\(id).json (ledger line \(line)) is missing: \(error)"))
            }
            guard SHA256.hex(report) == entry.sha256 else {
                return .invalid(.init(code: "report-altered",
                                      message: "\(id).json does not hash to ledger line \(line)"))
            }
            guard let parsed = try? VerdictReport(bytes: report), parsed.reportId == id,
                  parsed.previousReportSha256 == entry.previous else {
                return .invalid(.init(code: "report-mismatch",
                                      message: "\(id).json disagrees with ledger line \(line) (id or previous hash)"))
            }
            if let publicKey {
                let signature = (try? FileIO.readAll(path + ".sig", limit: 4096)) ?? []
                guard case .valid = verify(reportBytes: report, signature: signature, publicKey: publicKey) else {
                    return .invalid(.init(code: "signature-mismatch", message: "\(id).json.sig does not verify"))
                }
            }
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            return .unusable(.init(code: "directory-unreadable", message: "\(error)"))
        }
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let id = String(name.dropLast(5))
            if latest[id] == nil {
                return .invalid(.init(code: "unledgered-report", message: "\(name) is not in the ledger"))
            }
        }
        return .valid(LedgerSummary(entries: entries.count, reports: latest.count,
                                    superseded: entries.count - latest.count, head: head,
                                    checkpoints: checkpoints.lines, checkpointed: checkpoints.covered))
    }

    enum CheckpointProblem: Error {
        case invalid(VerificationFailure)
        case unusable(VerificationFailure)
    }

    /// The checkpoint half of `verifyLedger`: lines checked and lines covered by the newest.
    static func verifyCheckpoints(directory: String, entries: [LedgerEntry],
                                  publicKey: PublicKey?) -> Result<(lines: Int, covered: Int), CheckpointProblem> {
        let path = directory + "/" + LedgerCheckpoint.fileName
        guard FileManager.default.fileExists(atPath: path) else { return .success((0, 0)) }
        let bytes: [UInt8]
        do { bytes = try FileIO.readAll(path, limit: Int.max) } catch {
            return .failure(.unusable(.init(code: "checkpoints-unreadable", message: "\(error)")))
        }
        let lines: [LedgerCheckpoint.Signed]
        do {
            let parsed = try LedgerCheckpoint.parseAll(bytes)
            guard parsed.completeLength == bytes.count else {
                return .failure(.invalid(.init(code: "checkpoint-syntax",
                                               message: "the last line of \(LedgerCheckpoint.fileName) has no newline (torn append)")))
            }
            lines = parsed.lines
        } catch {
            return .failure(.invalid(.init(code: "checkpoint-syntax", message: "\(error)")))
        }
        var covered = 0
        for (index, line) in lines.enumerated() {
            let number = index + 1, checkpoint = line.checkpoint
            if let publicKey {
                guard checkpoint.keyId == publicKey.keyId else {
                    return .failure(.invalid(.init(code: "checkpoint-key-id-mismatch",
                                                   message: "checkpoint line \(number) names key \(checkpoint.keyId), key is \(publicKey.keyId)")))
                }
                guard line.verifies(with: publicKey) else {
                    return .failure(.invalid(.init(code: "checkpoint-signature",
                                                   message: "the signature of checkpoint line \(number) does not verify")))
                }
            }
            guard checkpoint.count <= entries.count else {
                return .failure(.invalid(.init(code: "ledger-truncated",
                                               message: "checkpoint line \(number) (\(checkpoint.time)) covers \(checkpoint.count) ledger lines, "
                                                + "the ledger has \(entries.count): lines were removed from its tail")))
            }
            guard entries[checkpoint.count - 1].sha256 == checkpoint.head else {
                return .failure(.invalid(.init(code: "checkpoint-mismatch",
                                               message: "checkpoint line \(number) says ledger line \(checkpoint.count) is \(checkpoint.head), "
                                                + "the ledger says \(entries[checkpoint.count - 1].sha256): the ledger was rewritten")))
            }
            guard checkpoint.count >= covered else {
                return .failure(.invalid(.init(code: "checkpoint-order",
                                               message: "checkpoint line \(number) covers \(checkpoint.count) lines, fewer than the line before (\(covered))")))
            }
            covered = checkpoint.count
        }
        return .success((lines.count, covered))
    }
}
