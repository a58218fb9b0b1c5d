/// The length a RIFF/WAVE header declares, judged by us before libsndfile: libsndfile trims the
/// frame count to the bytes present, so a header claiming ten hours over a few kilobytes would
/// otherwise decode as a short file, and a cut-off file as a complete one.
enum WAVHeader {
    /// Sizes streaming writers leave when they cannot go back to patch the header.
    static let placeholderSizes: Set<Int> = [0, 0xFFFF_FFFF]

    /// Throws `too-long-audio` when the first `data` chunk declares more than `limits.maxSeconds`,
    /// `truncated` when it declares more bytes than follow it. Anything it cannot parse is left
    /// for libsndfile to judge.
    static func check(_ b: [UInt8], limits: AudioLimits) throws(MediaError) {
        guard b.count >= 12, b[0..<4].elementsEqual("RIFF".utf8), b[8..<12].elementsEqual("WAVE".utf8) else { return }
        func u32(_ o: Int) -> Int? {
            guard o >= 0, o + 4 <= b.count else { return nil }
            return Int(b[o]) | Int(b[o + 1]) << 8 | Int(b[o + 2]) << 16 | Int(b[o + 3]) << 24
        }
        var offset = 12
        var byteRate: Int?
        for _ in 0..<64 {
            guard let size = u32(offset + 4) else { return }
            let id = b[offset..<offset + 4]
            if id.elementsEqual("fmt ".utf8) { byteRate = u32(offset + 16) }
            if id.elementsEqual("data".utf8) {
                guard let byteRate, byteRate > 0, !placeholderSizes.contains(size) else { return }
                let seconds = Double(size) / Double(byteRate)
                if seconds > limits.maxSeconds {
                    throw MediaError(code: MediaError.Code.tooLongAudio,
                                     message: "The WAV header declares \(Int(seconds)) s of audio; the limit is \(Int(limits.maxSeconds)) s.")
                }
                let present = b.count - (offset + 8)
                if size > present {
                    throw MediaError(code: MediaError.Code.truncated,
                                     message: "The WAV data chunk declares \(size) bytes; \(present) follow.")
                }
                return
            }
            offset += 8 + size + size % 2   // chunks are padded to even sizes
        }
    }
}
