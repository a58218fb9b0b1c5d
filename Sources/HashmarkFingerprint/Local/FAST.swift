/// FAST-9 segment test (E. Rosten, T. Drummond, "Machine learning for high-speed corner detection",
/// ECCV 2006): a pixel is a corner at threshold t when 9 contiguous pixels of the 16-pixel Bresenham
/// circle of radius 3 are all brighter than centre + t, or all darker than centre − t.
///
/// One pass gives every threshold at once: the score of a pixel is the largest difference d such
/// that 9 contiguous circle pixels all differ from the centre by ≥ d in the same direction,
/// max over both polarities and the 16 arcs of the arc's minimum difference (OpenCV's FAST uses the
/// same measure for non-maximum suppression). A pixel is a corner at threshold t exactly when its
/// score > t, so the extractor lowers its threshold by filtering, not by re-running the detector.
///
/// Output: one byte per pixel; the score where it exceeds `minThreshold`, 0 elsewhere (including the
/// `margin`-pixel border, at least 3: the extractor asks only for the pixels its keypoints and their
/// suppression neighbours can use). `minThreshold` lets the kernel skip pixels cheaply: an arc of 9
/// always holds two neighbouring compass pixels (0°, 90°, 180°, 270°), which bounds the score. The SIMD kernel and
/// its scalar twin return identical bytes.
public enum LocalFAST {
    /// Circle offsets (dx, dy), clockwise from 12 o'clock.
    static let circle: [(Int, Int)] = [
        (0, -3), (1, -3), (2, -2), (3, -1), (3, 0), (3, 1), (2, 2), (1, 3),
        (0, 3), (-1, 3), (-2, 2), (-3, 1), (-3, 0), (-3, -1), (-2, -2), (-1, -3),
    ]

    /// Plain reference implementation.
    @_spi(Testing) public static func scoresScalar(_ img: GreyImage, minThreshold: Int, margin: Int = 3) -> [UInt8] {
        let w = img.width, h = img.height
        var out = [UInt8](repeating: 0, count: w * h)
        let m = max(3, margin)
        guard w > 2 * m, h > 2 * m else { return out }
        let tMin = max(0, min(minThreshold, 255))
        for y in m..<(h - m) {
            for x in m..<(w - m) {
                let c = Int(img.pixels[y * w + x])
                var best = 0
                for k in 0..<16 {
                    var lo = 255, hi = 255
                    for j in 0..<9 {
                        let (dx, dy) = circle[(k + j) & 15]
                        let p = Int(img.pixels[(y + dy) * w + x + dx])
                        lo = min(lo, max(0, p - c))
                        hi = min(hi, max(0, c - p))
                    }
                    best = max(best, lo, hi)
                }
                if best > tMin { out[y * w + x] = UInt8(best) }
            }
        }
        return out
    }

    public static func scores(_ img: GreyImage, minThreshold: Int, margin: Int = 3) -> [UInt8] {
        let w = img.width, h = img.height
        var out = [UInt8](repeating: 0, count: w * h)
        let m = max(3, margin)
        guard w > 2 * m, h > 2 * m else { return out }
        let tMin = UInt8(max(0, min(minThreshold, 255)))
        let off = circle.map { $0.1 * w + $0.0 }
        let o0 = off[0], o4 = off[4], o8 = off[8], o12 = off[12]
        let tMinV = SIMD32<UInt8>(repeating: tMin)
        typealias V = SIMD32<UInt8>
        img.pixels.withUnsafeBufferPointer { buf in
            out.withUnsafeMutableBufferPointer { dst in
                guard let base = UnsafeRawPointer(buf.baseAddress), let outBase = dst.baseAddress else { return }
                withUnsafeTemporaryAllocation(of: V.self, capacity: 32) { tmp in
                    guard let t = tmp.baseAddress else { return }
                    func block(_ i0: Int) {
                        @inline(__always) func ld(_ o: Int) -> V { base.loadUnaligned(fromByteOffset: i0 + o, as: V.self) }
                        let c = ld(0)
                        // Saturating differences: p ⊖ c = max(p, c) − c, c ⊖ p = c − min(p, c).
                        let p0 = ld(o0), p4 = ld(o4), p8 = ld(o8), p12 = ld(o12)
                        let b0 = vmax(p0, c) &- c, b4 = vmax(p4, c) &- c
                        let b8 = vmax(p8, c) &- c, b12 = vmax(p12, c) &- c
                        let d0 = c &- vmin(p0, c), d4 = c &- vmin(p4, c)
                        let d8 = c &- vmin(p8, c), d12 = c &- vmin(p12, c)
                        let bound = vmax(
                            vmax(vmax(vmin(b0, b4), vmin(b4, b8)),
                                         vmax(vmin(b8, b12), vmin(b12, b0))),
                            vmax(vmax(vmin(d0, d4), vmin(d4, d8)),
                                         vmax(vmin(d8, d12), vmin(d12, d0))))
                        let live = unsafeBitCast(bound .> tMinV, to: Words.self)
                        guard live[0] | live[1] | live[2] | live[3] != 0 else { return }
                        // t[0..<16]: bright differences, t[16..<32]: dark.
                        for k in 0..<16 {
                            let p = ld(off[k])
                            t[k] = vmax(p, c) &- c
                            t[k + 16] = c &- vmin(p, c)
                        }
                        let best = vmax(arcScore(t), arcScore(t + 16))
                        let r = select(.zero, best, where: best .> tMinV)
                        UnsafeMutableRawPointer(outBase + i0).storeBytes(of: r, as: V.self)
                    }
                    for y in m..<(h - m) {
                        var x = m
                        while x + 32 <= w - m { block(y * w + x); x += 32 }
                        if x < w - m {
                            // The last, overlapping block recomputes a few pixels to the same bytes.
                            if w - 2 * m >= 32 { block(y * w + w - m - 32) } else {
                                while x < w - m { outBase[y * w + x] = scoreAt(buf, y * w + x, off, tMin); x += 1 }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    // The standard library's pointwiseMin/Max, replacing(with:where:) and the bitwise operators of
    // SIMD32<UInt8> run lane by lane (a scalar loop per call); comparisons and the bitwise operators
    // of SIMD4<UInt64> do not. So the select is written on the same 32 bytes seen as 4 × 64 bits
    // (a comparison mask is all-ones/all-zero bytes), which LLVM folds into vpminub/vpmaxub.
    // The scalar-twin tests check the result.
    typealias Words = SIMD4<UInt64>
    @inline(__always) static func select(_ a: SIMD32<UInt8>, _ b: SIMD32<UInt8>, where m: SIMDMask<SIMD32<Int8>>) -> SIMD32<UInt8> {
        let mw = unsafeBitCast(m, to: Words.self), aw = unsafeBitCast(a, to: Words.self)
        let bw = unsafeBitCast(b, to: Words.self)
        return unsafeBitCast(aw ^ ((aw ^ bw) & mw), to: SIMD32<UInt8>.self)
    }
    @inline(__always) static func vmin(_ a: SIMD32<UInt8>, _ b: SIMD32<UInt8>) -> SIMD32<UInt8> { select(a, b, where: b .< a) }
    @inline(__always) static func vmax(_ a: SIMD32<UInt8>, _ b: SIMD32<UInt8>) -> SIMD32<UInt8> { select(a, b, where: b .> a) }

    /// Max over the 16 arcs of 9 of the arc's minimum, for 16 difference vectors t[0..<16] (unrolled:
    /// pairs, quadruples, then 8 + 1).
    @inline(__always) static func arcScore(_ t: UnsafeMutablePointer<SIMD32<UInt8>>) -> SIMD32<UInt8> {
        let d0 = t[0]
        let d1 = t[1]
        let d2 = t[2]
        let d3 = t[3]
        let d4 = t[4]
        let d5 = t[5]
        let d6 = t[6]
        let d7 = t[7]
        let d8 = t[8]
        let d9 = t[9]
        let d10 = t[10]
        let d11 = t[11]
        let d12 = t[12]
        let d13 = t[13]
        let d14 = t[14]
        let d15 = t[15]
        let a0 = vmin(d0, d1)
        let a1 = vmin(d1, d2)
        let a2 = vmin(d2, d3)
        let a3 = vmin(d3, d4)
        let a4 = vmin(d4, d5)
        let a5 = vmin(d5, d6)
        let a6 = vmin(d6, d7)
        let a7 = vmin(d7, d8)
        let a8 = vmin(d8, d9)
        let a9 = vmin(d9, d10)
        let a10 = vmin(d10, d11)
        let a11 = vmin(d11, d12)
        let a12 = vmin(d12, d13)
        let a13 = vmin(d13, d14)
        let a14 = vmin(d14, d15)
        let a15 = vmin(d15, d0)
        let b0 = vmin(a0, a2)
        let b1 = vmin(a1, a3)
        let b2 = vmin(a2, a4)
        let b3 = vmin(a3, a5)
        let b4 = vmin(a4, a6)
        let b5 = vmin(a5, a7)
        let b6 = vmin(a6, a8)
        let b7 = vmin(a7, a9)
        let b8 = vmin(a8, a10)
        let b9 = vmin(a9, a11)
        let b10 = vmin(a10, a12)
        let b11 = vmin(a11, a13)
        let b12 = vmin(a12, a14)
        let b13 = vmin(a13, a15)
        let b14 = vmin(a14, a0)
        let b15 = vmin(a15, a1)
        var m = vmin(vmin(b0, b4), d8)
        m = vmax(m, vmin(vmin(b1, b5), d9))
        m = vmax(m, vmin(vmin(b2, b6), d10))
        m = vmax(m, vmin(vmin(b3, b7), d11))
        m = vmax(m, vmin(vmin(b4, b8), d12))
        m = vmax(m, vmin(vmin(b5, b9), d13))
        m = vmax(m, vmin(vmin(b6, b10), d14))
        m = vmax(m, vmin(vmin(b7, b11), d15))
        m = vmax(m, vmin(vmin(b8, b12), d0))
        m = vmax(m, vmin(vmin(b9, b13), d1))
        m = vmax(m, vmin(vmin(b10, b14), d2))
        m = vmax(m, vmin(vmin(b11, b15), d3))
        m = vmax(m, vmin(vmin(b12, b0), d4))
        m = vmax(m, vmin(vmin(b13, b1), d5))
        m = vmax(m, vmin(vmin(b14, b2), d6))
        m = vmax(m, vmin(vmin(b15, b3), d7))
        return m
    }

    /// The score of one pixel (narrow images, narrower than one vector).
    static func scoreAt(_ px: UnsafeBufferPointer<UInt8>, _ i: Int, _ off: [Int], _ tMin: UInt8) -> UInt8 {
        let c = Int(px[i])
        var best = 0
        for k in 0..<16 {
            var lo = 255, hi = 255
            for j in 0..<9 {
                let p = Int(px[i + off[(k + j) & 15]])
                lo = min(lo, max(0, p - c)); hi = min(hi, max(0, c - p))
            }
            best = max(best, lo, hi)
        }
        return best > Int(tMin) ? UInt8(best) : 0
    }
}
