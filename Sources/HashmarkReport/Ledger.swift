import Foundation

/// One line of `ledger.jsonl`: `{"previous":…,"reportId":…,"sha256":…}` in canonical JSON.
/// `sha256` hashes the exact bytes of `<reportId>.json`; `previous` is the `sha256` of the line
/// before (64 zeros on the first line), so removing, reordering or altering a report breaks the chain.
public struct LedgerEntry: Sendable, Equatable {
    public static let fileName = "ledger.jsonl"

    public var reportId: String
    public var sha256: String
    public var previous: String

    public init(reportId: String, sha256: String, previous: String) {
        self.reportId = reportId; self.sha256 = sha256; self.previous = previous
    }

    /// The canonical line including its trailing newline.
    public func line() throws -> [UInt8] {
        let value = JSONValue.object(["reportId": .string(reportId), "sha256": .string(sha256),
                                      "previous": .string(previous)])
        return try value.canonicalBytes() + [UInt8(ascii: "\n")]
    }

    /// Parses one line (without its newline); it must be canonical and follow the line schema.
    public init(line: ArraySlice<UInt8>, number: Int) throws {
        let bytes = Array(line)
        let value: JSONValue
        do { value = try JSONValue.parse(bytes) } catch {
            throw ReportError(.ledger, "line \(number): not JSON", underlying: error)
        }
        guard try value.canonicalBytes() == bytes else {
            throw ReportError(.ledger, "line \(number): not in canonical form")
        }
        let o = try Obj(value, "line \(number)")
        try o.keys(required: ["reportId", "sha256", "previous"])
        reportId = try o.string("reportId")
        guard ReportID.isValid(reportId) else { throw o.fail("reportId", "is not a valid report id") }
        sha256 = try o.hash("sha256")
        previous = try o.hash("previous")
    }

    /// The complete lines of the ledger file at `path` from byte `offset` on (a line boundary: 0,
    /// or an `end` this returned before), and where they end. A final line without its newline
    /// (an append in progress or cut short) is left for the next read. A missing file has none.
    public static func read(path: String, from offset: Int) throws -> (entries: [LedgerEntry], end: Int) {
        guard let file = FileHandle(forReadingAtPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw ReportError(.ledger, "cannot read \(path)") }
            return ([], 0)
        }
        defer { try? file.close() }
        let size: UInt64
        let data: Data
        do {
            size = try file.seekToEnd()
            guard UInt64(offset) <= size else {
                throw ReportError(.ledgerShrank, "\(path) is \(size) bytes, shorter than the \(offset) already read")
            }
            try file.seek(toOffset: UInt64(offset))  // only what is new: a long ledger is not re-read
            data = try file.readToEnd() ?? Data()
        } catch let error as ReportError {
            throw error
        } catch {
            throw ReportError(.ledger, "cannot read \(path)", underlying: error)
        }
        let (entries, complete) = try parse(Array(data))
        return (entries, offset + complete)
    }

    /// Parses the complete lines of a ledger; `completeLength` is where a final line without
    /// its newline (an append interrupted by a crash) starts, or `bytes.count`. `firstLine`
    /// numbers the lines in messages when `bytes` is a ledger's tail.
    static func parse(_ bytes: [UInt8], firstLine: Int = 1) throws -> (entries: [LedgerEntry], completeLength: Int) {
        var entries: [LedgerEntry] = []
        var start = 0
        var number = firstLine
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            entries.append(try LedgerEntry(line: bytes[start..<newline], number: number))
            start = newline + 1
            number += 1
        }
        return (entries, start)
    }
}
