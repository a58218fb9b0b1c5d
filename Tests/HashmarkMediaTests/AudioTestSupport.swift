import Foundation
import HashmarkMedia

/// Signals, spectra and fixtures shared by the audio tests.
enum AudioTestSupport {
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/audio")

    static func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    /// Interleaved stereo: `left` Hz in the left channel, `right` Hz in the right, amplitude 0.5.
    static func stereoTones(left: Double, right: Double, seconds: Double, rate: Int) -> [Float] {
        let frames = Int(seconds * Double(rate))
        var out = [Float](repeating: 0, count: frames * 2)
        for i in 0..<frames {
            let t = Double(i) / Double(rate)
            out[2 * i] = Float(0.5 * sin(2 * .pi * left * t))
            out[2 * i + 1] = Float(0.5 * sin(2 * .pi * right * t))
        }
        return out
    }

    /// |DFT| at `frequency` Hz over `samples`, scaled so a sine of amplitude A gives A / 2.
    static func magnitude(_ samples: ArraySlice<Float>, at frequency: Double, rate: Int) -> Double {
        var re = 0.0, im = 0.0
        for (n, x) in samples.enumerated() {
            let phase = 2 * .pi * frequency * Double(n) / Double(rate)
            re += Double(x) * cos(phase)
            im -= Double(x) * sin(phase)
        }
        return (re * re + im * im).squareRoot() / Double(samples.count)
    }

    /// One second from the middle of the recording (whole-hertz bins, no start or end transients).
    static func middleSecond(_ audio: DecodedAudio) -> ArraySlice<Float> {
        let start = max(0, audio.samples.count / 2 - audio.sampleRate / 2)
        return audio.samples[start..<min(audio.samples.count, start + audio.sampleRate)]
    }
}
