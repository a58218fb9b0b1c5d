import Foundation
import HashmarkFingerprint
import HashmarkReport
import HashmarkStore

/// A recording drawn as its landmark density over time: the HTML view's fallback for a work
/// stored without a spectrogram (the corpus keeps landmarks, not audio).
public struct AudioOutline: Sendable, Equatable {
    /// Columns drawn per outline.
    public static let columns = 240
    public var durationSeconds: Double
    /// One value per column, 0…1, relative to the busiest column.
    public var levels: [Float]

    public static func density(of fingerprint: AudioFingerprint) -> AudioOutline {
        let frames = max(1, fingerprint.frames)
        var counts = [Float](repeating: 0, count: columns)
        for l in fingerprint.landmarks {
            counts[min(columns - 1, max(0, Int(l.time) * columns / frames))] += 1
        }
        let top = max(1, counts.max() ?? 1)
        return AudioOutline(durationSeconds: Double(frames) * fingerprint.parameters.layout.secondsPerFrame,
                            levels: counts.map { $0 / top })
    }
}

extension HTMLEvidence {
    /// The evidence in words, then both recordings' spectrograms with the matched stretch outlined.
    static func audio(_ e: AudioEvidence, work: String, context: Context) -> String {
        var rows: [(String, String)] = [
            ("Aligned landmark hashes", "\(e.alignedHashes) (match if ≥ \(e.threshold)) of \(e.queryHashes) in the submission"),
        ]
        if let d = e.distinctHashes {
            rows.append(("Different hashes among them", "\(d)" + (e.distinctThreshold.map { " (match if ≥ \($0))" } ?? "")))
        }
        if let s = e.sidelobeHashes {
            let rule = e.isolationMargin.map { m in
                " (also a match if ≥ \(e.isolatedThreshold ?? 0) different hashes stand ≥ \(m) above it)"
            } ?? ""
            rows.append(("Next best alignment of the work", "\(s) aligned hashes" + rule))
        }
        rows += [
            ("Heard in the submission", segment(e.submitted)),
            ("Part of the work", segment(e.source) + (e.workSeconds.map { String(format: " of %.1f s", $0) } ?? "")),
            ("Speed of the copy", String(format: "%.3f×", e.speed) + (e.speed == 1 ? " (as registered)" : "")),
            ("Fingerprint", HTMLReport.code(e.algorithm)),
        ]
        let sub = context.submittedAudio.map {
            spectrogram($0.preview, seconds: $0.seconds, mark: e.submitted, caption: "Submitted recording")
        } ?? missing("Submitted recording not drawn (give the original with --file).")
        let workSeconds = e.workSeconds ?? e.source.end
        let src = context.workAudio[work].map { spectrogram($0, seconds: workSeconds, mark: e.source, caption: "Corpus work \(work)") }
            ?? context.workAudioOutlines[work].map { outline($0, mark: e.source, caption: "Corpus work \(work)") }
            ?? missing("Corpus work not drawn (give the corpus database with --db).")
        return HTMLReport.table(rows) + "<div class=\"audio\">\n\(sub)\(src)</div>\n"
            + "<p class=\"hint\">Spectrograms: time left to right over the whole recording, 43 Hz–5 kHz bottom to top; "
            + "the outlined stretch is the matched segment in each recording.</p>\n"
    }

    static func segment(_ s: AudioEvidence.Segment) -> String {
        String(format: "%.2f s – %.2f s (%.2f s)", s.start, s.end, s.duration)
    }

    /// A stored or computed spectrogram with `mark` (seconds of a `seconds`-long recording) outlined.
    static func spectrogram(_ t: WorkThumbnail, seconds: Double, mark: AudioEvidence.Segment, caption: String) -> String {
        let src = "data:image/jpeg;base64," + Data(t.jpeg).base64EncodedString()
        let d = max(seconds, mark.end, 0.001)
        let x0 = mark.start / d * Double(t.originalWidth), x1 = mark.end / d * Double(t.originalWidth)
        return """
            <figure>
            <div class="frame" style="width:\(t.width)px;height:\(t.height)px">\
            <img src="\(src)" width="\(t.width)" height="\(t.height)" alt="\(HTMLText.escape(caption)) (spectrogram)">\
            <svg class="overlay" width="\(t.width)" height="\(t.height)" viewBox="0 0 \(t.originalWidth) \(t.originalHeight)" preserveAspectRatio="none" aria-hidden="true">\
            <rect class="region" x="\(String(format: "%.2f", x0))" y="1" width="\(String(format: "%.2f", max(1, x1 - x0)))" height="\(t.originalHeight - 2)" vector-effect="non-scaling-stroke"/></svg></div>
            <figcaption>\(HTMLText.escape(caption)) <span class="dim">(\(String(format: "%.1f s", seconds)), spectrogram)</span></figcaption>
            </figure>

            """
    }

    /// Bars of the outline's levels with the matched segment shaded, in an SVG scaled to the width.
    static func outline(_ o: AudioOutline, mark: AudioEvidence.Segment, caption: String) -> String {
        let w = AudioOutline.columns, h = 60
        let duration = max(o.durationSeconds, mark.end, 0.001)
        let x0 = mark.start / duration * Double(w), x1 = mark.end / duration * Double(w)
        var bars = ""
        for (i, v) in o.levels.enumerated() {
            let bh = max(1, Int((v * Float(h - 4)).rounded()))
            bars += "<rect class=\"bar\" x=\"\(i)\" y=\"\((h - bh) / 2)\" width=\"1\" height=\"\(bh)\"/>"
        }
        return """
            <figure>
            <svg class="outline" viewBox="0 0 \(w) \(h)" preserveAspectRatio="none" role="img" aria-label="\(HTMLText.escape(caption))">\
            <rect class="segment" x="\(String(format: "%.2f", x0))" y="0" width="\(String(format: "%.2f", max(0.5, x1 - x0)))" height="\(h)"/>\(bars)</svg>
            <figcaption>\(HTMLText.escape(caption)) <span class="dim">(\(String(format: "%.1f s", o.durationSeconds)), landmark density: no spectrogram stored)</span></figcaption>
            </figure>

            """
    }
}
