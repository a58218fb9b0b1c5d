import Foundation
import HashmarkReport
import Testing

/// `LedgerEntry.read(path:from:)`: what the shared-ledger copy reads, only what is new each time.
@Suite("Ledger reading from an offset")
struct LedgerReadTests {
    static func entry(_ i: Int) -> LedgerEntry {
        let hex = String(repeating: String(i % 10), count: 64)
        return LedgerEntry(reportId: String(repeating: "a", count: 31) + String(i % 10), sha256: hex,
                           previous: String(repeating: "0", count: 64))
    }

    @Test func readsCompleteNewLinesAndRefusesAShrunkFile() throws {
        let path = try makeTempDirectory() + "/ledger.jsonl"
        #expect(try LedgerEntry.read(path: path, from: 0).entries.isEmpty)  // no file yet: nothing
        let lines = try (0..<3).map { try Self.entry($0).line() }
        try writeBytes(lines[0] + lines[1], path)
        let first = try LedgerEntry.read(path: path, from: 0)
        #expect(first.entries == [Self.entry(0), Self.entry(1)] && first.end == lines[0].count + lines[1].count)
        // A line being appended (no newline yet) is left for the next read.
        try writeBytes(lines[0] + lines[1] + lines[2].dropLast(), path)
        let partial = try LedgerEntry.read(path: path, from: first.end)
        #expect(partial.entries.isEmpty && partial.end == first.end)
        try writeBytes(lines[0] + lines[1] + lines[2], path)
        let next = try LedgerEntry.read(path: path, from: first.end)
        #expect(next.entries == [Self.entry(2)] && next.end == lines.map(\.count).reduce(0, +))
        // Shorter than what was read: refused, never re-read from the start.
        try writeBytes(lines[0], path)
        #expect(throws: ReportError.self) { try LedgerEntry.read(path: path, from: next.end) }
    }
}
