import CSndfile

/// What libsndfile's header says, accepted only within `AudioLimits`.
struct AudioHeader {
    let frames: Int
    let rate: Int
    let channels: Int
    let format: MediaType

    init(_ info: SF_INFO, limits: AudioLimits) throws(MediaError) {
        rate = Int(info.samplerate)
        channels = Int(info.channels)
        guard let format = Self.mediaType(info.format) else {
            throw MediaError(code: MediaError.Code.unsupportedMedia,
                             message: "libsndfile read a container other than WAV, FLAC, Ogg or MP3.")
        }
        self.format = format
        guard (1...limits.maxChannels).contains(channels) else {
            throw MediaError(code: MediaError.Code.unsupportedMedia,
                             message: "The audio has \(channels) channels; the limit is \(limits.maxChannels).")
        }
        guard limits.sampleRates.contains(rate) else {
            throw MediaError(code: MediaError.Code.unsupportedMedia,
                             message: "The sample rate is \(rate) Hz; accepted: \(limits.sampleRates.lowerBound)–\(limits.sampleRates.upperBound) Hz.")
        }
        // libsndfile says SF_COUNT_MAX when it cannot know the length.
        guard info.frames > 0, info.frames < sf_count_t.max, let frames = Int(exactly: info.frames) else {
            throw MediaError(code: MediaError.Code.corruptAudio,
                             message: "The header announces no audio frames (or an unknown number).")
        }
        let seconds = Double(frames) / Double(rate)
        guard seconds <= limits.maxSeconds else {
            throw MediaError(code: MediaError.Code.tooLongAudio,
                             message: "The header announces \(Int(seconds)) s of audio; the limit is \(Int(limits.maxSeconds)) s.")
        }
        self.frames = frames
    }

    /// libsndfile's major format as a `MediaType`; `nil` for containers Hashmark does not accept.
    static func mediaType(_ format: Int32) -> MediaType? {
        switch format & Int32(SF_FORMAT_TYPEMASK) {
        case Int32(SF_FORMAT_WAV), Int32(SF_FORMAT_WAVEX), Int32(SF_FORMAT_RF64): .wav
        case Int32(SF_FORMAT_FLAC): .flac
        case Int32(SF_FORMAT_OGG): .ogg
        case Int32(SF_FORMAT_MPEG): .mp3
        default: nil
        }
    }
}
