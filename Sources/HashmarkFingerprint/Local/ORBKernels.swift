/// Per-keypoint kernels of the extractor: Harris measure, intensity-centroid moments, steered BRIEF.
/// Each has a plain scalar twin; both return the same values (integer sums, or identical Float
/// operations lane by lane), which `extract(…, useSIMD: false)` and the kernel tests check.
enum ORBKernels {
    // MARK: Harris

    /// Harris corner measure det(M) − 0.04 tr(M)² over a 7 × 7 window of central differences.
    /// (x, y) must lie ≥ 4 pixels inside the image.
    static func harrisScalar(_ p: UnsafeBufferPointer<UInt8>, width w: Int, _ x: Int, _ y: Int) -> Float {
        var a: Int64 = 0, b: Int64 = 0, c: Int64 = 0
        for dy in -3...3 {
            let r = (y + dy) * w
            for dx in -3...3 {
                let i = r + x + dx
                let ix = Int64(p[i + 1]) - Int64(p[i - 1])
                let iy = Int64(p[i + w]) - Int64(p[i - w])
                a += ix * ix; b += iy * iy; c += ix * iy
            }
        }
        return harrisValue(a, b, c)
    }

    @inline(__always) static func harrisValue(_ a: Int64, _ b: Int64, _ c: Int64) -> Float {
        let fa = Float(a), fb = Float(b), fc = Float(c)
        return fa * fb - fc * fc - 0.04 * (fa + fb) * (fa + fb)
    }

    static let sevenLanes = SIMD8<Int32>(1, 1, 1, 1, 1, 1, 1, 0)

    /// One row of the window per step, 8 lanes (the 8th masked). (x, y) must lie ≥ 5 pixels inside
    /// (the vector reads one column past the window).
    static func harris(_ base: UnsafeRawPointer, width w: Int, _ x: Int, _ y: Int) -> Float {
        var a = SIMD8<Int32>.zero, b = SIMD8<Int32>.zero, c = SIMD8<Int32>.zero
        for dy in -3...3 {
            let i = (y + dy) * w + x - 3
            let l = SIMD8<Int32>(truncatingIfNeeded: base.loadUnaligned(fromByteOffset: i - 1, as: SIMD8<UInt8>.self))
            let r = SIMD8<Int32>(truncatingIfNeeded: base.loadUnaligned(fromByteOffset: i + 1, as: SIMD8<UInt8>.self))
            let u = SIMD8<Int32>(truncatingIfNeeded: base.loadUnaligned(fromByteOffset: i - w, as: SIMD8<UInt8>.self))
            let d = SIMD8<Int32>(truncatingIfNeeded: base.loadUnaligned(fromByteOffset: i + w, as: SIMD8<UInt8>.self))
            let ix = (r &- l) &* sevenLanes, iy = (d &- u) &* sevenLanes
            a &+= ix &* ix; b &+= iy &* iy; c &+= ix &* iy
        }
        return harrisValue(Int64(a.wrappedSum()), Int64(b.wrappedSum()), Int64(c.wrappedSum()))
    }

    // MARK: Orientation

    /// Half-widths of the radius-15 disc, row by row.
    static let discHalfWidth: [Int] = (0...15).map { dy in
        var u = 0
        while (u + 1) * (u + 1) + dy * dy <= 225 { u += 1 }
        return u
    }

    /// First moments (m10, m01) of the radius-15 disc around (x, y).
    static func momentsScalar(_ p: UnsafeBufferPointer<UInt8>, width w: Int, _ x: Int, _ y: Int) -> (Int, Int) {
        var m10 = 0, m01 = 0
        for dy in -15...15 {
            let hw = discHalfWidth[abs(dy)]
            let r = (y + dy) * w + x
            for dx in -hw...hw {
                let v = Int(p[r + dx])
                m10 += dx * v
                m01 += dy * v
            }
        }
        return (m10, m01)
    }

    /// Per row dy (index dy + 15): lane l is column dx = l − 15; the x weight dx and the y weight dy
    /// inside the disc, 0 outside (and in lane 31).
    static let discWeights: [(x: SIMD32<Int32>, y: SIMD32<Int32>)] = (-15...15).map { dy in
        var wx = SIMD32<Int32>.zero, wy = SIMD32<Int32>.zero
        let hw = discHalfWidth[abs(dy)]
        for l in 0..<31 where abs(l - 15) <= hw {
            wx[l] = Int32(l - 15); wy[l] = Int32(dy)
        }
        return (wx, wy)
    }

    /// 32 columns per row; (x, y) must lie ≥ 16 pixels inside the image.
    static func moments(_ base: UnsafeRawPointer, width w: Int, _ x: Int, _ y: Int) -> (Int, Int) {
        var ax = SIMD32<Int32>.zero, ay = SIMD32<Int32>.zero
        discWeights.withUnsafeBufferPointer { wts in
            for r in 0..<31 {
                let v = SIMD32<Int32>(truncatingIfNeeded: base.loadUnaligned(
                    fromByteOffset: (y + r - 15) * w + x - 15, as: SIMD32<UInt8>.self))
                ax &+= v &* wts[r].x
                ay &+= v &* wts[r].y
            }
        }
        return (Int(ax.wrappedSum()), Int(ay.wrappedSum()))
    }

    // MARK: Steered BRIEF

    /// Bit i of the descriptor lives in word i / 64 at bit 63 − i % 64 (Hash256's order).
    @inline(__always) static func setBit(_ words: inout SIMD4<UInt64>, _ i: Int) {
        words[i >> 6] |= UInt64(1) << UInt64(63 - (i & 63))
    }
}

extension BRIEFPattern {
    /// The 256-bit descriptor of the patch centred at (cx, cy) of a smoothed level, steered by
    /// (cos, sin). With `mirror`, the pattern's y is negated: the descriptor the horizontally flipped
    /// image has at the mirrored keypoint (whose centroid angle is π − angle), since
    /// diag(−1, 1) · R(π − θ) = R(θ) · diag(1, −1). (cx, cy) must lie ≥ 14 pixels inside.
    func describeScalar(_ p: UnsafeBufferPointer<UInt8>, width w: Int, cx: Int, cy: Int,
                        cos c: Float, sin s: Float, mirror: Bool) -> Hash256 {
        var words = SIMD4<UInt64>.zero
        let ys: Float = mirror ? -1 : 1
        for (i, pr) in pairs.enumerated() {
            let x1 = Float(pr.x), y1 = Float(pr.y) * ys, x2 = Float(pr.z), y2 = Float(pr.w) * ys
            let u1 = cx + Int((c * x1 - s * y1).rounded()), v1 = cy + Int((s * x1 + c * y1).rounded())
            let u2 = cx + Int((c * x2 - s * y2).rounded()), v2 = cy + Int((s * x2 + c * y2).rounded())
            if p[v1 * w + u1] < p[v2 * w + u2] { ORBKernels.setBit(&words, i) }
        }
        return Hash256(words: words)
    }

    /// The same descriptor, the 512 rotated points computed in a loop the compiler vectorises:
    /// round-half-away-from-zero written as truncation plus a correction (exactly `rounded()`:
    /// x − trunc(x) is exact in binary floating point); each offset, an exact Float integer of
    /// magnitude < 2^22 (|dx|, |dy| ≤ 13, w < 2^16), turned into an Int32 by the bits of
    /// offset + 1.5 · 2^23 (whose unit is exactly 1), which needs no range check.
    func describe(_ p: UnsafeBufferPointer<UInt8>, width w: Int, cx: Int, cy: Int,
                  cos c: Float, sin s: Float, mirror: Bool) -> Hash256 {
        guard pairs.count == 256, xs.count == 512, ys.count == 512 else {
            return describeScalar(p, width: w, cx: cx, cy: cy, cos: c, sin: s, mirror: mirror)
        }
        var words = SIMD4<UInt64>.zero
        let ysign: Float = mirror ? -1 : 1
        let wf = Float(w), centre = cy * w + cx
        @inline(__always) func round(_ x: Float) -> Float {
            let t = x.rounded(.towardZero), f = x - t
            return f >= 0.5 ? t + 1 : (f <= -0.5 ? t - 1 : t)
        }
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 512) { off in
            xs.withUnsafeBufferPointer { xp in
                ys.withUnsafeBufferPointer { yp in
                    for j in 0..<512 {
                        let x = xp[j], y = yp[j] * ysign
                        let o = round(s * x + c * y) * wf + round(c * x - s * y)
                        off[j] = Int32(bitPattern: (o + 12_582_912).bitPattern) &- 0x4B40_0000
                    }
                }
            }
            // 64 tests per word, accumulated in a plain integer (a SIMD4 lane update per bit is slow).
            for q in 0..<4 {
                var acc: UInt64 = 0
                for b in 0..<64 {
                    let i = 64 &* q &+ b
                    let lt = p[centre &+ Int(off[2 &* i])] < p[centre &+ Int(off[2 &* i &+ 1])]
                    acc |= (lt ? 1 : 0) << UInt64(63 &- b)
                }
                words[q] = acc
            }
        }
        return Hash256(words: words)
    }
}
