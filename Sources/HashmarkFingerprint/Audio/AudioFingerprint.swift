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

    /// How a submission's landmarks are taken where they differ from a stored work's: denser
    /// peaks, paired wider. Another recording mixed over the work puts its own peaks between a
    /// stored anchor and its targets, pushing them past the stored fan-out, and outshines some of
    /// the work's peaks in the picker's budget; a query that keeps more peaks and pairs further
    /// still forms those stored pairs. The hashes are the same function of the same peaks, so an
    /// index of stored fingerprints accepts the query.
    public struct Query: Sendable, Hashable {
        /// Targets per anchor (`LandmarkHasher.fanOut` when stored).
        public var fanOut: Int
        /// Peaks kept per window (`PeakPicker.peaksPerWindow` when stored).
        public var peaksPerWindow: Int
        public init(fanOut: Int, peaksPerWindow: Int = PeakPicker().peaksPerWindow) {
            self.fanOut = max(1, fanOut)
            self.peaksPerWindow = max(1, peaksPerWindow)
        }
    }

    /// `samples`: mono at `parameters.layout.sampleRate` Hz (resampling is the decoder's job).
    /// `query`: a submission's denser, wider landmarks; `parameters` stays as given either way.
    public init(samples: [Float], parameters: Parameters = Parameters(), query: Query? = nil) {
        self.parameters = parameters
        let s = Spectrogram(samples: samples, layout: parameters.layout)
        var hasher = parameters.hasher, picker = parameters.picker
        hasher.baseBin = Float(parameters.layout.firstBin)
        if let query {
            hasher.fanOut = query.fanOut
            picker.peaksPerWindow = query.peaksPerWindow
        }
        frames = s.frames
        landmarks = hasher.landmarks(picker.peaks(s))
    }

    public init(parameters: Parameters, frames: Int, landmarks: [Landmark]) {
        self.parameters = parameters
        self.frames = frames
        self.landmarks = landmarks
    }
}
