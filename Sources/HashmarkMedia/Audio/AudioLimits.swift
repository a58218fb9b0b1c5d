/// Resource limits for hostile audio, checked against the header before any sample memory is
/// allocated, and the rate `AudioDecoder` resamples to.
public struct AudioLimits: Sendable, Equatable {
    /// Longest accepted recording, frames ÷ sample rate as the header announces it.
    public var maxSeconds: Double
    /// Most channels accepted (7.1 surround is 8).
    public var maxChannels: Int
    /// Accepted source sample rates, in Hz.
    public var sampleRates: ClosedRange<Int>
    /// The mono output's sample rate, in Hz.
    public var targetRate: Int

    public init(maxSeconds: Double = 3600, maxChannels: Int = 8, sampleRates: ClosedRange<Int> = 8000...192_000,
                targetRate: Int = 11025) {
        self.maxSeconds = maxSeconds
        self.maxChannels = maxChannels
        self.sampleRates = sampleRates
        self.targetRate = targetRate
    }
}

/// A decoded recording: mono, resampled to `sampleRate`.
public struct DecodedAudio: Sendable, Equatable {
    /// Mono samples (the channels' mean), nominally in −1…1, at `sampleRate`.
    public var samples: [Float]
    /// The rate of `samples` (the limits' `targetRate`).
    public var sampleRate: Int
    /// The file's own sample rate.
    public var sourceRate: Int
    /// The file's channel count before the downmix.
    public var channels: Int
    /// Frames actually decoded ÷ `sourceRate`.
    public var durationSeconds: Double
    /// The container the bytes were decoded as.
    public var format: MediaType

    public init(samples: [Float], sampleRate: Int, sourceRate: Int, channels: Int, durationSeconds: Double,
                format: MediaType) {
        self.samples = samples
        self.sampleRate = sampleRate
        self.sourceRate = sourceRate
        self.channels = channels
        self.durationSeconds = durationSeconds
        self.format = format
    }
}
