import Foundation
import HashmarkReport
import Synchronization

/// `--end-to-end`: the same cases once more through a real `hashmark watch` process on a
/// temporary spool — files renamed into its inbox, signed reports read back, signatures and the
/// ledger verified with the daemon's public key — and each report's verdict compared with the
/// in-process outcome of the same case.
public struct EndToEndSummary: Sendable, Codable, Equatable {
    public var cases: Int
    /// Reports found in reports/ whose signature verified.
    public var verifiedReports: Int
    /// Cases without a (valid) report.
    public var missing: Int
    public var ledgerValid: Bool
    /// Cases whose report gives the same verdict and the same detection as in process.
    public var agreeing: Int
    /// Up to 20 cases that disagree, with both verdicts.
    public var disagreements: [String]
    /// First rename into the inbox → last original out of active/.
    public var seconds: Double
    public var filesPerSecond: Double

    var failures: [String] {
        var out: [String] = []
        if missing > 0 { out.append("end-to-end: \(missing) of \(cases) cases without a verified report") }
        if !ledgerValid { out.append("end-to-end: the daemon's ledger does not verify") }
        if agreeing < cases - missing {
            out.append("end-to-end: \(cases - missing - agreeing) reports disagree with the in-process verdict")
        }
        return out
    }
}

/// A spool and key for one end-to-end run; cases are staged in `inbox/.tmp/` (which the daemon
/// ignores) while the in-process run produces them, then released together.
final class EndToEndRun: Sendable {
    let root: URL
    private struct Staging {
        /// Inbox name -> the in-process outcome (nil until recorded).
        var staged: [String: CaseOutcome?] = [:]
        /// Case id -> inbox name.
        var nameOf: [String: String] = [:]
    }
    private let state = Mutex(Staging())

    init(root: URL) throws(EvalError) {
        self.root = root
        do {
            try FileManager.default.createDirectory(at: root.appendingPathComponent("inbox/.tmp"),
                                                    withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: root.appendingPathComponent("keys"), withIntermediateDirectories: true)
            try KeyPair.generate().write(toDirectory: root.appendingPathComponent("keys").path)
        } catch {
            throw EvalError(code: "end-to-end-failed", message: "cannot prepare a spool in \(root.path)", underlying: error)
        }
    }

    /// Writes a case's bytes under a unique inbox name (before the daemon starts).
    func stage(_ plan: CasePlan, bytes: [UInt8]) {
        let name = uniqueName(plan)
        let path = root.appendingPathComponent("inbox/.tmp/" + name)
        FileManager.default.createFile(atPath: path.path, contents: Data(bytes))
    }

    /// Records the in-process outcome to compare with.
    func record(_ outcome: CaseOutcome) {
        state.withLock { state in
            if let name = state.nameOf[outcome.id] { state.staged[name] = outcome }
        }
    }

    private func uniqueName(_ plan: CasePlan) -> String {
        state.withLock { state in
            var name = Materialiser.fileName(plan)
            var n = 1
            while state.staged[name] != nil {
                n += 1
                name = "\(n)-" + Materialiser.fileName(plan)
            }
            state.staged[name] = .some(nil)
            state.nameOf[plan.id] = name
            return name
        }
    }

    /// Starts `binary watch` on the spool, releases every staged case into the inbox, waits until
    /// all originals left active/ (or `timeout`), stops the daemon and compares its reports.
    func run(binary: String, database: String, model: String?, timeout: Duration) throws(EvalError) -> EndToEndSummary {
        let names = state.withLock { Array($0.staged.keys) }
        if names.isEmpty {
            return EndToEndSummary(cases: 0, verifiedReports: 0, missing: 0, ledgerValid: true, agreeing: 0,
                                   disagreements: [], seconds: 0, filesPerSecond: 0)
        }
        let spool = root.path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["watch", "--spool", spool, "--db", database, "--key", spool + "/keys/" + KeyPair.privateKeyFileName]
        var environment = ProcessInfo.processInfo.environment
        if let model { environment["HASHMARK_MODEL"] = model }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw EvalError(code: "end-to-end-failed", message: "cannot start \(binary) watch", underlying: error)
        }
        defer {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
        let clock = ContinuousClock()
        let start = clock.now
        for name in names {
            _ = rename(spool + "/inbox/.tmp/" + name, spool + "/inbox/" + name)
        }
        var finished = 0
        while finished < names.count && clock.now - start < timeout && process.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
            finished = count(spool + "/done") + count(spool + "/failed")
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        process.terminate()
        process.waitUntilExit()
        return compare(names: names, seconds: seconds)
    }

    private func count(_ folder: String) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).count { !$0.hasPrefix(".") }
    }

    private func compare(names: [String], seconds: Double) -> EndToEndSummary {
        let reports = root.appendingPathComponent("reports").path
        let publicKey = try? PublicKey.load(pemPath: root.path + "/keys/" + KeyPair.publicKeyFileName)
        var byName: [String: VerdictReport] = [:]
        for file in (try? FileManager.default.contentsOfDirectory(atPath: reports)) ?? [] where file.hasSuffix(".json") {
            guard let publicKey,
                  case .valid(let report) = ReportVerifier.verify(reportPath: reports + "/" + file, publicKey: publicKey)
            else { continue }
            byName[report.subject.fileName] = report
        }
        var ledgerValid = false
        if let publicKey, case .valid = ReportVerifier.verifyLedger(directory: reports, publicKey: publicKey) {
            ledgerValid = true
        }
        let expected = state.withLock { $0.staged }
        var missing = 0, agreeing = 0
        var disagreements: [String] = []
        for name in names.sorted() {
            guard let report = byName[name] else { missing += 1; continue }
            guard let outcome = expected[name] ?? nil else { continue }
            let matched = report.decisiveMatches.map(\.work.id)
            let detected = if outcome.label == .positive, let work = outcome.expectedWork, !work.isEmpty {
                matched.contains(work)
            } else {
                !matched.isEmpty
            }
            if report.verdict.rawValue == outcome.verdict && detected == outcome.detected {
                agreeing += 1
            } else if disagreements.count < 20 {
                disagreements.append("\(outcome.id): in process \(outcome.verdict), daemon \(report.verdict.rawValue)")
            }
        }
        return EndToEndSummary(cases: names.count, verifiedReports: byName.count, missing: missing,
                               ledgerValid: ledgerValid, agreeing: agreeing, disagreements: disagreements,
                               seconds: seconds, filesPerSecond: seconds > 0 ? Double(names.count) / seconds : 0)
    }
}
