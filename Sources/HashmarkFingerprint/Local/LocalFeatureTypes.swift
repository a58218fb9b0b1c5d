// Local binary features: an ORB-style pipeline of our own.
//
// Method: E. Rublee, V. Rabaud, K. Konolige, G. Bradski, "ORB: an efficient alternative to SIFT or
// SURF", ICCV 2011 — FAST-9 corners (Rosten & Drummond 2006) on a scale pyramid, ranked by the Harris
// measure, oriented by the intensity centroid (Rosin 1999), described by steered BRIEF
// (Calonder et al. 2010) with 256 binary tests. The test pattern here is generated from a documented
// seed (see `BRIEFPattern`), not taken from OpenCV, so descriptors are NOT interchangeable with
// OpenCV's ORB.

/// One oriented keypoint, in the pixel coordinates of the ORIGINAL image (before any reduction).
public struct LocalKeypoint: Sendable, Hashable {
    /// Centre, in original-image pixels (x to the right, y down).
    public var x: Float
    public var y: Float
    /// Pyramid level the keypoint was found on (0 = finest).
    public var level: Int
    /// Original-image pixels per level pixel: the patch diameter is `31 * scale`.
    public var scale: Float
    /// Intensity-centroid orientation in radians, (-π, π], y down.
    public var angle: Float
    /// Harris response on its level: ranks keypoints; larger is more corner-like.
    public var response: Float

    public init(x: Float, y: Float, level: Int, scale: Float, angle: Float, response: Float) {
        self.x = x; self.y = y; self.level = level; self.scale = scale
        self.angle = angle; self.response = response
    }
}

/// Knobs of the extractor. Part of the feature set's identity: sets extracted with different
/// parameters are still comparable (same descriptor pattern), but the version is not.
public struct LocalFeatureParameters: Sendable, Hashable {
    /// Keep at most this many keypoints per image (the storage bound).
    public var maxKeypoints: Int
    /// Pyramid levels (ORB: 8).
    public var levels: Int
    /// Scale step between levels (ORB: 1.2).
    public var scaleFactor: Float
    /// The image is first reduced so that its longest side is at most this.
    public var maxSide: Int
    /// FAST intensity threshold (0…255): a circle pixel differs when |p - centre| > threshold.
    public var fastThreshold: Int
    /// When a level yields fewer corners than its quota, the threshold is halved down to this
    /// (smooth paintings and flat illustrations have few corners at 20; on a contrast-normalised
    /// faint image the last step, 2, finds the corners of soft shapes, ranked by Harris like any).
    public var minFastThreshold: Int
    /// Contrast normalisation (see `ContrastNormalisation`): an image whose robust grey spread is
    /// below this many levels is stretched linearly to it before the pyramid, so the FAST
    /// thresholds and the BRIEF tests see a faint image as they see a normal one. 170 (not 255)
    /// leaves ordinary images alone: stretching them by ≈ 1.3 gained nothing and cost a few
    /// verified edits of the test fixtures. 0 turns it off.
    public var contrastSpread: Int
    /// Stretches by less than this gain are skipped (1: none is skipped, so the stretch is a
    /// continuous function of the spread and an edited copy cannot fall on the other side of a cut).
    public var minContrastGain: Float
    /// Upper bound of the stretch (it also amplifies noise and compression artefacts).
    public var maxContrastGain: Float

    public init(maxKeypoints: Int = 512, levels: Int = 8, scaleFactor: Float = 1.2,
                maxSide: Int = 1024, fastThreshold: Int = 20, minFastThreshold: Int = 2,
                contrastSpread: Int = 170, minContrastGain: Float = 1, maxContrastGain: Float = 4) {
        self.maxKeypoints = maxKeypoints; self.levels = levels; self.scaleFactor = scaleFactor
        self.maxSide = maxSide; self.fastThreshold = fastThreshold; self.minFastThreshold = minFastThreshold
        self.contrastSpread = contrastSpread; self.minContrastGain = minContrastGain
        self.maxContrastGain = maxContrastGain
    }

    public static let `default` = LocalFeatureParameters()
}

/// The bounded local-feature fingerprint of one image.
///
/// `descriptors[i]` describes `keypoints[i]`. `mirroredDescriptors[i]`, when present, is what the
/// same keypoint's descriptor would be in the horizontally flipped image (the y-mirrored test
/// pattern steered by the same angle): a query carries both so a flipped copy matches; a corpus
/// entry need only store `descriptors`.
public struct LocalFeatures: Sendable, Hashable {
    /// Algorithm id and version: comparing sets with different ids is an error. v2: contrast
    /// normalisation, FAST floor 2, Harris on the strongest corners only (v1 sets must be
    /// re-extracted: their keypoints differ).
    public static let algorithm = "hashmark-orb-v2"

    public var algorithm: String
    /// Size of the original image the coordinates refer to.
    public var width: Int
    public var height: Int
    public var keypoints: [LocalKeypoint]
    public var descriptors: [Hash256]
    public var mirroredDescriptors: [Hash256]?

    public init(algorithm: String = LocalFeatures.algorithm, width: Int, height: Int,
                keypoints: [LocalKeypoint], descriptors: [Hash256], mirroredDescriptors: [Hash256]? = nil) {
        self.algorithm = algorithm; self.width = width; self.height = height
        self.keypoints = keypoints; self.descriptors = descriptors
        self.mirroredDescriptors = mirroredDescriptors
    }

    /// The bounding box of the centres of the keypoints at `indices` (indices outside
    /// `keypoints` are ignored); nil without any.
    public func boundingBox(of indices: some Sequence<Int>) -> LocalRect? {
        LocalRect(bounding: indices.filter { keypoints.indices.contains($0) }.map { LocalPoint(x: keypoints[$0].x, y: keypoints[$0].y) })
    }

    /// The share (0…1) of the image's keypoint extent (the bounding box of all its keypoints:
    /// where its detail is, which for a drawing on an empty canvas is the drawing) that the
    /// bounding box of the keypoints at `indices` covers. 1 when the keypoints have no extent to
    /// compare with (fewer than two, or all on one line).
    public func keypointExtentShare(of indices: some Sequence<Int>) -> Double {
        guard let all = boundingBox(of: keypoints.indices), all.width > 0, all.height > 0 else { return 1 }
        guard let part = boundingBox(of: indices) else { return 0 }
        return min(1, Double(part.width) * Double(part.height) / (Double(all.width) * Double(all.height)))
    }

    /// The corpus form: the mirrored descriptors dropped (they are only needed on the query side).
    public var withoutMirror: LocalFeatures {
        var copy = self
        copy.mirroredDescriptors = nil
        return copy
    }
}

/// Errors of local-feature matching, with a stable `code`.
public struct LocalFeatureError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: String
    public var message: String

    public init(code: String, message: String) { self.code = code; self.message = message }

    public var description: String { "\(code): \(message)" }

    static func algorithmMismatch(_ a: String, _ b: String) -> LocalFeatureError {
        LocalFeatureError(code: "local-algorithm-mismatch",
                          message: "cannot compare local features '\(a)' with '\(b)'")
    }

    static func malformed(_ what: String) -> LocalFeatureError {
        LocalFeatureError(code: "local-malformed", message: what)
    }
}
