/// Extracts the bounded, oriented binary local features of an image (see `LocalFeatures`).
///
/// Four steps (Rublee et al. 2011), one file each:
/// 1. pyramid (`pyramid(of:)`, ORBPyramid.swift): reduction to `maxSide`, contrast
///    normalisation of a faint image (not in ORB), `levels` levels each `scaleFactor` smaller;
/// 2. threshold (`FASTThreshold`, ORBThreshold.swift): FAST-9 corners with 3 × 3 non-maximum
///    suppression, the threshold lowered on levels short of corners;
/// 3. ranking (`LevelQuotas`, `strongest`, `harrisRanked`, ORBRanking.swift): per-level quotas
///    filled by the Harris measure among the strongest corners;
/// 4. description (`describe`, ORBDescription.swift): intensity-centroid orientation and steered
///    BRIEF, flat descriptors dropped.
public struct LocalFeatureExtractor: Sendable {
    public var parameters: LocalFeatureParameters
    public var pattern: BRIEFPattern

    public init(parameters: LocalFeatureParameters = .default, pattern: BRIEFPattern = .standard) {
        self.parameters = parameters
        self.pattern = pattern
    }

    /// Keypoints must lie this far from a level's border (orientation disc radius 15, + 1).
    static let edge = 16

    /// Features of `image`; with `includeMirrored`, also the mirrored descriptors a query needs to
    /// match a horizontally flipped copy. An image too small for one patch yields an empty set.
    public func extract(_ image: RGBImage, includeMirrored: Bool = false) -> LocalFeatures {
        extract(GreyImage(rgb: image), includeMirrored: includeMirrored, useSIMD: true)
    }

    public func extract(_ grey: GreyImage, includeMirrored: Bool = false) -> LocalFeatures {
        extract(grey, includeMirrored: includeMirrored, useSIMD: true)
    }

    /// `extract`, with `useSIMD: false` running the scalar twin of every kernel (and no shallow
    /// FAST pass): the twin tests prove both give the same features.
    @_spi(Testing) public func extract(_ image: RGBImage, includeMirrored: Bool = false, useSIMD: Bool) -> LocalFeatures {
        extract(GreyImage(rgb: image), includeMirrored: includeMirrored, useSIMD: useSIMD)
    }

    @_spi(Testing) public func extract(_ grey: GreyImage, includeMirrored: Bool = false, useSIMD: Bool) -> LocalFeatures {
        let levels = pyramid(of: grey)
        var out = FeatureSink(includeMirrored: includeMirrored)
        let total = max(0, parameters.maxKeypoints)
        guard !levels.isEmpty, total > 0 else { return out.features(width: grey.width, height: grey.height) }
        let quotas = LevelQuotas(total: total, levels: levels.count, factor: levelFactor)
        var fast = FASTThreshold(start: parameters.fastThreshold, minimum: parameters.minFastThreshold)
        let scratch = LocalBlur.Scratch()  // once per extraction
        var carry = 0
        for (l, level) in levels.enumerated() {
            let quota = quotas.quota(level: l, kept: out.keypoints.count, carry: carry)
            guard quota > 0 else { continue }
            let wanted = Self.harrisCandidates * quota
            let (corners, threshold) = fast.corners(of: level, quota: quota, wanted: wanted, useSIMD: useSIMD)
            let candidates = Self.strongest(corners, above: threshold, count: wanted)
            fast.remember(candidates, wanted: wanted)
            let ranked = Self.harrisRanked(candidates, on: level, quota: quota, useSIMD: useSIMD)
            carry = quota - ranked.count
            guard !ranked.isEmpty else { continue }
            describe(ranked, on: level, index: l, originalWidth: grey.width, originalHeight: grey.height,
                     scratch: scratch, useSIMD: useSIMD, into: &out)
        }
        return out.features(width: grey.width, height: grey.height)
    }
}
