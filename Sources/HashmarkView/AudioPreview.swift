import Foundation
import HashmarkEngine
import HashmarkFingerprint
import HashmarkMedia
import HashmarkStore

/// A recording's spectrogram as a small JPEG: time left to right over the whole recording,
/// 43 Hz–5 kHz bottom to top on a log scale (the band the landmarks use), brighter is louder.
/// Stored for audio works at ingest like an image's thumbnail; made from the submitted file
/// by the HTML view, so both sides of a match are drawn alike.
public enum AudioPreview {
    public static let width = 480
    public static let height = 96
    /// Levels shown: the loudest cell down to this many natural-log units (~61 dB) below it.
    static let range: Float = 7

    /// What ingest calls for each audio work (`Ingest.audioPreviewer`).
    public static let maker: Ingest.AudioPreviewer = { samples in try? make(samples) }

    /// `samples`: mono at the fingerprint's rate (`Spectrogram.Layout().sampleRate`).
    public static func make(_ samples: [Float]) throws(MediaError) -> WorkThumbnail {
        let s = Spectrogram(samples: samples)
        let bins = s.layout.binCount, frames = max(1, s.frames)
        let top = s.values.max() ?? 0
        let lo = Float(s.layout.firstBin), hi = Float(s.layout.lastBin)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            // Row 0 is the top (highest frequency).
            let f = lo * powf(hi / lo, Float(height - 1 - y) / Float(height - 1))
            let b = min(bins - 1, max(0, Int(f.rounded()) - s.layout.firstBin))
            for x in 0..<width {
                let t0 = x * frames / width, t1 = max(t0 + 1, (x + 1) * frames / width)
                var v = -Float.infinity
                for t in t0..<min(t1, s.frames) { v = max(v, s[t, b]) }
                let level = v.isFinite ? max(0, min(1, (v - (top - range)) / range)) : 0
                let (r, g, bl) = colour(level)
                let i = (y * width + x) * 3
                pixels[i] = r; pixels[i + 1] = g; pixels[i + 2] = bl
            }
        }
        guard let image = RGBImage(width: width, height: height, pixels: pixels) else {
            throw MediaError(code: MediaError.Code.internalError, message: "empty spectrogram image")
        }
        return WorkThumbnail(width: width, height: height, originalWidth: width, originalHeight: height,
                             jpeg: try JPEGEncoder.encode(image, quality: 85))
    }

    /// Dark blue through magenta to pale yellow.
    static func colour(_ v: Float) -> (UInt8, UInt8, UInt8) {
        let stops: [(Float, Float, Float)] = [(8, 8, 32), (110, 20, 120), (230, 90, 60), (252, 240, 160)]
        let x = v * Float(stops.count - 1), i = min(stops.count - 2, Int(x)), f = x - Float(i)
        func mix(_ a: Float, _ b: Float) -> UInt8 { UInt8(max(0, min(255, a + (b - a) * f))) }
        return (mix(stops[i].0, stops[i + 1].0), mix(stops[i].1, stops[i + 1].1), mix(stops[i].2, stops[i + 1].2))
    }
}
