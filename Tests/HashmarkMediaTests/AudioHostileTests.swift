import Foundation
import HashmarkMedia
import Testing

/// Hostile and malformed audio: each gets a specific `MediaError`, nothing crashes, and limits are
/// judged from the header before the samples are read.
@Suite("Hostile audio")
struct AudioHostileTests {
    /// A canonical 44-byte PCM WAV header followed by `payload`.
    static func wav(channels: Int, rate: Int, bits: Int, dataBytes: Int, payload: [UInt8]) -> [UInt8] {
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        func le16(_ v: Int) -> [UInt8] { (0..<2).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        let block = channels * bits / 8
        return Array("RIFF".utf8) + le32(36 + dataBytes) + Array("WAVEfmt ".utf8) + le32(16) + le16(1)
            + le16(channels) + le32(rate) + le32(rate * block) + le16(block) + le16(bits)
            + Array("data".utf8) + le32(dataBytes) + payload
    }

    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    @Test func emptyFile() {
        #expect(mediaError { _ = try AudioDecoder.decode([]) }?.code == MediaError.Code.emptyFile)
    }

    /// 8 kHz mono 8-bit: 288,000,000 data bytes declare ten hours; 4 KiB of noise follow.
    @Test func tenHourWAVHeaderIsRefusedFromTheHeader() {
        let bytes = Self.wav(channels: 1, rate: 8000, bits: 8, dataBytes: 36000 * 8000,
                             payload: Self.randomBytes(4096, seed: 1))
        #expect(MediaType.sniff(bytes, fileName: nil) == .wav)
        let error = mediaError { _ = try AudioDecoder.decode(bytes) }
        #expect(error?.code == MediaError.Code.tooLongAudio)
        #expect(error?.message.contains("36000 s") == true, "\(String(describing: error))")
    }

    /// FLAC's STREAMINFO declares ten hours (total samples), the rest is cut: libsndfile reports
    /// the frame count and `AudioHeader` refuses it.
    @Test func tenHourFLACHeaderIsRefused() throws {
        let tone: [Float] = (0..<8000).map { i in Float(sin(Double(i) / 10) * 0.3) }
        var bytes = try AudioEncoder.encode(interleaved: tone, channels: 1, sampleRate: 8000, as: .flac)
        // STREAMINFO body starts at 8: sample rate (20 bits), channels−1 (3), bits−1 (5), total samples (36).
        let total: UInt64 = 36000 * 8000
        bytes[8 + 13] = bytes[8 + 13] & 0xF0 | UInt8(total >> 32 & 0x0F)
        for k in 0..<4 { bytes[8 + 14 + k] = UInt8(truncatingIfNeeded: total >> (24 - 8 * UInt64(k))) }
        let error = mediaError { _ = try AudioDecoder.decode(bytes) }
        #expect(error?.code == MediaError.Code.tooLongAudio, "\(String(describing: error))")
    }

    @Test func durationLimitIsTheCallers() throws {
        let signal = AudioTestSupport.stereoTones(left: 440, right: 440, seconds: 2, rate: 8000)
        let bytes = try AudioEncoder.encode(interleaved: signal, channels: 2, sampleRate: 8000, as: .wav)
        #expect(mediaError { _ = try AudioDecoder.decode(bytes, limits: AudioLimits(maxSeconds: 1.5)) }?.code
                == MediaError.Code.tooLongAudio)
        #expect((try? AudioDecoder.decode(bytes, limits: AudioLimits(maxSeconds: 2.5))) != nil)
    }

    @Test func hundredChannelsAreRefused() {
        let bytes = Self.wav(channels: 100, rate: 8000, bits: 16, dataBytes: 200 * 100,
                             payload: Self.randomBytes(200 * 100, seed: 2))
        let error = mediaError { _ = try AudioDecoder.decode(bytes) }
        #expect(error?.code == MediaError.Code.unsupportedMedia, "\(String(describing: error))")
        #expect(error?.message.contains("100 channels") == true)
    }

    @Test(arguments: [4000, 400_000])
    func sampleRateOutsideTheLimitsIsRefused(_ rate: Int) {
        let bytes = Self.wav(channels: 1, rate: rate, bits: 16, dataBytes: 2000, payload: Self.randomBytes(2000, seed: 3))
        let error = mediaError { _ = try AudioDecoder.decode(bytes) }
        #expect(error?.code == MediaError.Code.unsupportedMedia, "\(String(describing: error))")
        #expect(error?.message.contains("\(rate) Hz") == true)
    }

    @Test func headerWithoutFramesIsCorrupt() {
        let bytes = Self.wav(channels: 1, rate: 8000, bits: 16, dataBytes: 0, payload: [])
        #expect(mediaError { _ = try AudioDecoder.decode(bytes) }?.code == MediaError.Code.corruptAudio)
    }

    @Test(arguments: [MediaType.flac, .wav, .ogg, .mp3])
    func truncatedFilesFailWithACode(_ format: MediaType) throws {
        let signal = AudioTestSupport.stereoTones(left: 440, right: 660, seconds: 2, rate: 44100)
        let whole = try AudioEncoder.encode(interleaved: signal, channels: 2, sampleRate: 44100, as: format)
        for cut in [whole.count / 2, 60] {
            let error = mediaError { _ = try AudioDecoder.decode(Array(whole.prefix(cut))) }
            // 60 bytes of MP3 hold no second frame header: the sniffer no longer calls it MP3.
            let expected: [String?] = format == .mp3 && cut == 60
                ? [MediaError.Code.unknownFormat] : [MediaError.Code.truncated, MediaError.Code.corruptAudio]
            #expect(expected.contains(error?.code), "\(format) cut at \(cut): \(String(describing: error))")
        }
    }

    @Test func truncatedWAVSaysTruncated() throws {
        let signal = AudioTestSupport.stereoTones(left: 440, right: 660, seconds: 1, rate: 8000)
        let whole = try AudioEncoder.encode(interleaved: signal, channels: 2, sampleRate: 8000, as: .wav)
        #expect((try? AudioDecoder.decode(whole)) != nil)
        let error = mediaError { _ = try AudioDecoder.decode(Array(whole.dropLast(2))) }
        #expect(error?.code == MediaError.Code.truncated, "\(String(describing: error))")
    }

    @Test func truncatedFLACSaysTruncated() throws {
        let signal = AudioTestSupport.stereoTones(left: 440, right: 660, seconds: 2, rate: 44100)
        let whole = try AudioEncoder.encode(interleaved: signal, channels: 2, sampleRate: 44100, as: .flac)
        let error = mediaError { _ = try AudioDecoder.decode(Array(whole.prefix(whole.count / 2))) }
        #expect(error?.code == MediaError.Code.truncated, "\(String(describing: error))")
    }

    @Test func randomBytesBehindAudioMagicFailCleanly() {
        for (i, magic) in ["fLaC", "OggS\u{0}", "RIFF\u{0}\u{0}\u{0}\u{0}WAVE", "ID3\u{3}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}"].enumerated() {
            let bytes = Array(magic.utf8) + Self.randomBytes(8192, seed: UInt64(10 + i))
            let error = mediaError { _ = try AudioDecoder.decode(bytes) }
            #expect(error != nil, "\(magic)")
        }
    }

    /// ADTS AAC (sync FFF, layer 00) and an M4A `ftyp`: recognised, refused as unsupported.
    @Test func aacIsRecognisedNotDecoded() {
        let adts: [UInt8] = [0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC] + Self.randomBytes(1000, seed: 4)
        let m4a: [UInt8] = [0, 0, 0, 0x20] + Array("ftypM4A ".utf8) + [0, 0, 0, 0] + Self.randomBytes(1000, seed: 5)
        for bytes in [adts, m4a] {
            #expect(MediaType.sniff(bytes, fileName: "song.mp3") == .aac)
            #expect(mediaError { _ = try AudioDecoder.decode(bytes) }?.code == MediaError.Code.unsupportedMedia)
        }
        #expect(MediaType.aac.isAudio && !MediaType.aac.isDecodableAudio)
    }

    @Test func nonAudioIsRefused() throws {
        #expect(mediaError { _ = try AudioDecoder.decode(try MediaFixtures.bytes("chelsea.jpg")) }?.code
                == MediaError.Code.unsupportedMedia)
        #expect(mediaError { _ = try AudioDecoder.decode(try MediaFixtures.bytes("random-garbage.jpg")) }?.code
                == MediaError.Code.unknownFormat)
    }
}
