import HashmarkFingerprint
import HashmarkIndex
import HashmarkMedia
import HashmarkPrimitives
import HashmarkReport
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
    public func check(path: String, fileName: String? = nil) -> VerdictReport {
        let name = fileName ?? path
        do {
            let bytes = try MediaFile.read(path, maxBytes: limits.image.maxFileBytes)
            return check(bytes: bytes, fileName: name)
        } catch {
            // A stale corpus is what the caller must fix first, whatever the file.
            return errorVerdict(index.stale ?? EngineError(error), subject: VerdictReport.Subject(
                fileName: name, size: FileSize.of(path) ?? 0, sha256: "", mediaType: MediaType.unknown.mimeType))
        }
    }

    /// Checks bytes already in memory. A stale corpus (`CorpusIndex.stale`) gives every file a
    /// `corpus-stale` error verdict: matching against rows it cannot read would say "clear".
    public func check(bytes: [UInt8], fileName: String) -> VerdictReport {
        let type = MediaType.sniff(bytes, fileName: fileName)
        let subject = VerdictReport.Subject(fileName: fileName, size: bytes.count, sha256: SHA256.hex(bytes),
                                            mediaType: type.mimeType)
        if let stale = index.stale { return errorVerdict(stale, subject: subject) }
        do {
            let matches: [VerdictReport.Match] = switch try Fingerprinter.analyseKeepingPixels(bytes, type: type, limits: limits) {
            case .image(let image, let decoded): imageMatches(image, decoded: decoded)
            case .text(let text): textMatches(text)
            }
            return VerdictReport(subject: subject, matches: matches, model: model, snapshot: index.snapshot.id)
        } catch {
            return errorVerdict(error, subject: subject)
        }
    }

    /// An `error` verdict for a file that could not be checked, citing this engine's corpus
    /// snapshot and model.
    public func errorVerdict(_ error: EngineError, subject: VerdictReport.Subject) -> VerdictReport {
        .error(error, subject: subject, corpusSnapshot: index.snapshot.id, model: model)
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
