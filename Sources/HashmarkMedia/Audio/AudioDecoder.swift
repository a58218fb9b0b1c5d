import CSndfile

/// Decodes WAV, FLAC, Ogg Vorbis/Opus and MP3 through libsndfile into mono at `targetRate`.
///
/// The format comes from the content (`MediaType.sniff`); AAC and M4A are recognised and refused
/// with `unsupported-media` (libsndfile has no AAC decoder). The header's duration, channel count
/// and sample rate are checked against `AudioLimits` before any sample memory is allocated; frames
/// are then read as Float in bounded chunks, averaged to mono and resampled chunk by chunk (by
/// `Decimator` for an integer factor, else libsamplerate), so memory grows with the output only. Every failure is a `MediaError`.
public enum AudioDecoder {
    /// Frames read from libsndfile per call.
    static let chunkFrames = 8192
    /// Frames an MP3 may decode short of its header without being `truncated`: four MPEG-1 frames.
    static let mp3Slack = 4 * 1152

    public static func decode(_ bytes: [UInt8], limits: AudioLimits = .init()) throws(MediaError) -> DecodedAudio {
        guard !bytes.isEmpty else { throw MediaError(code: MediaError.Code.emptyFile, message: "The file is empty.") }
        guard (1000...384_000).contains(limits.targetRate), limits.maxChannels >= 1, limits.maxSeconds > 0 else {
            throw MediaError(code: MediaError.Code.invalidArgument,
                             message: "Audio limits need a target rate of 1–384 kHz, ≥ 1 channel and a positive duration.")
        }
        let sniffed = MediaType.sniff(bytes, fileName: nil)
        guard sniffed.isDecodableAudio else { throw refusal(sniffed) }
        try WAVHeader.check(bytes, limits: limits)
        var info = SF_INFO()
        let io = SndfileMemoryIO(bytes)
        return try io.withOpenFile(mode: Int32(SFM_READ), info: &info, onOpenError: openError) {
            file, info throws(MediaError) -> DecodedAudio in
            let header = try AudioHeader(info, limits: limits)
            return try read(file, header: header, limits: limits, io: io)
        }
    }

    /// Reads every frame, downmixes and resamples; the frame count must match the header's.
    ///
    /// A decoder error after the whole input was consumed, short of the announced frames, is
    /// `truncated` (libFLAC, for one, calls a cut-off frame "lost sync").
    private static func read(_ file: OpaquePointer, header: AudioHeader, limits: AudioLimits,
                             io: SndfileMemoryIO) throws(MediaError) -> DecodedAudio {
        let channels = header.channels
        let decimator = Decimator(from: header.rate, to: limits.targetRate)
        let resampler = header.rate == limits.targetRate || decimator != nil ? nil
            : try Resampler(from: header.rate, to: limits.targetRate)
        var output: [Float] = []
        // The header bounds the output, but a lying header must not reserve memory a tiny file never fills.
        let expected = Double(header.frames) * Double(limits.targetRate) / Double(header.rate)
        output.reserveCapacity(min(Int(expected) + 1, 1 << 20))
        var interleaved = [Float](repeating: 0, count: chunkFrames * channels)
        var mono = [Float](repeating: 0, count: chunkFrames)
        var framesRead = 0
        while true {
            let n = interleaved.withUnsafeMutableBufferPointer { buf in
                Int(sf_readf_float(file, buf.baseAddress, sf_count_t(chunkFrames)))
            }
            guard n > 0 else { break }
            downmix(interleaved, frames: n, channels: channels, into: &mono)
            framesRead += n
            if let decimator {
                mono.withUnsafeBufferPointer { decimator.process(UnsafeBufferPointer(rebasing: $0[0..<n]), end: false, into: &output) }
            } else if let resampler {
                try mono.withUnsafeBufferPointer { buf throws(MediaError) in
                    try resampler.process(UnsafeBufferPointer(rebasing: buf[0..<n]), end: false, into: &output)
                }
            } else {
                output.append(contentsOf: mono[0..<n])
            }
        }
        let status = sf_error(file)
        // An MP3 header (LAME's info tag) counts the encoder's delay and padding, which libmpg123
        // drops: up to about 2,300 frames fewer than announced from a whole, sound file.
        let slack = header.format == .mp3 ? Self.mp3Slack : 0
        let short = framesRead + slack < header.frames
        if status != 0 {
            let message = sf_strerror(file).map { String(cString: $0) } ?? ""
            if short && io.consumedAll {
                throw MediaError(code: MediaError.Code.truncated, message: "The audio data ends before the "
                                 + "\(header.frames) frames its header announces.", underlying: message)
            }
            throw libraryError(status, message: message)
        }
        if short {
            throw MediaError(code: MediaError.Code.truncated,
                             message: "The audio ends after \(framesRead) of the \(header.frames) frames its header announces.")
        }
        if let decimator { decimator.process(UnsafeBufferPointer(start: nil, count: 0), end: true, into: &output) }
        if let resampler { try resampler.process(UnsafeBufferPointer(start: nil, count: 0), end: true, into: &output) }
        return DecodedAudio(samples: output, sampleRate: limits.targetRate, sourceRate: header.rate, channels: channels,
                            durationSeconds: Double(framesRead) / Double(header.rate), format: header.format)
    }

    /// The mean of each frame's channels into `mono[0..<frames]`.
    static func downmix(_ interleaved: [Float], frames: Int, channels: Int, into mono: inout [Float]) {
        if channels == 1 {
            for i in 0..<frames { mono[i] = interleaved[i] }
            return
        }
        let scale = 1 / Float(channels)
        for i in 0..<frames {
            var sum: Float = 0
            for c in 0..<channels { sum += interleaved[i * channels + c] }
            mono[i] = sum * scale
        }
    }

    /// Why bytes that are not decodable audio are refused.
    private static func refusal(_ type: MediaType) -> MediaError {
        switch type {
        case .aac:
            MediaError(code: MediaError.Code.unsupportedMedia,
                       message: "AAC and M4A audio are recognised but not decoded (libsndfile reads no AAC).")
        case .unknown:
            MediaError(code: MediaError.Code.unknownFormat, message: "The bytes match no audio format Hashmark knows.")
        default:
            MediaError(code: MediaError.Code.unsupportedMedia, message: "\(type.mimeType) is not audio.")
        }
    }

    private static func openError(_ status: Int32, _ message: String) -> MediaError {
        libraryError(status, message: message)
    }

    /// libsndfile's status mapped to a code: data running out is `truncated`, an encoding it
    /// cannot decode is `unsupported-media`, anything else `corrupt-audio`.
    static func libraryError(_ status: Int32, message: String) -> MediaError {
        let lower = message.lowercased()
        if ["truncat", "end of file", "short read", "unexpected end", "premature"].contains(where: lower.contains) {
            return MediaError(code: MediaError.Code.truncated, message: "The audio data ends early.", underlying: message)
        }
        if status == Int32(SF_ERR_UNSUPPORTED_ENCODING) {
            return MediaError(code: MediaError.Code.unsupportedMedia, message: "libsndfile cannot decode this encoding.",
                              underlying: message)
        }
        return MediaError(code: MediaError.Code.corruptAudio, message: "libsndfile rejected the audio data.",
                          underlying: message)
    }
}
