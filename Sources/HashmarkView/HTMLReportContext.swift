import HashmarkDocument
import HashmarkEngine
import HashmarkFingerprint
import HashmarkMedia
import HashmarkPrimitives
import HashmarkReport
import HashmarkStore

extension HTMLReport {
    /// What the page can show beyond the report itself: the submitted file and the corpus works.
    /// Everything is optional; what is missing is said on the page (`notes`), never guessed.
    public struct Context: Sendable {
        /// Preview of the submitted image (regions in the report are in its original pixels).
        public var submittedImage: WorkThumbnail?
        /// The submitted text as the engine read it (report offsets are UTF-8 offsets into it).
        public var submittedText: String?
        /// A submitted document's embedded images, by where they are in it (image matches'
        /// `location`).
        public var submittedImages: [DocumentLocation: WorkThumbnail] = [:]
        /// The caption under the submitted image ("Submitted file" unless set).
        var submittedCaption = "Submitted file"
        /// Corpus thumbnails by work id.
        public var workThumbnails: [String: WorkThumbnail]
        /// Full corpus texts by work id.
        public var workTexts: [String: String]
        /// The submitted recording's spectrogram (`AudioPreview`), and its duration.
        public var submittedAudio: (preview: WorkThumbnail, seconds: Double)?
        /// Corpus recordings' stored spectrograms by work id (durations come from the evidence);
        /// a work stored without one is drawn as its landmark density over time.
        public var workAudio: [String: WorkThumbnail] = [:]
        public var workAudioOutlines: [String: AudioOutline] = [:]
        /// Why something is not shown (no database, file does not match the subject, …).
        public var notes: [String]

        public init(submittedImage: WorkThumbnail? = nil, submittedText: String? = nil,
                    workThumbnails: [String: WorkThumbnail] = [:], workTexts: [String: String] = [:],
                    notes: [String] = []) {
            self.submittedImage = submittedImage
            self.submittedText = submittedText
            self.workThumbnails = workThumbnails
            self.workTexts = workTexts
            self.notes = notes
        }

        /// Gathers what `report` refers to from the corpus `store` and the `submittedFile`.
        /// The file is used only if its SHA-256 is the report subject's; a work whose stored
        /// file differs from the report's snapshot still shows (the page says which snapshot).
        public static func load(for report: VerdictReport, store: CorpusStore?, submittedFile: String?,
                                limits: EngineLimits = .init()) -> Context {
            var c = Context()
            let needsImage = report.matches.contains { $0.modality == .image }
            let needsText = report.matches.contains { $0.modality == .text }
            let needsAudio = report.matches.contains { $0.modality == .audio }
            if let submittedFile {
                c.loadSubmitted(submittedFile, report: report, image: needsImage, text: needsText, audio: needsAudio, limits: limits)
            }
            if let store {
                for m in report.matches {
                    let id = m.work.id
                    do {
                        switch m.modality {
                        case .image:
                            guard c.workThumbnails[id] == nil else { continue }
                            if let t = try store.thumbnail(of: id) { c.workThumbnails[id] = t }
                            else { c.notes.append("The corpus database has no thumbnail of work \(id).") }
                        case .text:
                            guard c.workTexts[id] == nil else { continue }
                            if let t = try store.text(of: id) { c.workTexts[id] = t }
                            else { c.notes.append("The corpus database has no text of work \(id).") }
                        case .audio:
                            guard c.workAudio[id] == nil, c.workAudioOutlines[id] == nil else { continue }
                            if let t = try store.thumbnail(of: id) { c.workAudio[id] = t; continue }
                            let stored = try store.fingerprints(of: id).first { $0.algorithm == FingerprintAlgorithm.audioLandmarks.id }
                            if let f = stored.flatMap({ AudioLandmarkCodec.decode($0.data) }) { c.workAudioOutlines[id] = .density(of: f) }
                            else { c.notes.append("The corpus database has no audio landmarks of work \(id).") }
                        }
                    } catch {
                        c.notes.append("Cannot read work \(id) from the corpus database: \(error.description)")
                    }
                }
            } else if !report.matches.isEmpty {
                c.notes.append("No corpus database given (--db): corpus works are shown by their report excerpts only.")
            }
            if submittedFile == nil, !report.matches.isEmpty {
                c.notes.append("No submitted file given (--file): the submission is shown by its report excerpts only.")
            }
            return c
        }

        private mutating func loadSubmitted(_ path: String, report: VerdictReport, image: Bool, text: Bool, audio: Bool,
                                            limits: EngineLimits) {
            let bytes: [UInt8]
            do {
                bytes = try MediaFile.read(path, maxBytes: limits.image.maxFileBytes)
            } catch {
                notes.append("Cannot read the submitted file: \(error.code): \(error.message)")
                return
            }
            let sha = SHA256.hex(bytes)
            guard sha == report.subject.sha256 else {
                notes.append("The file given with --file is not the report's subject (its SHA-256 is \(sha)); it is not shown.")
                return
            }
            if let format = DocumentReader.format(of: MediaType.sniff(bytes, fileName: path)) {
                loadDocument(bytes, format: format, report: report, limits: limits)
                return
            }
            do {
                if image {
                    submittedImage = try Thumbnail.make(imageBytes: bytes, limits: limits.image)
                } else if text, case .text(let t) = try Fingerprinter.analyse(bytes, fileName: path, limits: limits) {
                    submittedText = t.text
                } else if audio {
                    var audioLimits = limits.audio
                    audioLimits.targetRate = Spectrogram.Layout().sampleRate
                    let decoded = try AudioDecoder.decode(bytes, limits: audioLimits)
                    submittedAudio = (try AudioPreview.make(decoded.samples), decoded.durationSeconds)
                }
            } catch let error as MediaError {
                notes.append("Cannot decode the submitted file: \(error.code): \(error.message)")
            } catch let error as EngineError {
                notes.append("Cannot decode the submitted file: \(error.code): \(error.message)")
            } catch {
                notes.append("Cannot decode the submitted file: \(error)")
            }
        }

        /// A document's extracted text and the thumbnails of the embedded images that matched.
        private mutating func loadDocument(_ bytes: [UInt8], format: ExtractedDocument.Format, report: VerdictReport,
                                           limits: EngineLimits) {
            do {
                let document = try DocumentReader(for: limits)
                    .extract(bytes, format: format)
                submittedText = document.text
                let wanted = Set(report.matches.compactMap(\.location))
                for image in document.images where wanted.contains(image.location) {
                    submittedImages[image.location] = try? Thumbnail.make(imageBytes: image.bytes, limits: limits.image)
                }
            } catch {
                notes.append("Cannot extract the submitted document: \(error.code.rawValue): \(error.message)")
            }
        }
    }
}
