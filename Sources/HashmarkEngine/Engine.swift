import HashmarkDocument
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
    /// The paraphrase matcher's corpus side; nil without a semantic model (or with the model's
    /// `paraphrase.enabled` false), when only verbatim and edited copies are found in texts.
    public let semantic: SemanticCorpus?
    /// Reads PDF, EPUB, DOCX and ODT submissions (`readsPDF` false in the daemon's sandboxed
    /// workers, which get PDFs already extracted).
    public var documents: DocumentReader
    /// The learned image descriptor (`DescriptorModel.load()`), the image cascade's third matcher;
    /// nil: images are matched by PDQ and keypoints only.
    public var descriptor: DescriptorModel?
    /// The paraphrase search's oracle: every text work verified in full by the transformer, no
    /// first stage, no gate (slow: for measuring the first stage's recall, never for serving).
    @_spi(Testing) public var exhaustiveParaphraseSearch = false

    /// `semantic`: the sentence-embedding models (`SemanticModel.load()`); the engine indexes
    /// `index`'s texts with them here (~0.1 s for the bundled corpus).
    public init(index: CorpusIndex, model: LoadedModel, limits: EngineLimits = .init(), semantic: SemanticModel? = nil) {
        self.index = index
        self.model = model
        self.limits = limits
        self.documents = DocumentReader(for: limits)
        self.semantic = semantic.flatMap { model.model.paraphrase.enabled
            ? SemanticCorpus(index: index, model: $0, windowSentences: model.model.paraphrase.windowSentences) : nil }
    }

    /// An engine over the same corpus and semantic index with another decision model (the
    /// evaluator's fits): the semantic index is reused when the window size is unchanged.
    public func with(model other: LoadedModel) -> Engine {
        var engine = Engine(index: index, model: other, limits: limits, reusing: semantic)
        engine.documents = documents
        engine.descriptor = descriptor
        return engine
    }

    private init(index: CorpusIndex, model: LoadedModel, limits: EngineLimits, reusing semantic: SemanticCorpus?) {
        self.index = index
        self.model = model
        self.limits = limits
        self.documents = DocumentReader(for: limits)
        if let semantic, model.model.paraphrase.enabled {
            self.semantic = semantic.windowSentences == max(1, model.model.paraphrase.windowSentences) ? semantic
                : SemanticCorpus(index: index, model: semantic.model, windowSentences: model.model.paraphrase.windowSentences)
        } else {
            self.semantic = nil
        }
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
        var subject = VerdictReport.Subject(fileName: fileName, size: bytes.count, sha256: SHA256.hex(bytes),
                                            mediaType: type.mimeType)
        if let stale = index.stale { return errorVerdict(stale, subject: subject) }
        if let format = DocumentReader.format(of: type), !bytes.isEmpty, bytes.count <= limits.image.maxFileBytes {
            return checkDocument(bytes, format: format, subject: subject)
        }
        do {
            let matches: [VerdictReport.Match]
            switch try Fingerprinter.analyseKeepingPixels(bytes, type: type, limits: limits,
                                                          audioQuery: model.model.audio.query) {
            case .image(let image, let decoded): matches = imageMatches(image, decoded: decoded)
            case .text(let text): matches = textAndParaphraseMatches(text)
            case .audio(let audio, _):
                subject.audio = AudioInfo(durationSeconds: audio.durationSeconds, sampleRate: audio.sampleRate,
                                          channels: audio.channels)
                matches = audioMatches(audio)
            }
            return VerdictReport(subject: subject, matches: matches, model: model, snapshot: index.snapshot.id)
        } catch {
            return errorVerdict(error, subject: subject)
        }
    }

    /// The passage aligner's matches, then the paraphrase matcher's for the works it did not match.
    func textAndParaphraseMatches(_ text: TextContent) -> [VerdictReport.Match] {
        let verbatim = textMatches(text)
        let matched = Set(verbatim.filter { $0.isMatch == true }.map(\.work.id))
        return verbatim + paraphraseMatches(text, skipping: matched)
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
