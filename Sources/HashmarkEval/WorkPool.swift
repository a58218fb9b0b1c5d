import Foundation
import HashmarkEngine
import HashmarkMedia
import HashmarkTransforms

public enum Modality: String, Sendable, Codable, CaseIterable {
    case image, text, audio
}

/// A work the suite can register or hold out: a file and its metadata.
public struct PoolWork: Sendable, Hashable, Codable {
    public var id: String
    public var path: String
    public var modality: Modality
    public var title: String
    public var owner: String
    public var license: String
    /// Where the work comes from (a pool manifest's `source_package`): works of one source may
    /// share material (a soundtrack's variations of a theme), see `WorkSplit.make(bySource:)`.
    public var source: String?
    /// An image with transparent pixels (as `Ingest` counts them): it gets the `transparent`
    /// cases, pasted over other backgrounds.
    public var transparent: Bool

    public init(id: String, path: String, modality: Modality, title: String = "", owner: String = "",
                license: String = "", source: String? = nil, transparent: Bool = false) {
        self.id = id
        self.path = path
        self.modality = modality
        self.title = title
        self.owner = owner
        self.license = license
        self.source = source
        self.transparent = transparent
    }

    var metadata: Ingest.Metadata {
        Ingest.Metadata(id: id, title: title, owner: owner, license: license, source: path)
    }
}

public enum WorkPool {
    static let textExtensions: Set<String> = ["txt", "md", "html", "htm", "xml", "text"]
    static let audioExtensions: Set<String> = ["wav", "flac", "ogg", "oga", "opus", "mp3"]

    /// Reads a manifest: the bundled `Corpus/manifest.csv` (`path,id,title,owner,license`) or a
    /// pool's (`path,kind,…,licence,…,title,author`). Paths are relative to the manifest's folder;
    /// the modality comes from `kind`, else from the extension.
    public static func read(manifest path: String) throws(EvalError) -> [PoolWork] {
        let table: CSVTable
        do {
            table = try CSVTable.read(path: path, required: ["path"])
        } catch {
            throw EvalError(code: "pool-invalid", message: "\(path): \(error.message)")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var seen = Set<String>()
        var works: [PoolWork] = []
        for row in table.rows {
            guard let rel = row["path"], !rel.isEmpty else { continue }
            let file = rel.hasPrefix("/") ? rel : folder.appendingPathComponent(rel).path
            let ext = URL(fileURLWithPath: rel).pathExtension.lowercased()
            let modality: Modality = switch row["kind"]?.lowercased() {
            case "image": .image
            case "text": .text
            case "audio": .audio
            default: textExtensions.contains(ext) ? .text : audioExtensions.contains(ext) ? .audio : .image
            }
            let id = row["id"].flatMap { $0.isEmpty ? nil : $0 } ?? WorkID.defaultID(forPath: rel)
            guard seen.insert(id).inserted else { continue }
            works.append(PoolWork(id: id, path: file, modality: modality, title: row["title"] ?? "",
                                  owner: row["owner"] ?? row["author"] ?? "",
                                  license: row["license"] ?? row["licence"] ?? "",
                                  source: row["source_package"].flatMap { $0.isEmpty ? nil : $0 },
                                  transparent: modality == .image && isTransparent(file)))
        }
        return works
    }

    /// Whether an image file has transparent pixels as `Ingest` counts them.
    static func isTransparent(_ path: String) -> Bool {
        guard let bytes = try? MediaFile.read(path, maxBytes: 100 << 20) else { return false }
        return Ingest.isTransparent(bytes, fileName: path)
    }
}

extension WorkPool {
    /// Pairs of works that share material, from a CSV with columns `work,related` (more columns,
    /// such as the evidence, are kept for readers), as a symmetric map.
    public static func related(csv path: String) throws(EvalError) -> [String: Set<String>] {
        let table: CSVTable
        do {
            table = try CSVTable.read(path: path, required: ["work", "related"])
        } catch {
            throw EvalError(code: "pool-invalid", message: "\(path): \(error.message)")
        }
        var map: [String: Set<String>] = [:]
        for row in table.rows {
            guard let a = row["work"], let b = row["related"], !a.isEmpty, !b.isEmpty, a != b else { continue }
            map[a, default: []].insert(b)
            map[b, default: []].insert(a)
        }
        return map
    }
}

/// The seeded partition of a pool: registered works (in the corpus) and held-out distractors,
/// each split into train and test. The four sets are disjoint.
public struct WorkSplit: Sendable, Codable, Equatable {
    public var registeredTrain: [PoolWork]
    public var registeredTest: [PoolWork]
    public var distractorTrain: [PoolWork]
    public var distractorTest: [PoolWork]

    public var registered: [PoolWork] { registeredTrain + registeredTest }

    /// Per modality: works sorted by id, shuffled by `seed`; `registeredFraction` of them
    /// registered, the rest distractors; each half train, half test. `limit` keeps only that
    /// many works per modality (the seeded first ones) for quick runs.
    ///
    /// `bySource` (for `modalities`): whole sources are shuffled instead of works, so a source's
    /// works are all registered or all held out — a distractor then never shares a soundtrack
    /// (or a book, a photo series) with a registered work. Registered sources are taken until
    /// `registeredFraction` of the works is reached.
    public static func make(_ works: [PoolWork], seed: UInt64, registeredFraction: Double = 0.6,
                            limit: Int? = nil, bySource modalities: Set<Modality> = []) -> WorkSplit {
        var split = WorkSplit(registeredTrain: [], registeredTest: [], distractorTrain: [], distractorTest: [])
        for (m, modality) in Modality.allCases.enumerated() {
            var list = works.filter { $0.modality == modality }.sorted { $0.id < $1.id }
            var rng = SeededGenerator(seed: SeededGenerator.derive(seed, 0x5350_4C49_5400 + UInt64(m)))
            rng.shuffle(&list)
            if let limit { list = Array(list.prefix(limit)) }
            var nRegistered = Int((Double(list.count) * registeredFraction).rounded())
            if modalities.contains(modality) {
                var groups: [String: [PoolWork]] = [:]
                for w in list { groups[w.source ?? w.id, default: []].append(w) }
                var keys = groups.keys.sorted()
                rng.shuffle(&keys)
                var ordered: [PoolWork] = []
                var cut = 0
                for k in keys {
                    let group = groups[k] ?? []
                    if ordered.count < nRegistered { cut = ordered.count + group.count }  // whole sources
                    ordered += group
                }
                nRegistered = cut
                list = ordered
            }
            let registered = Array(list.prefix(nRegistered)), held = Array(list.dropFirst(nRegistered))
            let r = (registered.count + 1) / 2, d = (held.count + 1) / 2
            split.registeredTrain += registered.prefix(r)
            split.registeredTest += registered.dropFirst(r)
            split.distractorTrain += held.prefix(d)
            split.distractorTest += held.dropFirst(d)
        }
        return split
    }

    /// Removes the distractors related to a registered work (`SuiteOptions.related`); returns their ids.
    @discardableResult
    public mutating func dropDistractorsRelated(to related: [String: Set<String>]) -> [String] {
        guard !related.isEmpty else { return [] }
        let registered = Set(self.registered.map(\.id))
        let drop = { (w: PoolWork) in !(related[w.id] ?? []).isDisjoint(with: registered) }
        let dropped = (distractorTrain + distractorTest).filter(drop).map(\.id)
        distractorTrain.removeAll(where: drop)
        distractorTest.removeAll(where: drop)
        return dropped
    }
}
