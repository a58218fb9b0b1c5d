#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HashmarkMedia

/// An edit of a recording, as AI music and voice tools and re-uploads make them: pure functions on
/// mono samples at `rate` Hz, seeded, for the evaluation's audio family.
public enum AudioEdit: Sendable, Hashable, Codable {
    /// Delivered as MP3 or Ogg Vorbis at `quality` (0 smallest … 1 best; 0.1 is about 32–48 kb/s).
    case reencode(MediaType, quality: Double)
    /// Gaussian white noise `snrDB` below the recording's RMS level.
    case noise(snrDB: Double)
    /// A 4th-order band pass (telephone: 300–3,400 Hz).
    case bandLimit(lowHz: Double, highHz: Double)
    /// Played `factor` times faster by resampling: tempo and pitch together.
    case speed(Double)
    /// Tempo times `factor`, pitch kept (WSOLA time stretch).
    case tempo(Double)
    /// Pitch times `factor`, duration kept (resampled, then stretched back).
    case pitch(Double)
    /// `seconds` of the work from a seeded place, at a seeded place inside `trackSeconds` of the
    /// other recording (looped if shorter), with 50 ms fades.
    case excerpt(seconds: Double, trackSeconds: Double)
    /// The work with the other recording (looped) mixed in, the other `gainDB` louder (negative:
    /// quieter), by RMS.
    case mix(gainDB: Double)

    /// Whether the edit needs `other`, an unrelated recording.
    public var needsOther: Bool {
        switch self {
        case .excerpt, .mix: true
        default: false
        }
    }

    /// The edited samples. `.reencode` returns them decoded back (see `deliver` for its bytes);
    /// `other` must be non-empty for `.excerpt` and `.mix`.
    public func apply(_ x: [Float], rate: Int, other: [Float], rng: inout SeededGenerator) throws(TransformError) -> [Float] {
        guard rate > 0, !x.isEmpty else { throw .invalid("an audio edit needs samples at a positive rate") }
        switch self {
        case .reencode(let format, let quality):
            let bytes = try Self.encode(x, rate: rate, as: format, quality: quality)
            do {
                return try AudioDecoder.decode(bytes, limits: AudioLimits(targetRate: rate)).samples
            } catch {
                throw TransformError(code: "recompression-failed", message: "cannot decode the \(format) written", underlying: error)
            }
        case .noise(let snr):
            let rms = AudioMixing.rms(x)
            let sigma = Float(Double(rms) / Self.pow10(snr / 20))
            return x.map { $0 + sigma * Float(rng.nextGaussian()) }
        case .bandLimit(let low, let high):
            guard low > 0, high > low, high < Double(rate) / 2 else { throw .invalid("band \(low)–\(high) Hz at \(rate) Hz") }
            return Biquad.bandPass(x, rate: Double(rate), low: low, high: high)
        case .speed(let factor):
            return try Self.resample(x, ratio: 1 / factor)
        case .tempo(let factor):
            return try TimeStretch.wsola(x, factor: factor, rate: rate)
        case .pitch(let factor):
            return try TimeStretch.wsola(try Self.resample(x, ratio: 1 / factor), factor: 1 / factor, rate: rate)
        case .excerpt(let seconds, let trackSeconds):
            guard !other.isEmpty else { throw .invalid("an excerpt needs another recording to sit in") }
            return AudioMixing.excerpt(x, seconds: seconds, inside: other, trackSeconds: trackSeconds, rate: rate, rng: &rng)
        case .mix(let gainDB):
            guard !other.isEmpty else { throw .invalid("a mix needs another recording") }
            return AudioMixing.mix(x, other, otherGainDB: gainDB)
        }
    }

    /// The bytes a submitter uploads: re-encodings as their MP3 or Ogg bytes, anything else as
    /// 16-bit WAV at `rate`.
    public func deliver(_ x: [Float], rate: Int, other: [Float], rng: inout SeededGenerator) throws(TransformError) -> [UInt8] {
        if case .reencode(let format, let quality) = self { return try Self.encode(x, rate: rate, as: format, quality: quality) }
        return try Self.encode(AudioMixing.normalised(try apply(x, rate: rate, other: other, rng: &rng)), rate: rate, as: .wav, quality: 1)
    }

    static func encode(_ x: [Float], rate: Int, as format: MediaType, quality: Double) throws(TransformError) -> [UInt8] {
        do {
            return try AudioEncoder.encode(interleaved: x, channels: 1, sampleRate: rate, as: format, quality: quality)
        } catch {
            throw TransformError(code: "recompression-failed", message: "libsndfile cannot write \(format)", underlying: error)
        }
    }

    static func resample(_ x: [Float], ratio: Double) throws(TransformError) -> [Float] {
        guard ratio > 0.5, ratio < 2 else { throw .invalid("speed factors must be within 0.5…2") }
        do {
            return try AudioResampling.resample(x, ratio: ratio)
        } catch {
            throw TransformError(code: "invalid-parameter", message: "resampling failed", underlying: error)
        }
    }

    private static func pow10(_ x: Double) -> Double { exp(x * log(10.0)) }
}
