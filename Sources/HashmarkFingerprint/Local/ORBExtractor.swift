/// Extracts the bounded, oriented binary local features of an image (see `LocalFeatures`).
///
/// Steps (Rublee et al. 2011): greyscale; reduce so the longest side ≤ `maxSide`; a faint image
/// stretched to a normal contrast (`ContrastNormalisation`, not in ORB); a pyramid of
/// `levels` levels, each `scaleFactor` smaller (bilinear from the previous level); FAST-9 scores
/// (one pass, see `LocalFAST`) with 3 × 3 non-maximum suppression; per-level quotas (geometric in
/// 1/scaleFactor, unused budget carried to the next level) filled by the Harris measure (k = 0.04,
/// 7 × 7 window) among the strongest corners (`harrisCandidates`) above the FAST threshold
/// (halved, down to `minFastThreshold`, on levels short of corners); intensity-centroid
/// orientation over a radius-15 disc; steered BRIEF on the level smoothed by `LocalBlur` (only the
/// keypoints' patches are smoothed; the mirrored descriptors reuse the keypoints).
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
        let maxSide = min(max(64, p.maxSide), 65535)  // level coordinates fit 16 bits (rankKey)
        if longest > maxSide {
            let k = longest / maxSide
            if k >= 2 { base = base.boxReduced(by: k) }
            let s = Double(maxSide) / Double(longest)
            base = base.resized(width: max(1, Int((Double(grey.width) * s).rounded())),
                                height: max(1, Int((Double(grey.height) * s).rounded())))
        }
        base = ContrastNormalisation.normalised(base, target: p.contrastSpread, minGain: p.minContrastGain,
                                                maxGain: p.maxContrastGain).image
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
        // The FAST thresholds tried on a level short of corners: halved down to minFastThreshold.
        var thresholds = [max(0, min(p.fastThreshold, 255))]
        while let t = thresholds.last, max(p.minFastThreshold, t / 2) < t { thresholds.append(max(p.minFastThreshold, t / 2)) }
        // The floors of the FAST passes: the starting threshold, then the second-lowest and lowest.
        var floors = [thresholds[0]]
        for t in thresholds.suffix(2) where t < floors[floors.count - 1] { floors.append(t) }
        var floorIndex = 0
        var guide = 0  // the previous level's weakest Harris candidate score (0: none to go by)
        let scratch = LocalBlur.Scratch()  // once per extraction
        var carry = 0
        for (l, level) in levelsImages.enumerated() {
            let quota = l == nLevels - 1 ? total - keypoints.count
                : min(total - keypoints.count, Int((first * LocalMath.ipow(f, l)).rounded()) + carry)
            guard quota > 0 else { continue }
            // A FAST pass scores every threshold above its floor (pixels below it are rejected early).
            func corners(above t: Int) -> [(x: Int32, y: Int32, score: UInt8)] {
                // Suppression reads the scores one pixel outside the keypoint border, no further.
                let scores = useSIMD ? LocalFAST.scores(level, minThreshold: t, margin: Self.edge - 1)
                                     : LocalFAST.scoresScalar(level, minThreshold: t, margin: Self.edge - 1)
                return Self.nonMaxSuppressed(scores, width: level.width, height: level.height)
            }
            // The threshold is the largest of `thresholds` whose suppressed corners meet the quota,
            // else the lowest. A pass down to f gives the same suppressed corners above any t ≥ f as
            // a pass down to t (zeroed neighbours were below them anyway), so any pass deep enough
            // decides it. The passes go down the floors only while short of corners (a pass at 2
            // is dearer than one at 5), starting at the floor the previous level ended on: a faint
            // image is short on every level, and its first, shallow passes would be wasted.
            //
            // A busy level needs only its `harrisCandidates * quota` strongest corners. When a pass
            // down to a floor above the starting threshold already finds that many, they are the
            // same strongest corners, and the starting threshold meets the quota: that shallower
            // pass, far cheaper (most blocks fail its bound), decides the level. Its floor is a
            // guess from the previous level's weakest candidate (0.6 of it: from level to level
            // that score falls by at most a quarter on the benchmark's images); a wrong guess
            // costs one shallow pass. The scalar path does without, so the twin test checks it.
            let wanted = Self.harrisCandidates * quota
            var all: [(x: Int32, y: Int32, score: UInt8)] = []
            let shallow = guide * 6 / 10
            if useSIMD, shallow > floors[0] {
                all = corners(above: shallow)
                if all.count < wanted { all = [] }
            }
            let threshold: Int
            if all.isEmpty {
                all = corners(above: floors[floorIndex])
                while all.count < quota, floorIndex + 1 < floors.count {
                    floorIndex += 1
                    all = corners(above: floors[floorIndex])
                }
                let floor = floors[floorIndex]
                func meetsQuota(_ t: Int) -> Bool { all.lazy.filter { Int($0.score) > t }.count >= quota }
                threshold = thresholds.first { $0 >= floor && meetsQuota($0) } ?? floor
            } else {
                threshold = thresholds[0]
            }
            // Sort keys: Harris response descending, then y, then x ascending (raster order).
            let candidates = Self.strongest(all, above: threshold, count: wanted)
            guide = candidates.count == wanted ? Int(candidates.lazy.map(\.score).min() ?? 0) : 0
            var keys: [UInt64] = []
            keys.reserveCapacity(candidates.count)
            level.pixels.withUnsafeBufferPointer { px in
                guard let base = UnsafeRawPointer(px.baseAddress) else { return }
                for c in candidates {
                    let x = Int(c.x), y = Int(c.y)
                    let r = useSIMD ? ORBKernels.harris(base, width: level.width, x, y)
                                    : ORBKernels.harrisScalar(px, width: level.width, x, y)
                    keys.append(Self.rankKey(r, x: c.x, y: c.y))
                }
            }
            keys.sort()
            let ranked = keys.prefix(quota).map(Self.unrank)
            carry = quota - ranked.count
            guard !ranked.isEmpty else { continue }
            // The scalar path smooths the whole level; the SIMD path only each keypoint's patch.
            let smooth = useSIMD ? level : LocalBlur.scalar(level)
            let sx = Float(grey.width) / Float(level.width), sy = Float(grey.height) / Float(level.height)
            level.pixels.withUnsafeBufferPointer { px in
                smooth.pixels.withUnsafeBufferPointer { sm in
                    guard let base = UnsafeRawPointer(px.baseAddress) else { return }
                    let w = level.width
                    for c in ranked {
                        let x = Int(c.x), y = Int(c.y)
                        let (m10, m01) = useSIMD ? ORBKernels.moments(base, width: w, x, y)
                                                 : ORBKernels.momentsScalar(px, width: w, x, y)
                        let angle = LocalMath.atan2f(Float(m01), Float(m10))
                        let cs = LocalMath.cosf(angle), sn = LocalMath.sinf(angle)
                        if useSIMD {
                            LocalBlur.patch(px, width: w, height: level.height, cx: x, cy: y,
                                            window: scratch.window, rows: scratch.rows, into: scratch.patch)
                        }
                        func describe(_ mirror: Bool) -> Hash256 {
                            let r = LocalBlur.patchRadius
                            return useSIMD
                                ? pattern.describe(scratch.patchBuffer, width: LocalBlur.patchStride,
                                                   cx: r, cy: r, cos: cs, sin: sn, mirror: mirror)
                                : pattern.describeScalar(sm, width: w, cx: x, cy: y, cos: cs, sin: sn, mirror: mirror)
                        }
                        let d = describe(false)
                        // A near-constant descriptor comes from a flat patch (ties read as 0): it would
                        // match flat patches of every work, so it is dropped.
                        let ones = d.words[0].nonzeroBitCount + d.words[1].nonzeroBitCount
                            + d.words[2].nonzeroBitCount + d.words[3].nonzeroBitCount
                        guard ones >= Self.minDescriptorBits, ones <= 256 - Self.minDescriptorBits else { continue }
                        keypoints.append(LocalKeypoint(x: (Float(x) + 0.5) * sx - 0.5, y: (Float(y) + 0.5) * sy - 0.5,
                                                       level: l, scale: (sx + sy) / 2, angle: angle, response: c.r))
                        descriptors.append(d)
                        if includeMirrored { mirrored.append(describe(true)) }
                    }
                }
            }
        }
        return LocalFeatures(width: grey.width, height: grey.height, keypoints: keypoints,
                             descriptors: descriptors, mirroredDescriptors: includeMirrored ? mirrored : nil)
    }

    /// Harris is measured on at most this many corners per keypoint of the quota, the strongest by
    /// FAST score — OpenCV's ORB keeps the best 2 N FAST corners before its Harris ranking. It
    /// bounds the cost on busy or contrast-stretched levels (large photos: 19 → 11 ms). 4, not 2:
    /// with 2, three edit kinds of LocalFeatureMatchTests lost a verified copy on the 384-px
    /// fixtures; with 4 none did and the 520-query benchmark kept 508 / 520 (ORB.md).
    static let harrisCandidates = 4

    /// The corners scoring above `threshold`, at most `count` of them: the highest scores, ties in
    /// raster order (the order of `all`). Linear: a histogram of the 8-bit scores finds the cut.
    static func strongest(_ all: [(x: Int32, y: Int32, score: UInt8)], above threshold: Int,
                          count: Int) -> [(x: Int32, y: Int32, score: UInt8)] {
        var hist = [Int](repeating: 0, count: 256)
        var n = 0
        for c in all where Int(c.score) > threshold { hist[Int(c.score)] += 1; n += 1 }
        guard n > count else { return all.filter { Int($0.score) > threshold } }
        // cut: the score whose corners no longer all fit; `room` of them are kept, first in raster order.
        var cut = 255, kept = 0
        while cut > threshold, kept + hist[cut] <= count { kept += hist[cut]; cut -= 1 }
        var room = count - kept
        var out: [(x: Int32, y: Int32, score: UInt8)] = []
        out.reserveCapacity(count)
        for c in all where Int(c.score) >= cut && Int(c.score) > threshold {
            if Int(c.score) > cut { out.append(c) } else if room > 0 { out.append(c); room -= 1 }
        }
        return out
    }

    /// A key whose ascending order is (response descending, y ascending, x ascending); the
    /// response's IEEE bits mapped to an order-preserving unsigned integer (−0 read as +0).
    static func rankKey(_ r: Float, x: Int32, y: Int32) -> UInt64 {
        let bits = (r == 0 ? 0 : r).bitPattern
        let ascending = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        return UInt64(~ascending) << 32 | UInt64(UInt16(truncatingIfNeeded: y)) << 16 | UInt64(UInt16(truncatingIfNeeded: x))
    }

    static func unrank(_ k: UInt64) -> (x: Int32, y: Int32, r: Float) {
        let ascending = ~UInt32(truncatingIfNeeded: k >> 32)
        let bits = ascending & 0x8000_0000 != 0 ? ascending & 0x7FFF_FFFF : ~ascending
        return (Int32(k & 0xFFFF), Int32((k >> 16) & 0xFFFF), Float(bitPattern: bits))
    }

    /// Local maxima of the FAST score inside the keypoint border (ties: the first in raster order
    /// wins): earlier neighbours must be strictly smaller, later ones not larger. 32 pixels are
    /// compared at a time (masks combined as 64-bit words, see `LocalFAST.select`); the tail
    /// columns use the same test one pixel at a time.
    static func nonMaxSuppressed(_ s: [UInt8], width w: Int, height h: Int) -> [(x: Int32, y: Int32, score: UInt8)] {
        var out: [(x: Int32, y: Int32, score: UInt8)] = []
        let e = edge
        guard w > 2 * e, h > 2 * e else { return out }
        typealias V = SIMD32<UInt8>
        typealias Words = SIMD4<UInt64>
        let zero = V.zero
        s.withUnsafeBufferPointer { sp in
            guard let raw = UnsafeRawPointer(sp.baseAddress) else { return }
            @inline(__always) func bits(_ m: SIMDMask<SIMD32<Int8>>) -> Words { unsafeBitCast(m, to: Words.self) }
            for y in e..<(h - e) {
                let y32 = Int32(truncatingIfNeeded: y)
                var x = e
                while x + 32 <= w - e {
                    let i = y &* w &+ x
                    @inline(__always) func ld(_ o: Int) -> V { raw.loadUnaligned(fromByteOffset: i &+ o, as: V.self) }
                    let v = ld(0)
                    let nz = bits(v .> zero)
                    if nz[0] | nz[1] | nz[2] | nz[3] == 0 { x += 32; continue }
                    let m = nz & bits(ld(-w - 1) .< v) & bits(ld(-w) .< v) & bits(ld(-w + 1) .< v) & bits(ld(-1) .< v)
                        & bits(ld(1) .<= v) & bits(ld(w - 1) .<= v) & bits(ld(w) .<= v) & bits(ld(w + 1) .<= v)
                    for q in 0..<4 {
                        var word = m[q]
                        while word != 0 {
                            let lane = 8 * q + word.trailingZeroBitCount / 8
                            word &= ~(UInt64(0xFF) << UInt64(8 * (lane - 8 * q)))
                            out.append((Int32(truncatingIfNeeded: x &+ lane), y32, sp[i &+ lane]))
                        }
                    }
                    x += 32
                }
                while x < w - e {
                    let i = y * w + x
                    let v = sp[i]
                    if v != 0,
                       sp[i - w - 1] < v, sp[i - w] < v, sp[i - w + 1] < v, sp[i - 1] < v,
                       sp[i + 1] <= v, sp[i + w - 1] <= v, sp[i + w] <= v, sp[i + w + 1] <= v {
                        out.append((Int32(x), Int32(y), v))
                    }
                    x += 1
                }
            }
        }
        return out
    }
}
