import Foundation
import HashmarkMedia
import Testing

/// Real files written by libsndfile at test time, decoded back: duration, downmix, resampling, spectrum.
@Suite("Audio decoding")
struct AudioDecoderTests {
    static let formats: [MediaType] = [.wav, .flac, .ogg, .mp3]

    /// 2 s at 44.1 kHz, 440 Hz left and 660 Hz right: the mono mix holds both at amplitude 0.25.
    @Test(arguments: formats)
    func stereoToneRoundTrip(_ format: MediaType) throws {
        let signal = AudioTestSupport.stereoTones(left: 440, right: 660, seconds: 2, rate: 44100)
        let bytes = try AudioEncoder.encode(interleaved: signal, channels: 2, sampleRate: 44100, as: format, quality: 0.8)
        #expect(MediaType.sniff(bytes, fileName: "x.bin") == format)
        let audio = try AudioDecoder.decode(bytes)
        #expect(audio.format == format)
        #expect(audio.channels == 2)
        #expect(audio.sourceRate == 44100)
        #expect(audio.sampleRate == 11025)
        #expect(abs(audio.durationSeconds - 2) <= 0.02, "\(audio.durationSeconds) s")
        let expectedCount = 2.0 * 11025
        let countError = abs(Double(audio.samples.count) - expectedCount) / expectedCount
        #expect(countError <= 0.01, "\(audio.samples.count) samples")
        let middle = AudioTestSupport.middleSecond(audio)
        for hz in [440.0, 660.0] {
            let m = AudioTestSupport.magnitude(middle, at: hz, rate: audio.sampleRate)
            #expect(abs(m - 0.125) < 0.02, "\(format) \(hz) Hz: \(m)")
        }
        for hz in [550.0, 880.0, 1320.0] {
            #expect(AudioTestSupport.magnitude(middle, at: hz, rate: audio.sampleRate) < 0.01, "\(format) \(hz) Hz")
        }
    }

    /// Opposite channels cancel in a mean: the downmix averages, it does not pick a channel.
    @Test func downmixAveragesChannels() throws {
        var signal = AudioTestSupport.stereoTones(left: 440, right: 440, seconds: 1, rate: 22050)
        for i in stride(from: 1, to: signal.count, by: 2) { signal[i] = -signal[i] }
        let audio = try AudioDecoder.decode(try AudioEncoder.encode(interleaved: signal, channels: 2, sampleRate: 22050, as: .wav))
        #expect(audio.samples.count > 10000)
        #expect(audio.samples.allSatisfy { abs($0) < 1e-3 })
    }

    /// Same rate in and out: no resampling, the samples come back as written (16-bit precision).
    @Test func targetRateEqualToSourceKeepsSamples() throws {
        let mono: [Float] = (0..<8000).map { i in
            let phase = 2 * Double.pi * 300 * Double(i) / 8000
            return Float(0.5 * sin(phase))
        }
        let bytes = try AudioEncoder.encode(interleaved: mono, channels: 1, sampleRate: 8000, as: .flac)
        let audio = try AudioDecoder.decode(bytes, limits: AudioLimits(targetRate: 8000))
        #expect(audio.samples.count == mono.count)
        let worst = zip(audio.samples, mono).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 1e-4)
    }

    @Test func otherTargetRate() throws {
        let signal = AudioTestSupport.stereoTones(left: 1000, right: 1000, seconds: 1, rate: 48000)
        let bytes = try AudioEncoder.encode(interleaved: signal, channels: 2, sampleRate: 48000, as: .wav)
        let audio = try AudioDecoder.decode(bytes, limits: AudioLimits(targetRate: 16000))
        #expect(abs(audio.samples.count - 16000) <= 160)
        let m = AudioTestSupport.magnitude(AudioTestSupport.middleSecond(audio), at: 1000, rate: 16000)
        #expect(abs(m - 0.25) < 0.02, "\(m)")
    }
}

/// The committed SoX tones (Tests/Fixtures/audio/README.md).
@Suite("Audio fixtures")
struct AudioFixtureTests {
    @Test(arguments: [("tone-440-22050-mono.flac", MediaType.flac, 1.0, 22050, 1, 440.0),
                      ("tone-660-8000-stereo.wav", MediaType.wav, 0.5, 8000, 2, 660.0)])
    func soxTone(_ name: String, _ format: MediaType, _ seconds: Double, _ rate: Int, _ channels: Int, _ hz: Double) throws {
        let bytes = try AudioTestSupport.fixture(name)
        #expect(MediaType.sniff(bytes, fileName: nil) == format)
        let audio = try AudioDecoder.decode(bytes)
        #expect(audio.format == format && audio.sourceRate == rate && audio.channels == channels)
        #expect(abs(audio.durationSeconds - seconds) <= seconds * 0.01)
        // SoX's sine peaks at 0.705 (README); the mean of equal channels keeps it, so |DFT| = A / 2.
        let samples = audio.samples[audio.samples.count / 4..<audio.samples.count * 3 / 4]
        let m = AudioTestSupport.magnitude(samples, at: hz, rate: audio.sampleRate)
        #expect(abs(m - 0.705 / 2) < 0.02, "\(name): \(m)")
        #expect(AudioTestSupport.magnitude(samples, at: hz * 1.5, rate: audio.sampleRate) < 0.01)
    }

    /// A LAME-written MP3 announces more frames than it decodes to (delay and padding): still whole.
    @Test func lameMP3WithItsInfoTagIsNotTruncated() throws {
        let bytes = try AudioTestSupport.fixture("tone-440-22050-lame.mp3")
        #expect(MediaType.sniff(bytes, fileName: nil) == .mp3)
        let audio = try AudioDecoder.decode(bytes)
        #expect(audio.format == .mp3 && audio.sourceRate == 22050 && audio.channels == 1)
        #expect(audio.durationSeconds >= 1 && audio.durationSeconds <= 1.1, "\(audio.durationSeconds)")  // + delay, padding
        let samples = audio.samples[audio.samples.count / 4..<audio.samples.count * 3 / 4]
        #expect(AudioTestSupport.magnitude(samples, at: 440, rate: audio.sampleRate) > 0.25)
    }
}
