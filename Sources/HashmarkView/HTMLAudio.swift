import Foundation
import HashmarkEngine
import HashmarkFingerprint
import HashmarkMedia
import HashmarkReport
import HashmarkStore

/// A recording drawn as a level over time: what the HTML view shows of each side of an audio match.
public struct AudioOutline: Sendable, Equatable {
    /// Columns drawn per outline.
    public static let columns = 240
    public var durationSeconds: Double
    /// One value per column, 0…1.
    public var levels: [Float]
    /// What the levels are ("RMS level", "landmark density").
    public var measure: String

    /// The RMS level of decoded mono samples per column, on a dB scale from −60 dB (0) to 0 dB (1).
    public static func level(of samples: [Float], sampleRate: Int) -> AudioOutline {
        let n = samples.count
        var levels = [Float](repeating: 0, count: columns)
        for c in 0..<columns {
            let lo = n * c / columns, hi = max(lo + 1, n * (c + 1) / columns)
            guard lo < n else { break }
            var sum: Float = 0
            for i in lo..<min(hi, n) { sum += samples[i] * samples[i] }
            let rms = (sum / Float(min(hi, n) - lo)).squareRoot()
            let db = 20 * log10(max(rms, 1e-6))
            levels[c] = max(0, min(1, (db + 60) / 60))
        }
        return AudioOutline(durationSeconds: Double(n) / Double(max(1, sampleRate)), levels: levels, measure: "RMS level")
    }

    /// Landmarks per column of a stored fingerprint, relative to the busiest column: the work's
    /// own audio is not kept in the corpus, its landmarks are.
    public static func density(of fingerprint: AudioFingerprint) -> AudioOutline {
        let frames = max(1, fingerprint.frames)
        var counts = [Float](repeating: 0, count: columns)
        for l in fingerprint.landmarks {
            counts[min(columns - 1, max(0, Int(l.time) * columns / frames))] += 1
        }
        let top = max(1, counts.max() ?? 1)
        return AudioOutline(durationSeconds: Double(frames) * fingerprint.parameters.layout.secondsPerFrame,
                            levels: counts.map { $0 / top }, measure: "landmark density")
    }
}

extension HTMLEvidence {
    static func audio(_ e: AudioEvidence, work: String, context: Context) -> String {
        let rows = [
            ("Aligned landmark hashes", "\(e.alignedHashes) (match if ≥ \(e.threshold)) of \(e.queryHashes) in the submission"),
            ("Heard in the submission", segment(e.submitted)),
            ("Part of the work", segment(e.source) + (e.workSeconds.map { String(format: " of %.1f s", $0) } ?? "")),
            ("Speed of the copy", String(format: "%.3f×", e.speed) + (e.speed == 1 ? " (as registered)" : "")),
            ("Fingerprint", HTMLReport.code(e.algorithm)),
        ]
        let sub = context.submittedAudio.map { outline($0, mark: e.submitted, caption: "Submitted recording") }
            ?? missing("Submitted recording not drawn (give the original with --file).")
        let src = context.workAudio[work].map { outline($0, mark: e.source, caption: "Corpus work \(work)") }
            ?? missing("Corpus work not drawn (give the corpus database with --db).")
        return HTMLReport.table(rows) + "<div class=\"audio\">\n\(sub)\(src)</div>\n"
            + "<p class=\"hint\">The shaded stretch is the matched segment in each recording.</p>\n"
    }

    static func segment(_ s: AudioEvidence.Segment) -> String {
        String(format: "%.2f s – %.2f s (%.2f s)", s.start, s.end, s.duration)
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
            <figcaption>\(HTMLText.escape(caption)) <span class="dim">(\(String(format: "%.1f s", o.durationSeconds)), \(HTMLText.escape(o.measure)))</span></figcaption>
            </figure>

            """
    }
}
