/// A keypoint chosen on a level: its position and Harris response.
typealias RankedCorner = (x: Int32, y: Int32, r: Float)

/// The per-level keypoint budget: geometric in 1 / scaleFactor (level l gets first · f^l of
/// `maxKeypoints`, f = 1 / scaleFactor), the budget a level leaves unused carried to the next, the
/// last level taking whatever remains.
struct LevelQuotas {
    let total: Int
    let levels: Int
    let f: Double
    let first: Double

    init(total: Int, levels: Int, factor: Double) {
        self.total = total
        self.levels = levels
        f = 1.0 / factor
        first = Double(total) * (1 - f) / (1 - LocalMath.ipow(f, levels))
    }

    /// The quota of level `l` with `kept` keypoints already kept and `carry` left by the level before.
    func quota(level l: Int, kept: Int, carry: Int) -> Int {
        l == levels - 1 ? total - kept : min(total - kept, Int((first * LocalMath.ipow(f, l)).rounded()) + carry)
    }
}

/// Step 3, the ranking: of a level's corners above the threshold, the `harrisCandidates * quota`
/// strongest by FAST score (`strongest`), then the `quota` best of those by the Harris measure
/// (k = 0.04, 7 × 7 window; `harrisRanked`).
extension LocalFeatureExtractor {
    /// Harris is measured on at most this many corners per keypoint of the quota, the strongest by
    /// FAST score — OpenCV's ORB keeps the best 2 N FAST corners before its Harris ranking. It
    /// bounds the cost on busy or contrast-stretched levels (large photos: 19 → 11 ms). 4, not 2:
    /// with 2, three edit kinds of LocalFeatureMatchTests lost a verified copy on the 384-px
    /// fixtures; with 4 none did and the 520-query benchmark kept 508 / 520 (ORB.md).
    static let harrisCandidates = 4

    /// The corners scoring above `threshold`, at most `count` of them: the highest scores, ties in
    /// raster order (the order of `all`). Linear: a histogram of the 8-bit scores finds the cut.
    static func strongest(_ all: [FASTCorner], above threshold: Int, count: Int) -> [FASTCorner] {
        var hist = [Int](repeating: 0, count: 256)
        var n = 0
        for c in all where Int(c.score) > threshold { hist[Int(c.score)] += 1; n += 1 }
        guard n > count else { return all.filter { Int($0.score) > threshold } }
        // cut: the score whose corners no longer all fit; `room` of them are kept, first in raster order.
        var cut = 255, kept = 0
        while cut > threshold, kept + hist[cut] <= count { kept += hist[cut]; cut -= 1 }
        var room = count - kept
        var out: [FASTCorner] = []
        out.reserveCapacity(count)
        for c in all where Int(c.score) >= cut && Int(c.score) > threshold {
            if Int(c.score) > cut { out.append(c) } else if room > 0 { out.append(c); room -= 1 }
        }
        return out
    }

    /// The `quota` candidates with the largest Harris response on `level`, in the order of
    /// `rankKey` (response descending, then raster order).
    static func harrisRanked(_ candidates: [FASTCorner], on level: GreyImage, quota: Int, useSIMD: Bool) -> [RankedCorner] {
        var keys: [UInt64] = []
        keys.reserveCapacity(candidates.count)
        level.pixels.withUnsafeBufferPointer { px in
            guard let base = UnsafeRawPointer(px.baseAddress) else { return }
            for c in candidates {
                let x = Int(c.x), y = Int(c.y)
                let r = useSIMD ? ORBKernels.harris(base, width: level.width, x, y)
                                : ORBKernels.harrisScalar(px, width: level.width, x, y)
                keys.append(rankKey(r, x: c.x, y: c.y))
            }
        }
        keys.sort()
        return keys.prefix(quota).map(unrank)
    }

    /// A key whose ascending order is (response descending, y ascending, x ascending); the
    /// response's IEEE bits mapped to an order-preserving unsigned integer (−0 read as +0).
    static func rankKey(_ r: Float, x: Int32, y: Int32) -> UInt64 {
        let bits = (r == 0 ? 0 : r).bitPattern
        let ascending = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        return UInt64(~ascending) << 32 | UInt64(UInt16(truncatingIfNeeded: y)) << 16 | UInt64(UInt16(truncatingIfNeeded: x))
    }

    static func unrank(_ k: UInt64) -> RankedCorner {
        let ascending = ~UInt32(truncatingIfNeeded: k >> 32)
        let bits = ascending & 0x8000_0000 != 0 ? ascending & 0x7FFF_FFFF : ~ascending
        return (Int32(k & 0xFFFF), Int32((k >> 16) & 0xFFFF), Float(bitPattern: bits))
    }
}
