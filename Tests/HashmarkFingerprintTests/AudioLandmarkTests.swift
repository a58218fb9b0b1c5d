import HashmarkTestSupport
import Testing
@_spi(Testing) import HashmarkFingerprint

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Spectrogram layout, peak picking (density bound, shift invariance) and the pair hash.
@Suite("AudioLandmark")
struct AudioLandmarkTests {
    static func sine(_ hz: Double, seconds: Double, rate: Double = 11_025, amplitude: Float = 0.5) -> [Float] {
        (0..<Int(seconds * rate)).map { amplitude * Float(sin(2 * Double.pi * hz * Double($0) / rate)) }
    }

    @Test func aSineLandsInItsBin() {
        let s = Spectrogram(samples: Self.sine(1000, seconds: 1))
        // (11025 − 1024) / 256 + 1 frames, bins 4…464 (43 Hz … 5 kHz).
        #expect(s.frames == 40)
        #expect(s.layout.binCount == 461)
        for t in [0, 20, 39] {
            let row = (0..<s.layout.binCount).map { s[t, $0] }
            let best = row.indices.max { row[$0] < row[$1] } ?? -1
            // 1000 Hz / (11025/1024 Hz per bin) = 92.9.
            #expect(best + s.layout.firstBin == 93, "frame \(t): bin \(best + s.layout.firstBin)")
        }
        #expect(Spectrogram(samples: []).frames == 1)
    }

    @Test func silenceHasNoLandmarks() {
        let f = AudioFingerprint(samples: [Float](repeating: 0, count: 11_025 * 3))
        #expect(f.landmarks.isEmpty)
        #expect(f.frames > 0)
    }

    @Test func peakDensityIsBounded() {
        var rng = TestRandom(seed: 7)
        let noise = rng.floats(11_025 * 10, -0.5...0.5)
        let picker = PeakPicker()
        let peaks = picker.peaks(Spectrogram(samples: noise))
        #expect(peaks.count > 100, "\(rng.replay)")
        var worst = 0
        for start in 0..<(peaks.last?.frame ?? 0) {
            let n = peaks.filter { $0.frame >= start && $0.frame <= start + picker.windowFrames }.count
            worst = max(worst, n)
        }
        #expect(worst <= picker.peaksPerWindow, "\(worst) peaks in \(picker.windowFrames + 1) frames, \(rng.replay)")
        // The neighbourhood holds: no two peaks closer than it in both time and frequency.
        for (i, a) in peaks.enumerated() {
            for b in peaks[(i + 1)...] where b.frame - a.frame <= picker.neighbourFrames {
                #expect(abs(b.bin - a.bin) > Float(picker.neighbourBins) - 1, "\(a) \(b)")
            }
        }
    }

    /// An excerpt cut on a frame boundary keeps the peaks of the whole, away from its edges.
    @Test func peaksAreShiftInvariant() {
        var rng = TestRandom(seed: 8)
        let whole = rng.floats(11_025 * 8, -0.5...0.5)
        let shift = 100
        let excerpt = Array(whole[(shift * 256)...])
        let picker = PeakPicker()
        let a = picker.peaks(Spectrogram(samples: whole)).filter { $0.frame >= shift + 60 && $0.frame < 250 }
        let b = picker.peaks(Spectrogram(samples: excerpt)).filter { $0.frame >= 60 && $0.frame < 250 - shift }
        #expect(a.count > 20)
        #expect(a.map { [Float($0.frame - shift), $0.bin] } == b.map { [Float($0.frame), $0.bin] }, "\(rng.replay)")
    }

    @Test func theHashIgnoresACommonScaleOfTheRatio() {
        let h = LandmarkHasher()
        // Same ratio and Δt, anchors in the same cell: same hash; a different ratio: another hash.
        #expect(h.hash(100, 150, 20) == h.hash(101, 151.5, 20))
        #expect(h.hash(100, 150, 20) != h.hash(100, 160, 20))
        #expect(h.hash(100, 150, 20) != h.hash(100, 150, 40))
        #expect(h.hash(100, 150, 20) != h.hash(300, 450, 20))
        // Packed in 19 bits whatever the input.
        for (f1, f2, dt) in [(Float(0), Float(0), 0), (1e9, 1, 1_000_000), (-5, .nan, -3)] {
            #expect(h.hash(f1, f2, dt) < 1 << 19)
        }
    }

    @Test func landmarksRespectTheTargetZone() {
        var rng = TestRandom(seed: 9)
        let f = AudioFingerprint(samples: rng.floats(11_025 * 5, -0.5...0.5))
        let h = f.parameters.hasher
        #expect(!f.landmarks.isEmpty)
        // Anchor-time order and at most fanOut pairs per anchor.
        #expect(zip(f.landmarks, f.landmarks.dropFirst()).allSatisfy { $0.time <= $1.time })
        let perAnchor = Dictionary(grouping: f.landmarks, by: \.time).values.map(\.count).max() ?? 0
        let picker = f.parameters.picker
        #expect(perAnchor <= h.fanOut * picker.peaksPerWindow, "\(rng.replay)")
        #expect(f.landmarks.allSatisfy { ($0.hash & 63) <= 63 && $0.hash >> 14 < 32 })
    }
}
