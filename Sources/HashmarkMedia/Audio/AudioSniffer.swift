extension MediaType {
    /// Audio by content: RIFF/RF64 `WAVE`, `fLaC`, `OggS`, an ID3v2 tag, two consecutive MPEG
    /// layer III frame headers, or an ADTS AAC header. `nil` when none matches.
    ///
    /// A bare frame sync (11 set bits) is too weak on its own, so an MP3 without an ID3 tag needs a
    /// valid header and a second valid header where the first frame's length says the next starts.
    /// JPEG (`FF D8`) and UTF-16 BOMs (`FF FE`) can never pass: their second byte is no layer III sync.
    static func audioSignatureType(_ h: [UInt8]) -> MediaType? {
        func starts(_ sig: String, at offset: Int = 0) -> Bool {
            let s = Array(sig.utf8)
            return h.count >= offset + s.count && h[offset..<offset + s.count].elementsEqual(s)
        }
        if (starts("RIFF") || starts("RF64")) && starts("WAVE", at: 8) { return .wav }
        if starts("fLaC") { return .flac }
        if starts("OggS"), h.count > 4, h[4] == 0 { return .ogg }
        if starts("ID3"), h.count >= 10, (2...4).contains(h[3]), h[4] != 0xFF, h[6...9].allSatisfy({ $0 < 0x80 }) {
            return .mp3
        }
        if isADTSHeader(h) { return .aac }
        if let length = MPEGFrameHeader(h, at: 0)?.length, MPEGFrameHeader(h, at: length) != nil { return .mp3 }
        return nil
    }

    /// ADTS: 12-bit sync, layer `00`, a defined sampling-frequency index and a frame of ≥ 7 bytes.
    private static func isADTSHeader(_ h: [UInt8]) -> Bool {
        guard h.count >= 7, h[0] == 0xFF, h[1] & 0xF6 == 0xF0, (h[2] >> 2) & 0x0F < 13 else { return false }
        let frameLength = Int(h[3] & 0x03) << 11 | Int(h[4]) << 3 | Int(h[5]) >> 5
        return frameLength >= 7
    }
}

/// An MPEG-1/2/2.5 layer III frame header (ISO 11172-3 §2.4.2.3), read only far enough to know the
/// frame's length.
struct MPEGFrameHeader {
    /// Bytes from this header to the next one.
    let length: Int

    private static let bitratesV1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
    private static let bitratesV2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
    private static let ratesV1 = [44100, 48000, 32000]

    init?(_ h: [UInt8], at offset: Int) {
        guard offset >= 0, h.count >= offset + 4 else { return nil }
        let b1 = h[offset + 1], b2 = h[offset + 2]
        guard h[offset] == 0xFF, b1 & 0xE0 == 0xE0 else { return nil }
        let version = (b1 >> 3) & 0x03      // 0: MPEG-2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
        let layer = (b1 >> 1) & 0x03        // 1: layer III
        let bitrateIndex = Int(b2 >> 4), rateIndex = Int((b2 >> 2) & 0x03)
        guard version != 1, layer == 1, bitrateIndex != 0, bitrateIndex != 15, rateIndex != 3 else { return nil }
        let isV1 = version == 3
        let bitrate = (isV1 ? Self.bitratesV1 : Self.bitratesV2)[bitrateIndex] * 1000
        let rate = Self.ratesV1[rateIndex] >> (isV1 ? 0 : version == 2 ? 1 : 2)
        let padding = Int((b2 >> 1) & 0x01)
        length = (isV1 ? 144 : 72) * bitrate / rate + padding
    }
}
