/// A spectral peak: a frame and a frequency in FFT bins, refined between bins.
public struct SpectralPeak: Sendable, Hashable {
    public let frame: Int
    /// FFT bin (absolute, not relative to the band), refined by a parabola through the log
    /// magnitudes of the bin and its two neighbours, so frequency ratios survive small pitch changes.
    public let bin: Float
    /// Log magnitude at the peak bin.
    public let value: Float
}

/// Peak picking: local maxima of the log spectrogram in a time-frequency neighbourhood, thinned by
/// an adaptive threshold that keeps at most `peaksPerWindow` peaks in any `windowFrames + 1`
/// consecutive frames.
///
/// The threshold is a sliding rank, not a fixed level: a candidate stays if fewer than
/// `peaksPerWindow` candidates within `windowFrames` frames either side are stronger. That is
/// shift-invariant (an excerpt keeps the peaks it had inside the full recording, away from its
/// edges), adapts to loudness over time, and bounds the density: in any `windowFrames + 1` frames
/// every kept peak sees all the others, so there are at most `peaksPerWindow` of them.
public struct PeakPicker: Sendable, Hashable {
    /// Half-size of the local-maximum neighbourhood, in frames and bins.
    public var neighbourFrames = 4
    public var neighbourBins = 8
    public var peaksPerWindow = 30
    /// 43 frames of 23 ms: a peak competes with the second either side of it.
    public var windowFrames = 43
    /// Floor on the log magnitude (ln 1e-3): silence has no peaks.
    public var floor: Float = -6.9

    public init() {}

    public func peaks(_ s: Spectrogram) -> [SpectralPeak] {
        let candidates = localMaxima(s)
        return thin(candidates)
    }

    /// Cells equal to the maximum of their `(2·neighbourFrames+1) × (2·neighbourBins+1)`
    /// neighbourhood and above `floor`, in (frame, bin) order.
    func localMaxima(_ s: Spectrogram) -> [SpectralPeak] {
        let nb = s.layout.binCount, nt = s.frames
        let neighbourFrames = max(0, neighbourFrames), neighbourBins = max(0, neighbourBins)
        guard nb > 0, nt > 0 else { return [] }
        // Separable max filter: along time (a whole row at a time, which the compiler
        // vectorises), then along frequency for the cells that are their column's maximum. One
        // row of time maxima at a time: an hour of audio would need another 280 MB for all.
        var tmax = [Float](repeating: -.infinity, count: nb)
        var out: [SpectralPeak] = []
        s.values.withUnsafeBufferPointer { v in
            tmax.withUnsafeMutableBufferPointer { m in
                for t in 0..<nt {
                    let lo = max(0, t - neighbourFrames), hi = min(nt - 1, t + neighbourFrames)
                    for b in 0..<nb { m[b] = v[lo * nb + b] }
                    var u = lo + 1
                    while u <= hi {
                        let r = u * nb
                        for b in 0..<nb { m[b] = Swift.max(m[b], v[r + b]) }
                        u += 1
                    }
                    let row = t * nb
                    for b in 0..<nb {
                        let x = v[row + b]
                        guard x > floor, x == m[b] else { continue }
                        let lo = max(0, b - neighbourBins), hi = min(nb - 1, b + neighbourBins)
                        var isMax = true
                        for c in lo...hi where m[c] > x { isMax = false; break }
                        guard isMax else { continue }
                        var offset: Float = 0
                        if b > 0, b < nb - 1 {
                            let a = v[row + b - 1], c = v[row + b + 1]
                            let d = a - 2 * x + c
                            if d < 0 { offset = max(-0.5, min(0.5, 0.5 * (a - c) / d)) }
                        }
                        out.append(SpectralPeak(frame: t, bin: Float(s.layout.firstBin + b) + offset, value: x))
                    }
                }
            }
        }
        return out
    }

    /// Keeps a candidate when fewer than `peaksPerWindow` candidates within `windowFrames`
    /// frames of it are stronger (ties: the earlier, then lower, candidate is stronger).
    func thin(_ c: [SpectralPeak]) -> [SpectralPeak] {
        let windowFrames = max(0, windowFrames)
        var kept: [SpectralPeak] = []
        var lo = 0
        for i in c.indices {
            while c[lo].frame < c[i].frame - windowFrames { lo += 1 }
            var stronger = 0
            var j = lo
            while j < c.count, c[j].frame <= c[i].frame + windowFrames, stronger < peaksPerWindow {
                if c[j].value > c[i].value || (c[j].value == c[i].value && j < i) { stronger += 1 }
                j += 1
            }
            if stronger < peaksPerWindow { kept.append(c[i]) }
        }
        return kept
    }
}
