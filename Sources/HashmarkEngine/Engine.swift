import HashmarkFingerprint
import HashmarkIndex
import HashmarkMedia
import HashmarkPrimitives
import HashmarkStore

/// The one matching call shared by `hashmark check`, the daemon and the evaluator.
///
/// Immutable: a corpus reload builds a new `Engine` around a new `CorpusIndex`.
public struct Engine: Sendable {
    public let index: CorpusIndex
    public let model: LoadedModel
    public let limits: EngineLimits

    public init(index: CorpusIndex, model: LoadedModel, limits: EngineLimits = .init()) {
        self.index = index
        self.model = model
        self.limits = limits
    }

    /// Reads and checks a file. `fileName` is what the report names (default: `path`).
    public func check(path: String, fileName: String? = nil) -> Verdict {
        let name = fileName ?? path
        do {
            let bytes = try MediaFile.read(path, maxBytes: limits.image.maxFileBytes)
            return check(bytes: bytes, fileName: name)
        } catch {
            return errorVerdict(EngineError(error), subject: Subject(
                fileName: name, size: FileSize.of(path) ?? 0, sha256: "", mediaType: MediaType.unknown.mimeType))
        }
    }

    /// Checks bytes already in memory.
    public func check(bytes: [UInt8], fileName: String) -> Verdict {
        let subject = Subject(fileName: fileName, size: bytes.count, sha256: SHA256.hex(bytes),
                              mediaType: MediaType.sniff(bytes, fileName: fileName).mimeType)
        do {
            let (content, pixels) = try Fingerprinter.analyseKeepingPixels(bytes, fileName: fileName, limits: limits)
            let matches: [WorkMatch] = switch content {
            case .image(let image): imageMatches(image, bytes: bytes, pixels: pixels)
            case .text(let text): textMatches(text)
            }
            return decide(matches, subject: subject)
        } catch {
            return errorVerdict(error, subject: subject)
        }
    }

    /// An `error` verdict for a file that could not be checked (also used by the daemon for files
    /// it refuses to open: symlinks, FIFOs, directories, timeouts).
    public func errorVerdict(_ error: EngineError, subject: Subject) -> Verdict {
        Verdict(kind: .error, score: 0, error: error, subject: subject, matches: [],
                corpusSnapshot: index.snapshot.id, model: model.identity)
    }

    func decide(_ matches: [WorkMatch], subject: Subject) -> Verdict {
        let sorted = matches.sorted {
            $0.isMatch != $1.isMatch ? $0.isMatch : ($0.score != $1.score ? $0.score > $1.score : $0.work.id < $1.work.id)
        }
        let score = sorted.first?.score ?? 0
        let kind: VerdictKind = sorted.contains(where: \.isMatch) ? .infringing : .clear
        return Verdict(kind: kind, score: score, error: nil, subject: subject, matches: sorted,
                       corpusSnapshot: index.snapshot.id, model: model.identity)
    }
}

import Glibc

enum FileSize {
    /// The size `lstat` reports, without opening the file.
    static func of(_ path: String) -> Int? {
        var info = stat()
        return lstat(path, &info) == 0 ? Int(info.st_size) : nil
    }
}
