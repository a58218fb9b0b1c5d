/// Smoothing before the BRIEF tests (ORB smooths each level; a single-pixel test is too noisy).
///
/// A separable 9-tap binomial kernel [1 8 28 56 70 56 28 8 1] / 256 (σ = √2), edges replicated,
/// integer arithmetic with one rounding: out = (Σ_v w_v Σ_h w_h p + 2^15) >> 16. The extractor
/// smooths only the patches its descriptors read (`patch`); `scalar`, the whole image, is its twin.
public enum LocalBlur {
    static let weights: [UInt32] = [1, 8, 28, 56, 70, 56, 28, 8, 1]

    /// Plain reference implementation: the whole image.
    @_spi(Testing) public static func scalar(_ img: GreyImage) -> GreyImage {
        let w = img.width, h = img.height
        guard w > 0, h > 0 else { return img }
        var tmp = [UInt16](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                var s: UInt32 = 0
                for k in 0..<9 { s += weights[k] * UInt32(img.pixels[y * w + min(max(x + k - 4, 0), w - 1)]) }
                tmp[y * w + x] = UInt16(s)
            }
        }
        var out = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                var s: UInt32 = 0
                for k in 0..<9 { s += weights[k] * UInt32(tmp[min(max(y + k - 4, 0), h - 1) * w + x]) }
                out[y * w + x] = UInt8((s + 32768) >> 16)
            }
        }
        return GreyImage(uncheckedWidth: w, height: h, pixels: out)
    }
}

extension LocalBlur {
    /// Half-side of the smoothed patch a descriptor reads: BRIEF points lie within radius 13, so
    /// every rotation of them rounds into the 27 × 27 square around the keypoint.
    static let patchRadius = 13
    /// Row stride of a smoothed patch (`patch` writes 32 bytes per row, the first 27 are the patch).
    static let patchStride = 32
    /// The source window a patch needs (patch + 4 kernel pixels each side) and its row stride
    /// (≥ 35 + the 5 extra bytes the 32 columns of its 9th tap read); `window` of `patch` must hold
    /// `windowSide * windowStride` initialised bytes, `rows` (the horizontal pass)
    /// `windowSide * patchStride` values.
    static let windowSide = 35, windowStride = 48

    /// The buffers `patch` works in (the window zeroed: a row's last bytes are read, never used).
    final class Scratch {
        let window = UnsafeMutablePointer<UInt8>.allocate(capacity: windowSide * windowStride)
        let rows = UnsafeMutablePointer<UInt16>.allocate(capacity: windowSide * patchStride)
        let patch = UnsafeMutablePointer<UInt8>.allocate(capacity: (2 * patchRadius + 1) * patchStride)
        var patchBuffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: patch, count: (2 * patchRadius + 1) * patchStride) }

        init() {
            window.initialize(repeating: 0, count: windowSide * windowStride)
            rows.initialize(repeating: 0, count: windowSide * patchStride)
            patch.initialize(repeating: 0, count: (2 * patchRadius + 1) * patchStride)
        }

        deinit { window.deallocate(); rows.deallocate(); patch.deallocate() }
    }

    /// The 27 × 27 square around (cx, cy) of the smoothed image, rows top to bottom (fresh buffers
    /// for one call; the extractor reuses one `Scratch`).
    public static func patch(_ img: GreyImage, cx: Int, cy: Int) -> [UInt8] {
        guard img.width > 0, img.height > 0 else { return [] }
        let side = 2 * patchRadius + 1, scratch = Scratch()
        img.pixels.withUnsafeBufferPointer { src in
            patch(src, width: img.width, height: img.height, cx: cx, cy: cy,
                  window: scratch.window, rows: scratch.rows, into: scratch.patch)
        }
        return (0..<side).flatMap { j in scratch.patchBuffer[(j * patchStride)..<(j * patchStride + side)] }
    }

    /// The 27 × 27 square around (cx, cy) of the smoothed level — the very bytes `scalar` gives
    /// there, edges replicated — without smoothing the whole level: a descriptor reads ~10 % of
    /// a level's pixels. Row j (y = cy − 13 + j) goes to `out + 32 j`. The window is copied with its
    /// coordinates clamped, then both passes run over 32 columns.
    static func patch(_ src: UnsafeBufferPointer<UInt8>, width w: Int, height h: Int, cx: Int, cy: Int,
                      window: UnsafeMutablePointer<UInt8>, rows: UnsafeMutablePointer<UInt16>,
                      into out: UnsafeMutablePointer<UInt8>) {
        let reach = patchRadius + 4, side = windowSide, stride = windowStride
        guard let base = src.baseAddress else { return }
        for r in 0..<side {
            let y = min(max(cy - reach + r, 0), h - 1)
            let row = window + r * stride
            if cx - reach >= 0, cx + reach < w {
                row.update(from: base + y * w + cx - reach, count: side)
            } else {
                for c in 0..<side { row[c] = base[y * w + min(max(cx - reach + c, 0), w - 1)] }
            }
        }
        // Plain loops of 32 columns over raw pointers: the compiler vectorises them (the SIMD types'
        // lane conversions and scalar products would run lane by lane).
        for r in 0..<side {
            let i = window + r * stride, o = rows + r * patchStride
            for c in 0..<patchStride {
                let s0 = UInt16(i[c]) &+ UInt16(i[c &+ 8]), s1 = UInt16(i[c &+ 1]) &+ UInt16(i[c &+ 7])
                let s2 = UInt16(i[c &+ 2]) &+ UInt16(i[c &+ 6]), s3 = UInt16(i[c &+ 3]) &+ UInt16(i[c &+ 5])
                o[c] = s0 &+ s1 &* 8 &+ s2 &* 28 &+ s3 &* 56 &+ UInt16(i[c &+ 4]) &* 70
            }
        }
        // The vertical pass in 16 bits: with H = 256 a + b per row, S = Σ w H = 256 A + B where
        // A = Σ w a and B = Σ w b are ≤ 65280, and (S + 2^15) >> 16 = (A + (B >> 8) + 128) >> 8
        // (the low byte of B cannot carry past a multiple of 256; A + (B >> 8) ≤ S / 256 ≤ 65280).
        for j in 0..<(2 * patchRadius + 1) {
            let i = rows + j * patchStride, o = out + j * patchStride
            for c in 0..<patchStride {
                @inline(__always) func a(_ k: Int) -> UInt16 { i[k &* patchStride &+ c] >> 8 }
                @inline(__always) func b(_ k: Int) -> UInt16 { i[k &* patchStride &+ c] & 255 }
                let sa = (a(0) &+ a(8)) &+ (a(1) &+ a(7)) &* 8 &+ (a(2) &+ a(6)) &* 28
                    &+ (a(3) &+ a(5)) &* 56 &+ a(4) &* 70
                let sb = (b(0) &+ b(8)) &+ (b(1) &+ b(7)) &* 8 &+ (b(2) &+ b(6)) &* 28
                    &+ (b(3) &+ b(5)) &* 56 &+ b(4) &* 70
                o[c] = UInt8(truncatingIfNeeded: (sa &+ (sb >> 8) &+ 128) >> 8)
            }
        }
    }
}
