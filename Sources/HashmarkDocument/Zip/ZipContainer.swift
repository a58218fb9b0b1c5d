import Foundation
import ZIPFoundation

/// An in-memory ZIP archive read under `DocumentLimits`: entry count, per-entry and total
/// uncompressed bytes (counted while inflating), and compression ratio.
///
/// Entry names are lookup keys only, never file paths; names with `..` segments, a leading
/// `/`, a backslash or a drive letter are left out of the lookup table.
struct ZipContainer {
    private let archive: Archive
    private let limits: DocumentLimits
    private let archiveSize: Int
    /// Safe entry names, first occurrence wins.
    private var entries: [String: Entry] = [:]
    /// Safe file entry names in archive order.
    private(set) var names: [String] = []
    /// Uncompressed bytes read so far, all entries.
    private var totalRead = 0

    /// Ratios are only checked above this size: small entries (repetitive XML) compress well.
    static let ratioFloor = 1 << 20

    init(_ bytes: [UInt8], limits: DocumentLimits) throws(DocumentError) {
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read, pathEncoding: nil)
        } catch {
            throw DocumentError(.invalid, "not a ZIP archive (\(error))")
        }
        self.limits = limits
        self.archiveSize = bytes.count
        var count = 0
        for entry in archive {
            count += 1
            guard count <= limits.maxEntries else {
                throw DocumentError(.tooLarge, "more than \(limits.maxEntries) ZIP entries")
            }
            let name = entry.path
            guard entry.type == .file, Self.isSafe(name), entries[name] == nil else { continue }
            entries[name] = entry
            names.append(name)
        }
    }

    /// False for names that would escape a directory if anyone used them as paths.
    static func isSafe(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\\"), !name.contains("\0") else { return false }
        if name.count > 1, name.dropFirst().first == ":" { return false }
        return !name.split(separator: "/", omittingEmptySubsequences: false).contains("..")
    }

    func contains(_ name: String) -> Bool { entries[name] != nil }

    /// The uncompressed bytes of `name`, nil if there is no such (safe) entry.
    mutating func read(_ name: String) throws(DocumentError) -> [UInt8]? {
        guard let entry = entries[name] else { return nil }
        let packed = max(1, min(Int(clamping: entry.compressedSize), archiveSize))
        let declared = Int(clamping: entry.uncompressedSize)
        guard declared <= limits.maxEntryBytes else {
            throw DocumentError(.tooLarge, "\(name): declares \(declared) bytes, over \(limits.maxEntryBytes)")
        }
        guard declared <= Self.ratioFloor || declared / packed <= limits.maxCompressionRatio else {
            throw DocumentError(.tooLarge, "\(name): declared compression ratio over \(limits.maxCompressionRatio)")
        }
        var out: [UInt8] = []
        var overLimit: DocumentError?
        let limits = self.limits, before = totalRead
        do {
            _ = try archive.extract(entry, consumer: { chunk in
                if out.count + chunk.count > limits.maxEntryBytes {
                    overLimit = DocumentError(.tooLarge, "\(name): more than \(limits.maxEntryBytes) bytes uncompressed")
                } else if before + out.count + chunk.count > limits.maxTotalBytes {
                    overLimit = DocumentError(.tooLarge, "archive: more than \(limits.maxTotalBytes) bytes uncompressed in all")
                } else if out.count + chunk.count > Self.ratioFloor,
                          (out.count + chunk.count) / packed > limits.maxCompressionRatio {
                    overLimit = DocumentError(.tooLarge, "\(name): compression ratio over \(limits.maxCompressionRatio)")
                }
                if overLimit != nil { throw Archive.ArchiveError.cancelledOperation }
                out.append(contentsOf: chunk)
            })
        } catch {
            if let overLimit { throw overLimit }
            throw DocumentError(.invalid, "\(name): cannot be read from the ZIP archive (\(error))")
        }
        totalRead += out.count
        return out
    }

    /// `read`, with a missing entry as `.invalid`.
    mutating func require(_ name: String) throws(DocumentError) -> [UInt8] {
        guard let bytes = try read(name) else { throw DocumentError(.invalid, "missing required part \(name)") }
        return bytes
    }

    /// `require` then parse as XML under the depth limit.
    mutating func xml(_ name: String) throws(DocumentError) -> XMLElement {
        try XMLReader.parse(try require(name), entry: name, maxDepth: limits.maxXMLDepth)
    }
}
