/// FAST-9 segment test (E. Rosten, T. Drummond, "Machine learning for high-speed corner detection",
/// ECCV 2006): a pixel is a corner when 9 contiguous pixels of the 16-pixel Bresenham circle of
/// radius 3 are all brighter than centre + t, or all darker than centre − t.
///
/// Score (for non-maximum suppression): the larger of Σ max(0, p − c − t) over the circle and
/// Σ max(0, c − p − t) — the sum-of-absolute-differences score of the FAST paper. It is > 0 exactly on
/// corners. Returned as one `UInt16` per pixel (0 elsewhere, including the 3-pixel border).
/// The SIMD kernel and its scalar twin return identical arrays.
public enum LocalFAST {
    /// Circle offsets (dx, dy), clockwise from 12 o'clock.
    static let circle: [(Int, Int)] = [
        (0, -3), (1, -3), (2, -2), (3, -1), (3, 0), (3, 1), (2, 2), (1, 3),
        (0, 3), (-1, 3), (-2, 2), (-3, 1), (-3, 0), (-3, -1), (-2, -2), (-1, -3),
    ]

    /// True when the 16-bit circular mask holds a run of at least 9 set bits.
    @inline(__always) static func hasRun9(_ m: UInt32) -> Bool {
        let m2 = m | (m << 16)
        let a = m2 & (m2 >> 1)
        let b = a & (a >> 2)
        let c = b & (b >> 4)
        return c & (m2 >> 8) != 0
    }

    public static func scalar(_ img: GreyImage, threshold: Int) -> [UInt16] {
        let w = img.width, h = img.height
        var out = [UInt16](repeating: 0, count: w * h)
        guard w >= 7, h >= 7 else { return out }
        let t = Int16(clamping: max(0, min(threshold, 255)))
        for y in 3..<(h - 3) {
            for x in 3..<(w - 3) {
                let c = Int16(img.pixels[y * w + x])
                var bright: UInt32 = 0, dark: UInt32 = 0
                var sb: Int16 = 0, sd: Int16 = 0
                for (i, (dx, dy)) in circle.enumerated() {
                    let p = Int16(img.pixels[(y + dy) * w + x + dx])
                    let db = p - c - t, dd = c - p - t
                    if db > 0 { bright |= 1 << UInt32(i); sb += db }
                    if dd > 0 { dark |= 1 << UInt32(i); sd += dd }
                }
                let isB = hasRun9(bright), isD = hasRun9(dark)
                if isB || isD { out[y * w + x] = UInt16(max(isB ? sb : 0, isD ? sd : 0)) }
            }
        }
        return out
    }

    public static func simd(_ img: GreyImage, threshold: Int) -> [UInt16] {
        let w = img.width, h = img.height
        var out = [UInt16](repeating: 0, count: w * h)
        guard w >= 7, h >= 7 else { return out }
        let t = Int16(clamping: max(0, min(threshold, 255)))
        let offsets = circle.map { $0.1 * w + $0.0 }
        img.pixels.withUnsafeBufferPointer { buf in
            out.withUnsafeMutableBufferPointer { dst in
                guard let base = UnsafeRawPointer(buf.baseAddress) else { return }
                for y in 3..<(h - 3) {
                    var x = 3
                    while x + 16 <= w - 3 {
                        let i0 = y * w + x
                        let c = SIMD16<Int16>(truncatingIfNeeded: base.loadUnaligned(fromByteOffset: i0, as: SIMD16<UInt8>.self))
                        var bright = SIMD16<UInt16>.zero, dark = SIMD16<UInt16>.zero
                        var sb = SIMD16<Int16>.zero, sd = SIMD16<Int16>.zero
                        for i in 0..<16 {
                            let p = SIMD16<Int16>(truncatingIfNeeded: base.loadUnaligned(fromByteOffset: i0 + offsets[i], as: SIMD16<UInt8>.self))
                            let db = p &- c &- t, dd = c &- p &- t
                            let bit = UInt16(1) << UInt16(i)
                            bright.replace(with: bright | bit, where: db .> 0)
                            dark.replace(with: dark | bit, where: dd .> 0)
                            sb &+= db.replacing(with: 0, where: db .< 0)
                            sd &+= dd.replacing(with: 0, where: dd .< 0)
                        }
                        let bw = SIMD16<UInt32>(truncatingIfNeeded: bright), dw = SIMD16<UInt32>(truncatingIfNeeded: dark)
                        let b2 = bw | (bw &<< 16), d2 = dw | (dw &<< 16)
                        let ba = b2 & (b2 &>> 1), da = d2 & (d2 &>> 1)
                        let bb = ba & (ba &>> 2), db4 = da & (da &>> 2)
                        let isB = (bb & (bb &>> 4) & (b2 &>> 8)) .!= 0
                        let isD = (db4 & (db4 &>> 4) & (d2 &>> 8)) .!= 0
                        let vb = SIMD16<Int32>(truncatingIfNeeded: sb).replacing(with: 0, where: .!isB)
                        let vd = SIMD16<Int32>(truncatingIfNeeded: sd).replacing(with: 0, where: .!isD)
                        let score = SIMD16<UInt16>(truncatingIfNeeded: vb.replacing(with: vd, where: vd .> vb))
                        if score != .zero {
                            for l in 0..<16 { dst[i0 + l] = score[l] }
                        }
                        x += 16
                    }
                    // Tail columns: the scalar formula.
                    while x < w - 3 {
                        let c = Int16(buf[y * w + x])
                        var bright: UInt32 = 0, dark: UInt32 = 0
                        var sb: Int16 = 0, sd: Int16 = 0
                        for i in 0..<16 {
                            let p = Int16(buf[y * w + x + offsets[i]])
                            let db = p - c - t, dd = c - p - t
                            if db > 0 { bright |= 1 << UInt32(i); sb += db }
                            if dd > 0 { dark |= 1 << UInt32(i); sd += dd }
                        }
                        let isB = hasRun9(bright), isD = hasRun9(dark)
                        if isB || isD { dst[y * w + x] = UInt16(max(isB ? sb : 0, isD ? sd : 0)) }
                        x += 1
                    }
                }
            }
        }
        return out
    }
}
