#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One landmark: a hashed pair of peaks and the anchor's frame.
public struct Landmark: Sendable, Hashable {
    public let hash: UInt32
    /// The anchor peak's frame.
    public let time: Int32

    public init(hash: UInt32, time: Int32) {
        self.hash = hash
        self.time = time
    }
}

/// Pairs each anchor peak with up to `fanOut` later peaks in its target zone and hashes each pair.
///
/// The hash is (anchor frequency on a coarse log scale, log of the frequency ratio f2/f1, log of
/// Δt), 5 + 8 + 6 bits. A resampling by α (tempo and pitch together) multiplies both frequencies
/// and Δt by α: the ratio does not move at all, and ln f1 and ln Δt move by ln α, which the coarse
/// log cells (20 % and 15 % wide) absorb for most pairs at α = 1.03. Exact-bin hashes (Wang 2003)
/// would lose nearly every pair above Δf ≈ 30 bins; Panako's three-peak hashes are invariant too
/// but square the pairs per anchor and need every third peak to survive, not only the second.
/// Measured (`AudioMatch` tests, synthetic 20 s recording resampled by 1.03): 46 % of the query's
/// landmarks (613 of 1321) keep their hash at the transformed time ±2 frames; with an exact-bin
/// anchor instead of the log cell, 3 % (measured with bins from 10 up; the layout now starts at 4).
public struct LandmarkHasher: Sendable, Hashable {
    public var fanOut = 5
    /// Target zone: `minDeltaFrames…maxDeltaFrames` later, within `maxDeltaBins` bins.
    public var minDeltaFrames = 1
    public var maxDeltaFrames = 64
    public var maxDeltaBins: Float = 64
    /// Cell widths on the natural-log scale.
    public var anchorStep: Float = logf(1.2)
    public var ratioStep: Float = 0.02
    public var deltaStep: Float = logf(1.15)
    /// Anchor frequencies are measured from this bin (the spectrogram's first).
    public var baseBin: Float = 10

    public init() {}

    /// Peaks must be in (frame, bin) order, as `PeakPicker` returns them.
    public func landmarks(_ peaks: [SpectralPeak]) -> [Landmark] {
        var out: [Landmark] = []
        out.reserveCapacity(peaks.count * fanOut)
        for i in peaks.indices {
            let a = peaks[i]
            var paired = 0
            var j = i + 1
            while j < peaks.count, paired < fanOut {
                let b = peaks[j]
                let dt = b.frame - a.frame
                if dt > maxDeltaFrames { break }
                if dt >= minDeltaFrames, abs(b.bin - a.bin) <= maxDeltaBins {
                    out.append(Landmark(hash: hash(a.bin, b.bin, dt), time: Int32(clamping: a.frame)))
                    paired += 1
                }
                j += 1
            }
        }
        return out
    }

    /// The packed hash of a pair: anchor cell (5 bits) | ratio cell (8 bits) | Δt cell (6 bits).
    public func hash(_ f1: Float, _ f2: Float, _ dt: Int) -> UInt32 {
        let anchor = Self.cell(logf(max(f1, 1) / baseBin) / anchorStep, bits: 5)
        let ratio = Self.cell(logf(max(f2, 1) / max(f1, 1)) / ratioStep + 128, bits: 8)
        let delta = Self.cell(logf(Float(max(dt, 1))) / deltaStep, bits: 6)
        return anchor << 14 | ratio << 6 | delta
    }

    static func cell(_ x: Float, bits: Int) -> UInt32 {
        guard x.isFinite else { return 0 }
        return UInt32(max(0, min(Float((1 << bits) - 1), x.rounded(.down))))
    }
}
