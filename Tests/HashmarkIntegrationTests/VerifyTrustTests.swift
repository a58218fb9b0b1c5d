import Foundation
import HashmarkReport
import Testing

/// `hashmark verify` and `show` trust only the operator's key (never one beside the report), and
/// `verify --ledger` checks the signed checkpoints. No corpus needed: reports are signed in-process.
struct TrustWorld {
    let tmp: TempDir
    let operatorKey: KeyPair
    let operatorPub: String
    let forgerPub: String
    /// A report signed by the forger, with the forger's key beside it as hashmark.pub.pem.
    let forged: String
    /// Reports signed by the operator (with ledger and checkpoints), the operator's key beside them.
    let genuineDir: String
    let genuine: String
    /// A working directory whose var/keys/hashmark.pub.pem is the operator's key.
    let operatorCwd: URL
    /// No key is configured: an empty $HASHMARK_PUBKEY counts as unset.
    static let noEnvKey = ["HASHMARK_PUBKEY": ""]

    init() throws {
        tmp = try TempDir()
        operatorKey = try KeyPair.generate()
        operatorPub = try operatorKey.write(toDirectory: try Self.mkdir(tmp.path("operator"))).publicKey
        let forger = try KeyPair.generate()
        let forgedDir = try Self.mkdir(tmp.path("forged"))
        forgerPub = try forger.write(toDirectory: forgedDir).publicKey
        forged = try ReportWriter(directory: forgedDir, signingKey: forger.signingKey)
            .write(Self.report(id: "forged-report", verdict: .clear)).reportPath

        genuineDir = try Self.mkdir(tmp.path("genuine"))
        let writer = try ReportWriter(directory: genuineDir, signingKey: operatorKey.signingKey)
        genuine = try writer.write(Self.report(id: "genuine-1", verdict: .clear)).reportPath
        _ = try writer.write(Self.report(id: "genuine-2", verdict: .clear))
        _ = try writer.write(Self.report(id: "genuine-3", verdict: .clear))
        try writer.checkpoint()
        try FileManager.default.copyItem(atPath: operatorPub, toPath: genuineDir + "/" + KeyPair.publicKeyFileName)

        operatorCwd = tmp.url.appendingPathComponent("operator-cwd")
        try Self.mkdir(operatorCwd.appendingPathComponent("var/keys").path)
        try FileManager.default.copyItem(atPath: operatorPub, toPath: operatorCwd.appendingPathComponent(TrustedKey.defaultPath).path)
    }

    @discardableResult
    static func mkdir(_ path: String) throws -> String {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func report(id: String, verdict: VerdictReport.Verdict) -> VerdictReport {
        VerdictReport(
            reportId: id,
            subject: .init(fileName: "\(id).png", size: 1234, sha256: String(repeating: "ab", count: 32), mediaType: "image/png"),
            verdict: verdict, score: 0.1, error: nil, matches: [],
            decision: .init(rule: "test rule", thresholds: ["pdqMaxDistance": 31], modelId: "thresholds-v1",
                            modelSha256: String(repeating: "cd", count: 32)),
            engine: .init(name: "hashmark", version: "0.1.0"), corpus: .init(snapshot: "test"),
            createdAt: "2026-01-31T12:00:00Z", signer: .init(keyId: String(repeating: "0", count: 64)))
    }

    func run(_ args: [String], cwd: URL? = nil, env: [String: String] = TrustWorld.noEnvKey) throws -> CLI.Result {
        try CLI.run(args, cwd: cwd ?? tmp.url, env: env)
    }
}

@Suite(.serialized, .timeLimit(.minutes(15))) struct VerifyTrustTests {
    @Test func forgedReportWithItsOwnKeyBesideItIsNeverValid() throws {
        let w = try TrustWorld()
        // No key configured: the key beside the report is not used.
        var r = try w.run(["verify", w.forged])
        #expect(r.status == 2, "\(r.stdout)")
        #expect(r.stdout.contains("no-trusted-key") && !r.stdout.contains("valid —"))
        r = try w.run(["show", w.forged])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("signature: not checked") && !r.stdout.contains("VALID"))

        // The operator's key, given or configured: INVALID (exit 1).
        for (args, cwd, env) in [(["--pubkey", w.operatorPub], nil, TrustWorld.noEnvKey),
                                 ([], w.operatorCwd, TrustWorld.noEnvKey),
                                 ([], nil, ["HASHMARK_PUBKEY": w.operatorPub])] as [([String], URL?, [String: String])] {
            let v = try w.run(["verify", w.forged] + args, cwd: cwd, env: env)
            #expect(v.status == 1, "\(args) \(String(describing: cwd)): \(v.stdout)")
            #expect(v.stdout.contains("INVALID"))
            let s = try w.run(["show", w.forged] + args, cwd: cwd, env: env)
            #expect(s.status == 0)
            #expect(s.stdout.contains("signature: INVALID") && !s.stdout.contains("VALID ("), "\(s.stdout)")
        }
        // HTML too.
        let html = w.tmp.path("forged.html")
        r = try w.run(["show", w.forged, "--html", html, "--pubkey", w.operatorPub])
        #expect(r.status == 0, "\(r.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("class=\"sig sig-invalid\"") && !page.contains("class=\"sig sig-valid\""))
    }

    @Test func keyIdRefusesAnyOtherKey() throws {
        let w = try TrustWorld()
        let ourId = w.operatorKey.publicKey.keyId
        // Only the forger's key is around (beside the report): refused, exit 2.
        var r = try w.run(["verify", w.forged, "--key-id", ourId])
        #expect(r.status == 2 && r.stdout.contains("key-id-mismatch"), "\(r.stdout)")
        r = try w.run(["verify", w.forged, "--key-id", ourId, "--pubkey", w.forgerPub])
        #expect(r.status == 2 && r.stdout.contains("key-id-mismatch"), "\(r.stdout)")
        r = try w.run(["verify", w.genuine, "--key-id", ourId], env: ["HASHMARK_PUBKEY": w.forgerPub])
        #expect(r.status == 0, "the pinned key beside the genuine report is the operator's: \(r.stdout)")
        r = try w.run(["show", w.forged, "--key-id", ourId])
        #expect(r.status == 2 && r.stderr.contains("key-id-mismatch"), "\(r.stderr)")
        // With the operator's key configured, the pinned id finds it: the forgery is INVALID.
        r = try w.run(["verify", w.forged, "--key-id", ourId], cwd: w.operatorCwd)
        #expect(r.status == 1, "\(r.stdout)")
        r = try w.run(["verify", w.genuine, "--key-id", "zz"])
        #expect(r.status == 2 && r.stdout.contains("key-id-syntax"))
    }

    @Test func genuineReportsAndLedgerStillVerify() throws {
        let w = try TrustWorld()
        var r = try w.run(["verify", w.genuine, "--pubkey", w.operatorPub])
        #expect(r.status == 0 && r.stdout.contains("valid —"), "\(r.stdout)")
        r = try w.run(["verify", w.genuine], cwd: w.operatorCwd)
        #expect(r.status == 0, "\(r.stdout)")
        r = try w.run(["show", w.genuine, "--key-id", w.operatorKey.publicKey.keyId])
        #expect(r.status == 0 && r.stdout.contains("signature: VALID (key \(w.operatorKey.publicKey.keyId))"), "\(r.stdout)")
        r = try w.run(["verify", "--ledger", w.genuineDir, "--pubkey", w.operatorPub])
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stdout.contains("ledger valid (3 entries") && r.stdout.contains("3 checkpoints, the newest covering 3 entries"))
        r = try w.run(["verify", "--ledger", w.genuineDir])
        #expect(r.status == 0 && r.stdout.contains("signatures NOT checked"), "\(r.stdout)")
    }

    @Test func ledgerTruncatedBelowACheckpointOrABadCheckpointIsInvalid() throws {
        let w = try TrustWorld()
        let ledger = w.genuineDir + "/ledger.jsonl"
        let checkpoints = w.genuineDir + "/" + LedgerCheckpoint.fileName
        let lines = try String(contentsOfFile: ledger, encoding: .utf8).split(separator: "\n")
        // The last line gone, together with its report: the chain alone would still hold.
        try Data((lines.dropLast().joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: ledger))
        try FileManager.default.removeItem(atPath: w.genuineDir + "/genuine-3.json")
        try FileManager.default.removeItem(atPath: w.genuineDir + "/genuine-3.json.sig")
        var r = try w.run(["verify", "--ledger", w.genuineDir, "--pubkey", w.operatorPub])
        #expect(r.status == 1 && r.stdout.contains("ledger INVALID: ledger-truncated"), "\(r.stdout)")

        // A checkpoint whose signature was altered (ledger intact again: only the first two lines kept).
        var cps = try String(contentsOfFile: checkpoints, encoding: .utf8).split(separator: "\n").map(String.init)
        cps.removeLast()
        let parts = cps[1].split(separator: "\t").map(String.init)
        var signature = [UInt8](Data(base64Encoded: parts[1]) ?? Data())
        signature[0] ^= 0x80
        cps[1] = parts[0] + "\t" + Data(signature).base64EncodedString()
        try Data((cps.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: checkpoints))
        r = try w.run(["verify", "--ledger", w.genuineDir, "--pubkey", w.operatorPub])
        #expect(r.status == 1 && r.stdout.contains("ledger INVALID: checkpoint-signature"), "\(r.stdout)")
    }
}

@Suite(.timeLimit(.minutes(15))) struct ShowTerminalTests {
    /// A signed report whose strings carry a terminal escape and a bidi override: `show` prints
    /// them as visible escapes, never raw.
    @Test func showPrintsInvisibleCharactersAsEscapes() throws {
        let world = try TrustWorld()
        var report = TrustWorld.report(id: "odd-names", verdict: .error)
        report.score = nil
        report.subject.fileName = "invoice\u{202E}fdp.exe\u{1B}]0;owned\u{07}"
        report.error = .init(code: "corrupt-image", message: "bad \u{1B}[2J bytes")
        let dir = try TrustWorld.mkdir(world.tmp.path("odd"))
        let path = try ReportWriter(directory: dir, signingKey: world.operatorKey.signingKey).write(report).reportPath
        let result = try world.run(["show", path, "--pubkey", world.operatorPub])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0.value == 0x07 })
        #expect(result.stdout.contains("invoice\\u{202e}fdp.exe\\u{1b}]0;owned\\u{7}"), "\(result.stdout)")
        #expect(result.stdout.contains("bad \\u{1b}[2J bytes"))
        #expect(result.stdout.contains("VALID"))
    }
}
