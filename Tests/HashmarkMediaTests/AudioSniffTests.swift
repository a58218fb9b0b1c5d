import Foundation
import HashmarkMedia
import Testing

/// Audio signatures: strict enough that no image, text or garbage fixture turns into audio.
@Suite("Audio sniffing")
struct AudioSniffTests {
    /// Two MPEG-1 layer III headers, 128 kbit/s at 44.1 kHz (417-byte frames), with `gap` bytes between.
    static func mpegFrames(gap: Int) -> [UInt8] {
        let header: [UInt8] = [0xFF, 0xFB, 0x90, 0x64]
        return header + [UInt8](repeating: 0x11, count: gap - 4) + header + [UInt8](repeating: 0x22, count: 413)
    }

    @Test func mpegFrameSyncNeedsASecondFrame() {
        #expect(MediaType.sniff(Self.mpegFrames(gap: 417), fileName: nil) == .mp3)
        #expect(MediaType.sniff(Self.mpegFrames(gap: 400), fileName: nil) == .unknown)
        #expect(MediaType.sniff(Array(Self.mpegFrames(gap: 417).prefix(300)), fileName: nil) == .unknown)
    }

    @Test func id3Tag() {
        let tagged = Array("ID3".utf8) + [4, 0, 0, 0, 0, 0x10, 0x00] + [UInt8](repeating: 0, count: 100)
        #expect(MediaType.sniff(tagged, fileName: nil) == .mp3)
        // Text that starts with the letters is still text.
        #expect(MediaType.sniff(Array("ID3 tags are metadata.\n".utf8), fileName: nil) == .text)
    }

    @Test func containerMagics() {
        let pad = [UInt8](repeating: 0, count: 64)
        #expect(MediaType.sniff(Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVEfmt ".utf8) + pad, fileName: nil) == .wav)
        #expect(MediaType.sniff(Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8) + pad, fileName: nil) == .webp)
        #expect(MediaType.sniff(Array("fLaC".utf8) + pad, fileName: nil) == .flac)
        #expect(MediaType.sniff(Array("OggS".utf8) + pad, fileName: nil) == .ogg)
        #expect(MediaType.sniff(Array("fLaC is a word here.\n".utf8), fileName: nil) == .flac)  // binary magic wins, as for images
    }

    @Test func jpegAndTextStayWhatTheyWere() throws {
        #expect(MediaType.sniff(try MediaFixtures.bytes("chelsea.jpg"), fileName: "a.mp3") == .jpeg)
        #expect(MediaType.sniff(try MediaFixtures.bytes("plain.txt"), fileName: "a.mp3") == .text)
        #expect(MediaType.sniff(try MediaFixtures.bytes("utf16.txt"), fileName: nil) == .text)
        // No committed image, text or document fixture is taken for audio.
        let names = try FileManager.default.contentsOfDirectory(atPath: MediaFixtures.directory.path)
        #expect(names.count > 40)
        for name in names {
            #expect(!MediaType.sniff(try MediaFixtures.bytes(name), fileName: name).isAudio, "\(name)")
        }
    }

    @Test func randomBytesAreNotAudio() {
        for seed in 0..<2000 {
            var bytes = AudioHostileTests.randomBytes(2048, seed: UInt64(seed))
            bytes[0] = 0xFF    // every buffer starts with half a frame sync
            #expect(!MediaType.sniff(bytes, fileName: nil).isDecodableAudio, "seed \(seed)")
        }
    }

    @Test func audioTypes() {
        #expect(MediaType.allCases.filter(\.isAudio) == [.wav, .flac, .ogg, .mp3, .aac])
        #expect(MediaType.allCases.filter(\.isDecodableAudio) == [.wav, .flac, .ogg, .mp3])
        #expect([MediaType.wav, .flac, .ogg, .mp3, .aac].map(\.mimeType)
                == ["audio/wav", "audio/flac", "audio/ogg", "audio/mpeg", "audio/aac"])
        #expect(!MediaType.allCases.contains { $0.isAudio && ($0.isImage || $0.isText || $0.isDocument) })
    }
}
