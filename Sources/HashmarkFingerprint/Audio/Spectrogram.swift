#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Log-magnitude spectrogram of mono audio, limited to the band the landmarks use.
///
/// Frame 1024, hop 256 at 11025 Hz: bins of 10.8 Hz, so a ±5 % pitch change at 200 Hz (±10 Hz)
/// moves a peak by about one bin, which the log-frequency hash quantisation absorbs; hops of 23 ms
/// (75 % overlap, the Hann window's usual) keep onsets sharp in time. 512/128 would halve the
/// frequency resolution below 300 Hz, where bass lines carry many peaks, for no gain in time that
/// the 64-frame target zone needs.
public struct Spectrogram: Sendable {
    /// Time-frequency layout shared by the spectrogram and everything measured in its frames.
    public struct Layout: Sendable, Hashable {
        public var sampleRate: Int = 11_025
        public var frameSize: Int = 1024
        public var hop: Int = 256
        /// First and last FFT bins kept (43 Hz to 5 kHz at the defaults). Bass counts: a sample
        /// mixed under louder new music often keeps only its low end (measured: an ambient piece
        /// with 77 % of its energy below 100 Hz, under an equally loud recording, aligned 11
        /// hashes with bins from 10 (107 Hz) up, 59 from 4 up).
        public var firstBin: Int = 4
        public var lastBin: Int = 464
        public init() {}
        public var binCount: Int { lastBin - firstBin + 1 }
        /// Seconds per frame step.
        public var secondsPerFrame: Double { Double(hop) / Double(sampleRate) }
    }

    public let layout: Layout
    /// Number of frames.
    public let frames: Int
    /// Row-major `[frames × layout.binCount]`: `ln(magnitude + 1e-6)` of bins `firstBin…lastBin`.
    public let values: [Float]

    /// Frame `t` starts at sample `t * hop`; only whole frames are kept, except that a signal
    /// shorter than one frame gives one zero-padded frame. Invalid layouts give an empty spectrogram.
    public init(samples: [Float], layout: Layout = Layout()) {
        self.layout = layout
        guard let plan = FFTPlan(size: layout.frameSize), layout.hop > 0,
              layout.firstBin >= 0, layout.lastBin >= layout.firstBin, layout.lastBin <= layout.frameSize / 2
        else { frames = 0; values = []; return }
        let n = samples.count <= layout.frameSize ? 1 : (samples.count - layout.frameSize) / layout.hop + 1
        let window = Self.hann(layout.frameSize)
        let bins = layout.binCount
        var out = [Float](repeating: 0, count: n * bins)
        var frame = [Float](repeating: 0, count: layout.frameSize)
        for t in 0..<n {
            let start = t * layout.hop
            for i in 0..<layout.frameSize {
                frame[i] = start + i < samples.count ? samples[start + i] * window[i] : 0
            }
            let (re, im) = plan.forward(frame)
            for b in 0..<bins {
                let k = layout.firstBin + b
                out[t * bins + b] = logf((re[k] * re[k] + im[k] * im[k]).squareRoot() + 1e-6)
            }
        }
        frames = n
        values = out
    }

    /// The periodic Hann window of length `n`.
    public static func hann(_ n: Int) -> [Float] {
        (0..<n).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n))) }
    }

    @inline(__always)
    public subscript(frame: Int, bin: Int) -> Float { values[frame * layout.binCount + bin] }
}
