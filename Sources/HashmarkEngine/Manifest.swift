import Foundation
import HashmarkStore

/// A CSV file with a header row, read as dictionaries keyed by column name.
public struct CSVTable: Sendable {
    public let columns: [String]
    public let rows: [[String: String]]

    /// Reads `path`; `required` columns must all be present in the header.
    public static func read(path: String, required: [String]) throws(EngineError) -> CSVTable {
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else {
            throw EngineError(code: "csv-unreadable", message: "Cannot read \(path) as UTF-8 text.")
        }
        var lines = text.split(whereSeparator: \.isNewline).filter {
            !$0.trimmingCharacters(in: .whitespaces).isEmpty
        }.makeIterator()
        guard let header = lines.next() else {
            throw EngineError(code: "csv-invalid", message: "\(path) is empty.")
        }
        let columns = HashBankCSV.splitFields(header).map { $0.lowercased() }
        let missing = required.filter { !columns.contains($0) }
        guard missing.isEmpty else {
            throw EngineError(code: "csv-invalid",
                              message: "\(path) lacks the column(s) \(missing.joined(separator: ", ")).")
        }
        var rows: [[String: String]] = []
        while let line = lines.next() {
            let fields = HashBankCSV.splitFields(line)
            var row: [String: String] = [:]
            for (i, c) in columns.enumerated() where i < fields.count { row[c] = fields[i] }
            rows.append(row)
        }
        return CSVTable(columns: columns, rows: rows)
    }
}

/// A corpus manifest (`path,id,title,owner,license`; paths relative to the manifest's folder; an
/// optional `role` column: `work`, the default, or `ignore-element`).
public enum CorpusManifest {
    public struct Entry: Sendable {
        /// Absolute or manifest-relative path resolved against the manifest's folder.
        public var path: String
        public var metadata: Ingest.Metadata

        public init(path: String, metadata: Ingest.Metadata) {
            self.path = path
            self.metadata = metadata
        }
    }

    public static func read(path: String) throws(EngineError) -> [Entry] {
        let table = try CSVTable.read(path: path, required: ["path"])
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var entries: [Entry] = []
        for row in table.rows {
            guard let rel = row["path"], !rel.isEmpty else { continue }
            let file = rel.hasPrefix("/") ? rel : folder.appendingPathComponent(rel).path
            let id = row["id"].flatMap { $0.isEmpty ? nil : $0 } ?? WorkID.defaultID(forPath: rel)
            let roleName = row["role"].flatMap { $0.isEmpty ? nil : $0 } ?? WorkRole.work.rawValue
            guard let role = WorkRole(rawValue: roleName) else {
                throw EngineError(code: "csv-invalid", message: "\(path): \(rel) has the role '\(roleName)'; "
                                  + "roles are \(WorkRole.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            entries.append(Entry(path: file, metadata: Ingest.Metadata(
                id: id, title: row["title"] ?? "", owner: row["owner"] ?? "", license: row["license"] ?? "",
                source: row["source_package"] ?? row["source"] ?? "", role: role)))
        }
        return entries
    }
}

public enum WorkID {
    /// The default work id: the file name without its extension.
    public static func defaultID(forPath path: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    }
}
