import Foundation
import HashmarkReport
import HashmarkStore

/// The evidence blocks of the HTML view: images side by side with the matched region outlined,
/// text passages side by side with the shared words marked.
enum HTMLEvidence {
    static func image(_ e: ImageEvidence, work: String, context: Context) -> String {
        var transform = e.transform == .identity ? "none" : e.transform.rawValue
        if e.inverted { transform += ", colours inverted" }
        let facts = HTMLReport.table([
            ("PDQ distance", "\(e.pdqDistance) of 256 (match if ≤ \(e.threshold))"),
            ("PDQ quality", "\(e.quality)" + (e.workQuality.map { " (work: \($0))" } ?? "")),
            ("Edit from work to submission", HTMLText.escape(transform)),
        ] + background(e.workBackground))
        return facts + images(region: e.region, work: work, context: context)
    }

    static func localFeatures(_ e: LocalFeatureEvidence, work: String, context: Context) -> String {
        var rows = [("Inliers", "\(e.inliers) (match if ≥ \(e.threshold)) of \(e.tentativeMatches) tentative matches")]
        if let s = e.scale { rows.append(("Scale of the copy", String(format: "%.3f", s))) }
        if let r = e.rotationDegrees { rows.append(("Rotation (clockwise)", String(format: "%.1f°", abs(r) < 0.05 ? 0 : r))) }
        if e.mirrored { rows.append(("Mirrored", "yes")) }
        if let g = e.region {
            rows.append(("Region in the work", rect(g.source)))
            rows.append(("Region in the submission", rect(g.submitted)))
        }
        if let a = e.matchedWorkArea {
            rows.append(("Share of the work's keypoint extent the matched keypoints cover", String(format: "%.1f %%", a * 100)
                         + (e.minMatchedWorkArea.map { String(format: " (counts on its own if ≥ %.1f %%: less is a shared logo or emblem, not a copy)", $0 * 100) } ?? "")))
        }
        if let n = e.elementInliers, let ids = e.ignoredElements {
            rows.append(("Inliers on ignore-elements (not counted)",
                         "\(n) on \(ids.map { HTMLText.escape(DisplayText.visible($0)) }.joined(separator: ", ")): \(e.countedInliers) inliers count towards the threshold"))
        }
        rows += background(e.workBackground)
        return HTMLReport.table(rows) + images(region: e.region, work: work, context: context)
    }

    /// The learned descriptor's similarity, its threshold and the model it rests on, then both images.
    static func descriptor(_ e: DescriptorEvidence, work: String, context: Context) -> String {
        var rows = [("Descriptor similarity", String(format: "%.4f (match if ≥ %.4f)", e.similarity, e.threshold))]
        rows.append(("Cosine of the two descriptors", String(format: "%.4f", e.cosine)))
        if let b = e.backgroundCosine {
            rows.append(("Submission vs unrelated images", String(format: "cosine %.4f, subtracted", b)))
        }
        if let next = e.nextBestCosine { rows.append(("Next closest work", String(format: "cosine %.4f", next))) }
        rows.append(("Model", HTMLReport.code(e.model)))
        rows.append(("Model weights SHA-256", HTMLReport.code(e.modelSha256)))
        rows += background(e.workBackground)
        return HTMLReport.table(rows) + images(region: nil, work: work, context: context)
            + "<p class=\"hint\">A learned descriptor compares what the two pictures show, not their pixels: it finds "
            + "re-rendered, restyled and redrawn copies. It names no region; judge the pair by eye.</p>\n"
    }

    /// The row that says a transparent work matched as registered over another background.
    static func background(_ b: String?) -> [(String, String)] {
        b.map { [("Work compared over", HTMLText.escape($0) + " (its transparent pixels; its file shows them over white)")] } ?? []
    }

    typealias Context = HTMLReport.Context

    static func rect(_ r: ImageEvidence.Rect) -> String {
        "x \(r.x), y \(r.y), \(r.width) × \(r.height) px"
    }

    /// The submission and the work side by side; the region (in original pixels) is drawn by an
    /// SVG whose viewBox is the original size, so it scales with the thumbnail exactly.
    static func images(region: ImageEvidence.RegionPair?, work: String, context: Context) -> String {
        let left = context.submittedImage.map { figure($0, region: region?.submitted, caption: context.submittedCaption) }
            ?? missing("Submitted file not shown (give the original with --file).")
        let right = context.workThumbnails[work].map { figure($0, region: region?.source, caption: "Corpus work \(work)") }
            ?? missing("Corpus work not shown (give the corpus database with --db).")
        let legend = region == nil ? "" : "<p class=\"hint\">The outlined rectangle is the matched region in each image.</p>\n"
        return "<div class=\"pair\">\n\(left)\(right)</div>\n\(legend)"
    }

    static func figure(_ t: WorkThumbnail, region: ImageEvidence.Rect?, caption: String) -> String {
        let src = "data:image/jpeg;base64," + Data(t.jpeg).base64EncodedString()
        var overlay = ""
        if let r = region, r.width > 0, r.height > 0 {
            overlay = """
                <svg class="overlay" width="\(t.width)" height="\(t.height)" viewBox="0 0 \(t.originalWidth) \(t.originalHeight)" preserveAspectRatio="none" aria-hidden="true">\
                <rect class="region" x="\(r.x)" y="\(r.y)" width="\(r.width)" height="\(r.height)" vector-effect="non-scaling-stroke"/></svg>
                """
        }
        return """
            <figure>
            <div class="frame" style="width:\(t.width)px;height:\(t.height)px">\
            <img src="\(src)" width="\(t.width)" height="\(t.height)" alt="\(HTMLText.escape(caption))">\(overlay)</div>
            <figcaption>\(HTMLText.escape(caption)) <span class="dim">(\(t.originalWidth) × \(t.originalHeight) px)</span></figcaption>
            </figure>

            """
    }

    static func missing(_ note: String) -> String {
        "<figure class=\"missing\"><p>\(HTMLText.escape(note))</p></figure>\n"
    }

    static func text(_ e: HashmarkReport.TextEvidence, work: String, context: Context) -> String {
        var rows = [("Aligned words", "\(e.alignedWords)"),
                    ("Coverage", String(format: "%.2f", e.coverage)),
                    ("Longest common run", "\(e.longestRun) words")]
        if let m = e.matchedWords { rows.insert(("Identical words", "\(m)"), at: 1) }
        if let n = e.workWords { rows.append(("Words in the work", "\(n)")) }
        var s = HTMLReport.table(rows)
        for (i, span) in e.spans.enumerated() {
            let sub = side(full: context.submittedText, range: span.submitted, excerpt: span.submittedExcerpt)
            let src = side(full: context.workTexts[work], range: span.source, excerpt: span.sourceExcerpt)
            let common = HTMLText.wordSet(sub.passage.span).intersection(HTMLText.wordSet(src.passage.span))
            var counts = "\(span.alignedWords) aligned words"
            if let m = span.matchedWords { counts += ", \(m) identical" }
            if let r = span.longestRun { counts += ", longest run \(r)" }
            s += "<h3>Passage \(i + 1) <span class=\"dim\">· \(counts)</span></h3>\n"
            s += "<div class=\"pair\">\n"
            s += column("Submitted · \(span.submitted.place.map { $0 + " · " } ?? "")bytes \(span.submitted.offset)–\(span.submitted.offset + span.submitted.length)", sub, common)
            s += column("Work \(work) · bytes \(span.source.offset)–\(span.source.offset + span.source.length)", src, common)
            s += "</div>\n"
        }
        if !e.spans.isEmpty {
            s += "<p class=\"hint\">Highlighted: words found on both sides of the passage (after case, accent and look-alike folding).</p>\n"
        }
        return s
    }

    /// Paraphrased passages sentence to sentence: each aligned pair a row (submitted sentence,
    /// similarity, source sentence), seeds marked, carried-over pairs dimmed.
    static func paraphrase(_ e: HashmarkReport.ParaphraseEvidence, work: String, context: Context) -> String {
        var s = HTMLReport.table([
            ("Seed sentence pairs", "\(e.seedPairs) of \(e.spannedSentences) sentences spanned"),
            ("Similarity of the seeds", String(format: "mean %.3f, lowest %.3f (seed threshold %.2f)",
                                               e.meanSimilarity, e.minSimilarity, e.seedThreshold)),
            ("Source words", "\(e.sourceWords)"),
            ("Sentence model", HTMLText.escape(e.embeddingModel) + " <span class=\"dim\">sha256 "
                + HTMLText.escape(String(e.embeddingModelSha256.prefix(16))) + "…</span>"),
        ])
        for (i, p) in e.passages.enumerated() {
            s += "<h3>Passage \(i + 1) <span class=\"dim\">· \(p.pairs.count) sentence pairs, \(p.swaps) swapped · "
                + "submitted \(p.submitted.place.map { $0 + ", " } ?? "")bytes \(p.submitted.offset)–\(p.submitted.offset + p.submitted.length), work bytes "
                + "\(p.source.offset)–\(p.source.offset + p.source.length)</span></h3>\n"
            s += "<table class=\"pairs\"><tr><th>Submitted</th><th>Similarity</th><th>Work \(HTMLText.escape(work))</th></tr>\n"
            for pair in p.pairs {
                let a = sentence(context.submittedText, pair.submitted), b = sentence(context.workTexts[work], pair.source)
                s += "<tr\(pair.isSeed ? "" : " class=\"dim\"")><td>\(HTMLText.escape(a ?? "bytes \(pair.submitted.offset)+\(pair.submitted.length)"))</td>"
                    + "<td>\(String(format: "%.3f", pair.similarity))\(pair.isSeed ? "" : " <span class=\"dim\">(carried)</span>")</td>"
                    + "<td>\(HTMLText.escape(b ?? "bytes \(pair.source.offset)+\(pair.source.length)"))</td></tr>\n"
            }
            s += "</table>\n"
            if context.submittedText == nil || context.workTexts[work] == nil {
                s += "<p class=\"hint\">Full texts not available: excerpts of the passage — submitted: “"
                    + HTMLText.escape(p.submittedExcerpt) + "”; work: “" + HTMLText.escape(p.sourceExcerpt) + "”.</p>\n"
            }
        }
        s += "<p class=\"hint\">Each row: a submitted sentence and the work's sentence it was aligned with, by the cosine "
            + "similarity of their sentence embeddings. Dimmed rows were carried across by the alignment below the seed threshold.</p>\n"
        return s
    }

    /// The sentence at `range` of `text`, when the text holds it.
    static func sentence(_ text: String?, _ range: HashmarkReport.TextEvidence.Range) -> String? {
        guard let text else { return nil }
        let utf8 = Array(text.utf8)
        guard range.offset >= 0, range.length > 0, range.offset + range.length <= utf8.count else { return nil }
        return String(decoding: utf8[range.offset..<(range.offset + range.length)], as: UTF8.self)
    }

    /// The passage from the full text when it holds the span and agrees with the report's
    /// excerpt; otherwise the excerpt alone (the report stands on its own) and why.
    static func side(full: String?, range: HashmarkReport.TextEvidence.Range, excerpt: String) -> (passage: HTMLText.Passage, note: String?) {
        let fromReport = HTMLText.Passage(before: "", span: excerpt, after: "", omittedBytes: 0)
        guard let full else { return (fromReport, "Excerpt from the report (full text not available).") }
        let stem = excerpt.hasSuffix("…") ? String(excerpt.dropLast()) : excerpt
        guard let p = HTMLText.passage(in: full, range: range.offset..<(range.offset + range.length)),
              p.span.hasPrefix(stem) || stem.hasPrefix(p.span) else {
            return (fromReport, "Excerpt from the report: the full text available here does not hold this span.")
        }
        return (p, nil)
    }

    static func column(_ title: String, _ side: (passage: HTMLText.Passage, note: String?), _ common: Set<UInt64>) -> String {
        let p = side.passage
        var s = "<div class=\"passage\">\n<h4>\(HTMLText.escape(title))</h4>\n<p class=\"text\">"
        if !p.before.isEmpty { s += "<span class=\"context\">\(HTMLText.escape(p.before))</span>" }
        s += "<span class=\"span\">\(HTMLText.highlighted(p.span, common: common))</span>"
        if p.omittedBytes > 0 { s += "<span class=\"dim\"> … (\(p.omittedBytes) more bytes)</span>" }
        if !p.after.isEmpty { s += "<span class=\"context\">\(HTMLText.escape(p.after))</span>" }
        s += "</p>\n"
        if let note = side.note { s += "<p class=\"hint\">\(HTMLText.escape(note))</p>\n" }
        return s + "</div>\n"
    }
}
