/// A FAST corner of a level: its position and FAST score (see `LocalFAST`).
typealias FASTCorner = (x: Int32, y: Int32, score: UInt8)

/// Step 2, the threshold: the FAST-9 corners of each level (scores from one `LocalFAST` pass,
/// 3 × 3 non-maximum suppression) and the threshold they are cut at. The threshold starts at
/// `fastThreshold` and, on a level short of corners for its quota, is halved down to
/// `minFastThreshold`. State carried from level to level: the floor the passes reached and a guide
/// for the shallow pass.
struct FASTThreshold {
    /// The thresholds tried on a level short of corners: the start, halved down to the minimum.
    let thresholds: [Int]
    /// The floors of the FAST passes: the starting threshold, then the second-lowest and lowest.
    let floors: [Int]
    /// The floor the previous level ended on.
    var floorIndex = 0
    /// The previous level's weakest Harris candidate score (0: none to go by).
    var guide = 0

    init(start: Int, minimum: Int) {
        var thresholds = [max(0, min(start, 255))]
        while let t = thresholds.last, max(minimum, t / 2) < t { thresholds.append(max(minimum, t / 2)) }
        var floors = [thresholds[0]]
        for t in thresholds.suffix(2) where t < floors[floors.count - 1] { floors.append(t) }
        self.thresholds = thresholds
        self.floors = floors
    }

    /// The suppressed corners of `level` scoring above `t` (a pass down to `t`).
    static func corners(of level: GreyImage, above t: Int, useSIMD: Bool) -> [FASTCorner] {
        // Suppression reads the scores one pixel outside the keypoint border, no further.
        let margin = LocalFeatureExtractor.edge - 1
        let scores = useSIMD ? LocalFAST.scores(level, minThreshold: t, margin: margin)
                             : LocalFAST.scoresScalar(level, minThreshold: t, margin: margin)
        return nonMaxSuppressed(scores, width: level.width, height: level.height)
    }

    /// The corners of `level` from its deepest FAST pass and the threshold for `quota` keypoints:
    /// the largest of `thresholds` whose suppressed corners meet the quota, else the lowest. A pass
    /// down to f gives the same suppressed corners above any t ≥ f as a pass down to t (zeroed
    /// neighbours were below them anyway), so any pass deep enough decides it. The passes go down
    /// the floors only while short of corners (a pass at 2 is dearer than one at 5), starting at
    /// the floor the previous level ended on: a faint image is short on every level, and its
    /// first, shallow passes would be wasted.
    ///
    /// A busy level needs only its `wanted` (`harrisCandidates * quota`) strongest corners. When a
    /// pass down to a floor above the starting threshold already finds that many, they are the
    /// same strongest corners, and the starting threshold meets the quota: that shallower pass,
    /// far cheaper (most blocks fail its bound), decides the level. Its floor is a guess from the
    /// previous level's weakest candidate (0.6 of it: from level to level that score falls by at
    /// most a quarter on the benchmark's images); a wrong guess costs one shallow pass. The scalar
    /// path does without, so the twin test checks it.
    mutating func corners(of level: GreyImage, quota: Int, wanted: Int, useSIMD: Bool) -> (corners: [FASTCorner], threshold: Int) {
        var all: [FASTCorner] = []
        let shallow = guide * 6 / 10
        if useSIMD, shallow > floors[0] {
            all = Self.corners(of: level, above: shallow, useSIMD: useSIMD)
            if all.count < wanted { all = [] }
        }
        guard all.isEmpty else { return (all, thresholds[0]) }
        all = Self.corners(of: level, above: floors[floorIndex], useSIMD: useSIMD)
        while all.count < quota, floorIndex + 1 < floors.count {
            floorIndex += 1
            all = Self.corners(of: level, above: floors[floorIndex], useSIMD: useSIMD)
        }
        let floor = floors[floorIndex]
        func meetsQuota(_ t: Int) -> Bool { all.lazy.filter { Int($0.score) > t }.count >= quota }
        return (all, thresholds.first { $0 >= floor && meetsQuota($0) } ?? floor)
    }

    /// Records the level's Harris candidates as the guide of the next level's shallow pass: their
    /// weakest score when the level had `wanted` of them, else none.
    mutating func remember(_ candidates: [FASTCorner], wanted: Int) {
        guide = candidates.count == wanted ? Int(candidates.lazy.map(\.score).min() ?? 0) : 0
    }

    /// Local maxima of the FAST score inside the keypoint border (ties: the first in raster order
    /// wins): earlier neighbours must be strictly smaller, later ones not larger. 32 pixels are
    /// compared at a time (masks combined as 64-bit words, see `LocalFAST.select`); the tail
    /// columns use the same test one pixel at a time.
    static func nonMaxSuppressed(_ s: [UInt8], width w: Int, height h: Int) -> [FASTCorner] {
        var out: [FASTCorner] = []
        let e = LocalFeatureExtractor.edge
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
