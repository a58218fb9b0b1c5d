import HashmarkDocument
import HashmarkMedia
import HashmarkReport

extension DocumentReader {
    /// A reader whose text cap is the engine's (`text-too-long` and `document-too-large` agree).
    public init(for limits: EngineLimits) {
        self.init(limits: DocumentLimits(maxTextBytes: limits.maxTextBytes))
    }
}

extension Engine {
    /// Checks a document already extracted (by `documents`, or by the daemon before a sandboxed
    /// worker gets it): its text through the passage and paraphrase matchers, each embedded image
    /// through the image matchers. Spans name their page or chapter and paragraph, image matches
    /// the image they were found in; the subject says what was extracted (`/4`).
    public func check(document: ExtractedDocument, subject: VerdictReport.Subject) -> VerdictReport {
        var subject = subject
        if let stale = index.stale { return errorVerdict(stale, subject: subject) }
        var matches: [VerdictReport.Match] = []
        var unreadImages = 0
        if document.hasWords {
            do {
                let text = try Fingerprinter.text(plain: document.text, type: MediaType.text, limits: limits)
                matches += textAndParaphraseMatches(text).map { Self.locate($0, in: document) }
            } catch {
                return errorVerdict(error, subject: subject)
            }
        }
        // Best match per work over all images (as `imageMatches` keeps one per work): one work
        // repeated on every page is one match, at the image where it is strongest.
        var best: [String: VerdictReport.Match] = [:]
        for image in document.images {
            let type = MediaType.sniff(image.bytes, fileName: nil)
            guard case .image(let fingerprint, let decoded)? = try? Fingerprinter.analyseKeepingPixels(
                image.bytes, type: type, limits: limits) else {
                unreadImages += 1
                continue
            }
            for var match in imageMatches(fingerprint, decoded: decoded) {
                match.location = image.location
                let key = match.work.id
                if let old = best[key], (old.isMatch == true ? 1 : 0, old.score) >= (match.isMatch == true ? 1 : 0, match.score) {
                    continue
                }
                best[key] = match
            }
        }
        matches += best.values
        subject.document = VerdictReport.DocumentInfo(
            format: document.format.rawValue, extractor: document.extractor, textBytes: document.text.utf8.count,
            pages: document.pageCount, images: document.images.count - unreadImages,
            skippedImages: document.skippedImages + unreadImages)
        return VerdictReport(subject: subject, matches: matches, model: model, snapshot: index.snapshot.id)
    }

    /// Extracts and checks a document's bytes (`check(bytes:fileName:)` for PDF, EPUB, DOCX, ODT).
    func checkDocument(_ bytes: [UInt8], format: ExtractedDocument.Format, subject: VerdictReport.Subject) -> VerdictReport {
        do {
            return check(document: try documents.extract(bytes, format: format), subject: subject)
        } catch {
            return errorVerdict(EngineError(code: error.code.rawValue, message: error.message), subject: subject)
        }
    }

    /// A text match with every submitted range located in the document.
    static func locate(_ match: VerdictReport.Match, in document: ExtractedDocument) -> VerdictReport.Match {
        func place(_ r: TextEvidence.Range) -> TextEvidence.Range {
            var r = r
            r.location = document.location(ofByte: r.offset)
            let end = document.location(ofByte: max(r.offset, r.offset + r.length - 1))
            r.endLocation = end == r.location ? nil : end
            return r
        }
        var match = match
        switch match.evidence {
        case .text(var e):
            for i in e.spans.indices { e.spans[i].submitted = place(e.spans[i].submitted) }
            match.evidence = .text(e)
        case .paraphrase(var e):
            for i in e.passages.indices {
                e.passages[i].submitted = place(e.passages[i].submitted)
                for j in e.passages[i].pairs.indices {
                    e.passages[i].pairs[j].submitted = place(e.passages[i].pairs[j].submitted)
                }
            }
            match.evidence = .paraphrase(e)
        case .image, .localFeatures, .audio, .descriptor:
            break
        }
        return match
    }
}
