import Foundation

/// A signed statement "the ledger had `count` lines and line `count` is the report `head`", kept
/// one per line in `checkpoints.tsv` beside `ledger.jsonl`:
///
///     {"count":3,"format":"hashmark.checkpoint/1","head":"<64 hex>","keyId":"<64 hex>","time":"2026-01-31T12:00:00Z"}<TAB><base64>
///
/// The part before the tab is canonical JSON (it never contains a tab: canonical JSON escapes it);
/// the part after it is the base64 of a raw 64-byte Ed25519 signature over exactly those JSON bytes
/// (no newline), made with the key that signs the reports (`keyId`). A checkpoint is not a
/// `hashmark.verdict` report, so its signature can never pass for a report's, nor the reverse.
///
/// Why an append-only log and not one file replaced atomically: a single "latest checkpoint" file
/// can be rolled back together with the ledger by whoever can write the folder, and it only tells an
/// auditor about the present. Every line of the log stays true forever — the ledger only grows —
/// so an auditor who copied the log (or any one line of it) earlier can detect a later truncation
/// or rewrite of the ledger's tail: a checkpoint with count N and head H must still match line N.
/// Appending one short line per group commit costs the same as replacing a file, without the
/// extra rename and directory fsync.
public struct LedgerCheckpoint: Sendable, Equatable {
    public static let fileName = "checkpoints.tsv"
    public static let format = "hashmark.checkpoint/1"

    /// Number of ledger lines covered (at least 1).
    public var count: Int
    /// `sha256` of ledger line `count`: the chain head at that point.
    public var head: String
    /// Id of the key that signed this checkpoint (SHA-256 of its public key DER).
    public var keyId: String
    /// When the checkpoint was made, RFC 3339 UTC with whole seconds.
    public var time: String

    public init(count: Int, head: String, keyId: String, time: String) {
        self.count = count; self.head = head; self.keyId = keyId; self.time = time
    }

    /// The signed bytes: canonical JSON, no newline.
    public func message() throws -> [UInt8] {
        try JSONValue.object(["count": .int(Int64(count)), "format": .string(Self.format), "head": .string(head),
                              "keyId": .string(keyId), "time": .string(time)]).canonicalBytes()
    }

    /// The whole line for `checkpoints.tsv`, signed with `key`, including its newline.
    public func line(signedBy key: SigningKey) throws -> [UInt8] {
        let message = try message()
        let signature = Data(try key.sign(message)).base64EncodedString()
        return message + [UInt8(ascii: "\t")] + Array(signature.utf8) + [UInt8(ascii: "\n")]
    }

    /// One parsed line: the checkpoint, the exact bytes that were signed and the signature.
    public struct Signed: Sendable, Equatable {
        public let checkpoint: LedgerCheckpoint
        public let message: [UInt8]
        public let signature: [UInt8]

        /// True when `signature` is `publicKey`'s over `message` and `keyId` names that key.
        public func verifies(with publicKey: PublicKey) -> Bool {
            checkpoint.keyId == publicKey.keyId && publicKey.verify(signature: signature, message: message)
        }
    }

    /// Parses one line (without its newline) strictly: canonical JSON following the schema above,
    /// one tab, canonical base64 of 64 bytes. Throws `checkpoint-format`.
    public static func parse(line: ArraySlice<UInt8>, number: Int) throws -> Signed {
        func fail(_ why: String, _ cause: (any Error & Sendable)? = nil) -> ReportError {
            ReportError(.checkpointFormat, "checkpoint line \(number): \(why)", underlying: cause)
        }
        guard let tab = line.firstIndex(of: UInt8(ascii: "\t")) else { throw fail("no tab before the signature") }
        let message = Array(line[..<tab])
        let encoded = String(decoding: line[(tab + 1)...], as: UTF8.self)
        guard let data = Data(base64Encoded: encoded), data.count == 64, data.base64EncodedString() == encoded else {
            throw fail("the signature is not the base64 of 64 bytes")
        }
        let checkpoint: LedgerCheckpoint
        do {
            let value = try JSONValue.parse(message)
            guard try value.canonicalBytes() == message else { throw fail("not in canonical JSON form") }
            let o = try Obj(value, "checkpoint")
            try o.keys(required: ["count", "format", "head", "keyId", "time"])
            guard try o.string("format") == format else { throw o.fail("format", "expected \(format)") }
            checkpoint = LedgerCheckpoint(count: try o.int("count", 1...Int.max), head: try o.hash("head"),
                                          keyId: try o.hash("keyId"), time: try o.string("time"))
            guard RFC3339.isValid(checkpoint.time) else { throw o.fail("time", "is not an RFC 3339 UTC time") }
        } catch let error as ReportError where error.code == .checkpointFormat {
            throw error
        } catch {
            throw fail("\(error)", error as? ReportError)
        }
        return Signed(checkpoint: checkpoint, message: message, signature: Array(data))
    }

    /// Parses every complete line of `checkpoints.tsv`; `completeLength` is where a final line
    /// without its newline (an append cut short by a crash) starts, or `bytes.count`.
    public static func parseAll(_ bytes: [UInt8]) throws -> (lines: [Signed], completeLength: Int) {
        var lines: [Signed] = []
        var start = 0
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(try parse(line: bytes[start..<newline], number: lines.count + 1))
            start = newline + 1
        }
        return (lines, start)
    }
}
