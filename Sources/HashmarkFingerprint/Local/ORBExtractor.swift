/// Extracts the bounded, oriented binary local features of an image (see `LocalFeatures`).
///
/// Steps (Rublee et al. 2011): greyscale; reduce so the longest side ≤ `maxSide`; a pyramid of
/// `levels` levels, each `scaleFactor` smaller (bilinear from the previous level); FAST-9 with
/// 3 × 3 non-maximum suppression; per-level quotas (geometric in 1/scaleFactor, unused budget
/// carried to the next level) filled by the Harris measure (k = 0.04, 7 × 7 window); intensity-
/// centroid orientation over a radius-15 disc (FAST threshold halved, down to `minFastThreshold`,
/// on levels short of corners); steered BRIEF on the level smoothed by `LocalBlur`.
public struct LocalFeatureExtractor: Sendable {
    public var parameters: LocalFeatureParameters
    public var pattern: BRIEFPattern

    public init(parameters: LocalFeatureParameters = .default, pattern: BRIEFPattern = .standard) {
        self.parameters = parameters
        self.pattern = pattern
    }

    /// Keypoints must lie this far from a level's border (orientation disc radius 15, + 1).
    static let edge = 16
    /// Descriptors with fewer set (or clear) bits than this are dropped as flat.
    static let minDescriptorBits = 32

    /// Features of `image`; with `includeMirrored`, also the mirrored descriptors a query needs to
    /// match a horizontally flipped copy. An image too small for one patch yields an empty set.
    public func extract(_ image: RGBImage, includeMirrored: Bool = false, useSIMD: Bool = true) -> LocalFeatures {
        extract(GreyImage(rgb: image), includeMirrored: includeMirrored, useSIMD: useSIMD)
    }

    public func extract(_ grey: GreyImage, includeMirrored: Bool = false, useSIMD: Bool = true) -> LocalFeatures {
        let p = parameters
        var base = grey
        let longest = max(grey.width, grey.height)
        let maxSide = max(64, p.maxSide)
        if longest > maxSide {
            let k = longest / maxSide
            if k >= 2 { base = base.boxReduced(by: k) }
            let s = Double(maxSide) / Double(longest)
            base = base.resized(width: max(1, Int((Double(grey.width) * s).rounded())),
                                height: max(1, Int((Double(grey.height) * s).rounded())))
        }
        let minSide = 2 * Self.edge + 8
        var levelsImages: [GreyImage] = []
        var current = base
        let factor = max(1.01, Double(p.scaleFactor))
        for l in 0..<max(1, p.levels) {
            if l > 0 {
                let sc = LocalMath.ipow(factor, l)
                let w = Int((Double(base.width) / sc).rounded()), h = Int((Double(base.height) / sc).rounded())
                guard w >= minSide, h >= minSide else { break }
                current = current.resized(width: w, height: h)
            }
            guard current.width >= minSide, current.height >= minSide else { break }
            levelsImages.append(current)
        }
        var keypoints: [LocalKeypoint] = []
        var descriptors: [Hash256] = []
        var mirrored: [Hash256] = []
        let total = max(0, p.maxKeypoints)
        let f = 1.0 / factor
        let nLevels = levelsImages.count
        guard nLevels > 0, total > 0 else {
            return LocalFeatures(width: grey.width, height: grey.height, keypoints: [], descriptors: [],
                                 mirroredDescriptors: includeMirrored ? [] : nil)
        }
        let first = Double(total) * (1 - f) / (1 - LocalMath.ipow(f, nLevels))
        var carry = 0
        for (l, level) in levelsImages.enumerated() {
            let quota = l == nLevels - 1 ? total - keypoints.count
                : min(total - keypoints.count, Int((first * LocalMath.ipow(f, l)).rounded()) + carry)
            guard quota > 0 else { continue }
            var threshold = p.fastThreshold
            var cands: [(x: Int, y: Int)] = []
            while true {
                let scores = useSIMD ? LocalFAST.simd(level, threshold: threshold)
                                     : LocalFAST.scalar(level, threshold: threshold)
                cands = Self.nonMaxSuppressed(scores, width: level.width, height: level.height)
                let lower = max(p.minFastThreshold, threshold / 2)
                guard cands.count < quota, lower < threshold else { break }
                threshold = lower
            }
            var ranked = cands.map { (c: $0, r: Self.harris(level, $0.x, $0.y)) }
            ranked.sort { a, b in
                a.r != b.r ? a.r > b.r : (a.c.y != b.c.y ? a.c.y < b.c.y : a.c.x < b.c.x)
            }
            if ranked.count > quota { ranked.removeLast(ranked.count - quota) }
            carry = quota - ranked.count
            cands = []
            let smooth = useSIMD ? LocalBlur.simd(level) : LocalBlur.scalar(level)
            let sx = Float(grey.width) / Float(level.width), sy = Float(grey.height) / Float(level.height)
            for (c, r) in ranked {
                let angle = Self.centroidAngle(level, c.x, c.y)
                let cs = LocalMath.cosf(angle), sn = LocalMath.sinf(angle)
                let d = pattern.describe(smooth, cx: c.x, cy: c.y, cos: cs, sin: sn, mirror: false)
                // A near-constant descriptor comes from a flat patch (ties read as 0): it would match
                // flat patches of every work, so it is dropped.
                let ones = d.words[0].nonzeroBitCount + d.words[1].nonzeroBitCount
                    + d.words[2].nonzeroBitCount + d.words[3].nonzeroBitCount
                guard ones >= Self.minDescriptorBits, ones <= 256 - Self.minDescriptorBits else { continue }
                keypoints.append(LocalKeypoint(x: (Float(c.x) + 0.5) * sx - 0.5, y: (Float(c.y) + 0.5) * sy - 0.5,
                                               level: l, scale: (sx + sy) / 2, angle: angle, response: r))
                descriptors.append(d)
                if includeMirrored {
                    mirrored.append(pattern.describe(smooth, cx: c.x, cy: c.y, cos: cs, sin: sn, mirror: true))
                }
            }
        }
        return LocalFeatures(width: grey.width, height: grey.height, keypoints: keypoints,
                             descriptors: descriptors, mirroredDescriptors: includeMirrored ? mirrored : nil)
    }

    /// Local maxima of the FAST score inside the keypoint border (ties: the first in raster order wins).
    static func nonMaxSuppressed(_ s: [UInt16], width w: Int, height h: Int) -> [(x: Int, y: Int)] {
        var out: [(x: Int, y: Int)] = []
        let e = edge
        guard w > 2 * e, h > 2 * e else { return out }
        for y in e..<(h - e) {
            for x in e..<(w - e) {
                let v = s[y * w + x]
                if v == 0 { continue }
                let i = y * w + x
                // Earlier neighbours must be strictly smaller, later ones not larger.
                if s[i - w - 1] >= v || s[i - w] >= v || s[i - w + 1] >= v || s[i - 1] >= v { continue }
                if s[i + 1] > v || s[i + w - 1] > v || s[i + w] > v || s[i + w + 1] > v { continue }
                out.append((x, y))
            }
        }
        return out
    }

    /// Harris corner measure det(M) − 0.04 tr(M)² over a 7 × 7 window of central differences.
    static func harris(_ img: GreyImage, _ x: Int, _ y: Int) -> Float {
        var a: Int64 = 0, b: Int64 = 0, c: Int64 = 0
        let w = img.width
        img.pixels.withUnsafeBufferPointer { p in
            for dy in -3...3 {
                let r = (y + dy) * w
                for dx in -3...3 {
                    let i = r + x + dx
                    let ix = Int64(p[i + 1]) - Int64(p[i - 1])
                    let iy = Int64(p[i + w]) - Int64(p[i - w])
                    a += ix * ix; b += iy * iy; c += ix * iy
                }
            }
        }
        let fa = Float(a), fb = Float(b), fc = Float(c)
        return fa * fb - fc * fc - 0.04 * (fa + fb) * (fa + fb)
    }

    /// Half-widths of the radius-15 disc, row by row.
    static let discHalfWidth: [Int] = (0...15).map { dy in
        var u = 0
        while (u + 1) * (u + 1) + dy * dy <= 225 { u += 1 }
        return u
    }

    /// Orientation from the intensity centroid: atan2(m01, m10) over the disc (ORB §3.2).
    static func centroidAngle(_ img: GreyImage, _ x: Int, _ y: Int) -> Float {
        var m10 = 0, m01 = 0
        let w = img.width
        img.pixels.withUnsafeBufferPointer { p in
            for dy in -15...15 {
                let hw = discHalfWidth[abs(dy)]
                let r = (y + dy) * w + x
                for dx in -hw...hw {
                    let v = Int(p[r + dx])
                    m10 += dx * v
                    m01 += dy * v
                }
            }
        }
        return LocalMath.atan2f(Float(m01), Float(m10))
    }
}
