import Foundation
import HashmarkDaemon
import HashmarkReport
import Synchronization

/// TEST DOUBLE of the engine (the real matcher is wired in by the coordinator): reads the
/// claimed file, computes an FNV-1a checksum and writes `reports/<id>.json` durably (temp file,
/// fsync, rename, directory fsync) — the same contract the real processor has.
///
/// Content conventions: empty → error `empty`; contains "INFRINGE" → infringing; starts with
/// "SLOW" → 150 ms cooperative wait first ("VERYSLOW": 1.5 s); starts with "SPIN" → CPU loop until
/// cancelled. A shared file's fence (`ClaimedFile.fence`) is asked before writing, as the real one does.
final class ChecksumTestProcessor: SpoolProcessor, Sendable {
    let reportsDir: String
    private struct State {
        var opened: [[UInt8]] = []
        var snapshot = 1
    }
    private let state = Mutex(State())
    /// Fired when an abandoned SPIN computation has returned.
    let spinEnded = AsyncStream<Void>.makeStream()

    init(spoolRoot: String) { reportsDir = spoolRoot + "/reports" }

    /// Names of the items whose content this processor read.
    var opened: [[UInt8]] { state.withLock { $0.opened } }

    func prepare() async throws -> IndexStatus { IndexStatus(entries: 3, snapshot: "test-1") }

    func reload() async throws -> IndexStatus {
        let n = state.withLock { $0.snapshot += 1; return $0.snapshot }
        return IndexStatus(entries: 3 + n, snapshot: "test-\(n)")
    }

    func process(_ item: ClaimedFile) async -> ProcessOutcome {
        guard let file = item.file else { return await reject(item, code: "no-file", message: "no file") }
        state.withLock { $0.opened.append(item.name.bytes) }
        let content = file.read(limit: 1 << 20)
        guard case .complete(let bytes) = content.bytes else {
            let failure = content.failure ?? (code: "read-failed", message: "incomplete")
            return await reject(item, code: failure.code, message: failure.message)
        }
        let text = String(decoding: bytes.prefix(16), as: UTF8.self)
        if text.hasPrefix("SLOW") { try? await Task.sleep(for: .milliseconds(150)) }
        if text.hasPrefix("VERYSLOW") { try? await Task.sleep(for: .milliseconds(1500)) }
        if text.hasPrefix("SPIN") {
            var x: UInt64 = 1
            while !Task.isCancelled { for i in 0..<10_000 { x = x &* 6364136223846793005 &+ UInt64(i) } }
            defer { spinEnded.continuation.yield() }
            guard item.permit.begin() else { return ProcessOutcome(verdict: .error, errorCode: "abandoned", reportID: nil, disposition: .retry) }
            return await fenced(item, verdict: .clear, extra: "\(x)")
        }
        let verdict: VerdictReport.Verdict = bytes.isEmpty ? .error
            : bytes.firstRange(of: Array("INFRINGE".utf8)) != nil ? .infringing : .clear
        guard item.permit.begin() else {
            return ProcessOutcome(verdict: .error, errorCode: "abandoned", reportID: nil, disposition: .retry)
        }
        return await fenced(item, verdict: verdict, code: bytes.isEmpty ? "empty" : nil, extra: String(Self.fnv(bytes), radix: 16))
    }

    func reject(_ item: ClaimedFile, code: String, message: String) async -> ProcessOutcome {
        await fenced(item, verdict: .error, code: code, extra: message)
    }

    /// Report id = FNV-1a of (inbox name, 0, verdict): same name → same report on a re-run.
    private static func reportID(_ item: ClaimedFile, _ described: String) -> String {
        String(format: "%016llx", Self.fnv(item.name.bytes + [0] + Array(described.utf8)))
    }

    /// `write` when the item's fence (if any) allows it.
    private func fenced(_ item: ClaimedFile, verdict: VerdictReport.Verdict, code: String? = nil, extra: String) async -> ProcessOutcome {
        let described = code.map { "error(\($0))" } ?? verdict.rawValue
        switch await item.fence?(Self.reportID(item, described)) ?? .write {
        case .write: return write(item, verdict: verdict, code: code, extra: extra)
        case .superseded: return ProcessOutcome(verdict: verdict, errorCode: code, reportID: nil, disposition: .superseded)
        case .unavailable(let problem): return ProcessOutcome(verdict: verdict, errorCode: code, reportID: nil, disposition: .retry, problem: problem)
        }
    }

    private func write(_ item: ClaimedFile, verdict: VerdictReport.Verdict, code: String? = nil, extra: String) -> ProcessOutcome {
        let described = code.map { "error(\($0))" } ?? verdict.rawValue
        let id = Self.reportID(item, described)
        let json = "{\"name\":\"\(item.name.display.replacingOccurrences(of: "\"", with: "\\\""))\","
            + "\"verdict\":\"\(described)\",\"detail\":\"\(extra)\",\"recovered\":\(item.recovered)}\n"
        let tmp = reportsDir + "/.\(id).tmp", final = reportsDir + "/\(id).json"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return ProcessOutcome(verdict: verdict, errorCode: code, reportID: nil, disposition: .retry) }
        let data = Array(json.utf8)
        let ok = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == data.count && fsync(fd) == 0
        close(fd)
        guard ok, rename(tmp, final) == 0 else { return ProcessOutcome(verdict: verdict, errorCode: code, reportID: nil, disposition: .retry) }
        let dir = open(reportsDir, O_RDONLY | O_DIRECTORY)
        fsync(dir)
        close(dir)
        let failed: Bool = if case .error = verdict { true } else { false }
        return ProcessOutcome(verdict: verdict, errorCode: code, reportID: id, disposition: failed ? .failed : .done)
    }

    static func fnv(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }
}
