import CSndfile

/// Writes audio through libsndfile into memory: 16-bit WAV and FLAC, Ogg Vorbis, MP3 (LAME).
///
/// For tests and the evaluation's re-encoding cases; what it writes `AudioDecoder` reads back.
public enum AudioEncoder {
    /// Encodes interleaved `samples` (−1…1) of `channels` channels at `sampleRate`.
    ///
    /// - Parameter quality: 0 (smallest) … 1 (best) for Ogg Vorbis and MP3; ignored otherwise.
    public static func encode(interleaved samples: [Float], channels: Int, sampleRate: Int, as format: MediaType,
                              quality: Double = 0.6) throws(MediaError) -> [UInt8] {
        guard let subtype = Self.format(format), channels >= 1, sampleRate > 0,
              samples.count % channels == 0, let ch = Int32(exactly: channels), let rate = Int32(exactly: sampleRate) else {
            throw MediaError(code: MediaError.Code.invalidArgument,
                             message: "AudioEncoder writes WAV, FLAC, Ogg or MP3 from whole frames at a positive rate.")
        }
        var info = SF_INFO()
        info.channels = ch
        info.samplerate = rate
        info.format = subtype
        let io = SndfileMemoryIO()
        try io.withOpenFile(mode: Int32(SFM_WRITE), info: &info, onOpenError: { status, message in
            MediaError(code: MediaError.Code.invalidArgument, message: "libsndfile refused the output format.",
                       underlying: message)
        }) { file, _ throws(MediaError) in
            if format == .ogg || format == .mp3 {
                var q = 1 - min(1, max(0, quality))   // libsndfile: 0 is best
                _ = sf_command(file, Int32(SFC_SET_COMPRESSION_LEVEL), &q, Int32(MemoryLayout<Double>.size))
            }
            let frames = samples.count / channels
            let written = samples.withUnsafeBufferPointer { sf_writef_float(file, $0.baseAddress, sf_count_t(frames)) }
            guard written == frames else {
                throw MediaError(code: MediaError.Code.internalError, message: "libsndfile wrote \(written) of \(frames) frames.",
                                 underlying: sf_strerror(file).map { String(cString: $0) })
            }
        }
        return io.bytes
    }

    private static func format(_ type: MediaType) -> Int32? {
        switch type {
        case .wav: Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
        case .flac: Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
        case .ogg: Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS)
        case .mp3: Int32(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III)
        default: nil
        }
    }
}
