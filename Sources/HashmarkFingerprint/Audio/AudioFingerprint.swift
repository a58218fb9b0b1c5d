/// The landmark fingerprint of a mono recording at `layout.sampleRate` Hz.
///
/// Carries its algorithm id and every parameter, so an index can refuse to compare fingerprints
/// made differently.
public struct AudioFingerprint: Sendable {
    public static let algorithm = "landmark-pairs-v1"

    /// Everything that changes the landmarks.
    public struct Parameters: Sendable, Hashable {
        public var layout = Spectrogram.Layout()
        public var picker = PeakPicker()
        public var hasher = LandmarkHasher()
        public init() {}
    }

    public let parameters: Parameters
    /// Length in frames.
    public let frames: Int
    /// In anchor-time order.
    public let landmarks: [Landmark]

    /// `samples`: mono at `parameters.layout.sampleRate` Hz (resampling is the decoder's job).
    ///
    /// `queryFanOut`: a query's wider pairing — each anchor paired with up to this many targets
    /// instead of `parameters.hasher.fanOut`. Another recording mixed over the work puts its own
    /// peaks between a stored anchor and its targets, pushing them past the stored fan-out; a
    /// query that pairs further still forms those stored pairs. The hashes are the same function,
    /// so `parameters` stays as given and an index of stored fingerprints accepts the query.
    public init(samples: [Float], parameters: Parameters = Parameters(), queryFanOut: Int? = nil) {
        self.parameters = parameters
        let s = Spectrogram(samples: samples, layout: parameters.layout)
        var hasher = parameters.hasher
        hasher.baseBin = Float(parameters.layout.firstBin)
        if let queryFanOut { hasher.fanOut = max(1, queryFanOut) }
        frames = s.frames
        landmarks = hasher.landmarks(parameters.picker.peaks(s))
    }

    public init(parameters: Parameters, frames: Int, landmarks: [Landmark]) {
        self.parameters = parameters
        self.frames = frames
        self.landmarks = landmarks
    }
}
