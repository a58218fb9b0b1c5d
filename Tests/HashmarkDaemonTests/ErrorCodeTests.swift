import Foundation
import HashmarkDaemon
import HashmarkReport
import Testing

/// Every error code a report can carry: listed, kebab-case, and signable.
@Suite("Error codes")
struct ErrorCodeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Codes raised in the modules on the way to a report but never written into one (start-up,
    /// configuration and spool errors stop or log; `worker-*` start failures and `shutdown` leave
    /// the file in active/ for a retry; model errors stop a worker from starting).
    static let neverReported: Set<String> = [
        "config-read", "config-parse", "config-value", "config-type", "config-unknown-key",
        "spool-open", "spool-locked", "spool-create", "spool-stat", "spool-scan", "spool-name-taken",
        "spool-rename", "spool-fsync", "spool-remove", "inotify-init", "inotify-watch", "metrics-listen",
        "worker-spawn", "worker-sandbox", "worker-unavailable", "corpus-missing", "shutdown",
        "model-unreadable", "model-invalid", "not-rejected",
        // The shared inbox's own failures: logged, the file stays in the shared inbox.
        "shared-open", "shared-copy", "shared-scan",
        // `hashmark corpus add` (manifests, ingest), not the daemon.
        "store-error", "csv-invalid", "csv-unreadable", "element-not-image", "work-role-conflict",
        // The label of an error verdict read back from a report without an `error` (never written).
        "error",
    ]

    /// Quoted codes in the daemon, engine, media, document and text-fingerprint sources: arguments named
    /// `code` (also either side of a `?:`), `.posix("…")`, `static let x = "…"` and
    /// `case x = "…"` inside `enum Code { … }`, and the strings `rejectionCode` returns.
    static func codesInSources() throws -> Set<String> {
        var found = Set<String>()
        let folders = ["HashmarkDaemon", "HashmarkEngine", "HashmarkMedia", "HashmarkDocument", "HashmarkFingerprint/Text"]
        let patterns = [#"code:\s*"([^"\\]+)""#, #"\.posix\("([^"\\]+)""#, #"\(code:\s*"([^"\\]+)""#,
                        #"(?:last|failure)\s*[=:]\s*\(\s*"([^"\\]+)""#, #"code:[^,\n]*\?\s*"([^"\\]+)""#]
        let errorFilePatterns = [#"static let \w+ = "([^"\\]+)""#, #"case \w+ = "([^"\\]+)""#]
        for folder in folders {
            let url = root.appendingPathComponent("Sources/\(folder)")
            let files = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil)?
                .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
            for file in files where file.lastPathComponent != "ReportedErrorCodes.swift" {
                let text = try String(contentsOf: file, encoding: .utf8)
                var sections = [(text, patterns)]
                var rest = text[...]
                while let start = rest.range(of: "enum Code") {
                    let end = rest[start.upperBound...].range(of: "\n    }\n")?.lowerBound ?? rest.endIndex
                    sections.append((String(rest[start.lowerBound..<end]), errorFilePatterns))
                    rest = rest[end...]
                }
                for (section, sectionPatterns) in sections {
                    for pattern in sectionPatterns {
                        let regex = try NSRegularExpression(pattern: pattern)
                        for match in regex.matches(in: section, range: NSRange(section.startIndex..., in: section)) {
                            if let range = Range(match.range(at: 1), in: section) { found.insert(String(section[range])) }
                        }
                    }
                }
                if file.lastPathComponent == "SpoolEntry.swift", let body = text.range(of: "var rejectionCode") {
                    let tail = String(text[body.upperBound...].prefix(800))
                    let regex = try NSRegularExpression(pattern: #"return "([^"]+)""#)
                    for match in regex.matches(in: tail, range: NSRange(tail.startIndex..., in: tail)) {
                        if let range = Range(match.range(at: 1), in: tail) { found.insert(String(tail[range])) }
                    }
                }
            }
        }
        return found
    }

    @Test func everyCodeRaisedOnTheWayToAReportIsListed() throws {
        let found = try Self.codesInSources()
        #expect(found.count > 30, "the scan found \(found.count) codes: the patterns no longer match the sources?")
        let listed = Set(ReportedErrorCodes.all)
        let missing = found.subtracting(listed).subtracting(Self.neverReported)
        #expect(missing.isEmpty, "raised but not in ReportedErrorCodes: \(missing.sorted())")
        let stale = listed.subtracting(found)
        #expect(stale.isEmpty, "listed but raised nowhere: \(stale.sorted())")
    }

    @Test func everyCodeIsKebabCase() throws {
        for code in try Self.codesInSources().union(ReportedErrorCodes.all) {
            #expect(code.range(of: "^[a-z][a-z0-9-]*$", options: .regularExpression) != nil, "\(code)")
        }
    }

    @Test func aReportWithEveryListedCodeSignsAndVerifies() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hashmark-codes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/keys", withIntermediateDirectories: true)
        let keys = try KeyPair.generate()
        try keys.write(toDirectory: dir + "/keys")
        let writer = try ReportWriter(directory: dir + "/reports", signingKey: keys.signingKey)
        for (index, code) in ReportedErrorCodes.all.enumerated() {
            let report = VerdictReport(
                reportId: "code-\(index)",
                subject: .init(fileName: "f-\(code)", size: 1, sha256: String(repeating: "ab", count: 32),
                               mediaType: "application/octet-stream"),
                verdict: .error, score: nil, error: .init(code: code, message: "a \(code) error"), matches: [],
                decision: .init(rule: "r", thresholds: [:], modelId: "m", modelSha256: String(repeating: "cd", count: 32)),
                engine: .init(name: "hashmark", version: "test"), corpus: .init(snapshot: "v1-test"),
                createdAt: "2026-12-04T00:00:00Z", signer: .init(keyId: String(repeating: "0", count: 64)))
            let written = try writer.write(report)
            let result = ReportVerifier.verify(reportPath: written.reportPath, publicKey: keys.publicKey)
            guard case .valid(let parsed) = result else {
                Issue.record("\(code): \(result)")
                continue
            }
            #expect(parsed.error?.code == code)
        }
        #expect(ReportVerifier.verifyLedger(directory: dir + "/reports", publicKey: keys.publicKey).exitCode == 0)
    }
}
