extension GreyImage {
    /// Bilinear resampling to `w × h` in 8-bit fixed point (pixel centres aligned): output =
    /// (Σ wy · wx · p + 2^15) >> 16 over the 2 × 2 source pixels, weights in 1/256.
    ///
    /// Separable, the same integers in the other order. The vertical pass blends two whole source
    /// rows per output row (contiguous, vectorised; sums ≤ 65280 fit 16 bits), with the last column
    /// repeated once (the second tap is always the first + 1 but at the last column, where it
    /// repeats). The horizontal pass (`resampleRow`) then runs over the h output rows only.
    public func resized(width w: Int, height h: Int) -> GreyImage {
        guard w > 0, h > 0, width > 0, height > 0 else {
            return GreyImage(uncheckedWidth: max(w, 0), height: max(h, 0),
                             pixels: [UInt8](repeating: 0, count: max(w, 0) * max(h, 0)))
        }
        let xs = Self.taps(w, width), ys = Self.taps(h, height)
        let plan = RowPlan(taps: xs, columns: width)
        // Scratch rows as raw allocations: with more closures around them the compiler stopped
        // vectorising the vertical pass.
        let v = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: width + 1)
        let sums = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: w)
        defer { v.deallocate(); sums.deallocate() }
        let out = [UInt8](unsafeUninitializedCapacity: w * h) { dst, initialized in
            pixels.withUnsafeBufferPointer { src in
                plan.shift.withUnsafeBufferPointer { shift in plan.fx.withUnsafeBufferPointer { fx in
                plan.blockLow.withUnsafeBufferPointer { low in plan.blockSpan.withUnsafeBufferPointer { span in
                    for y in 0..<h {
                        let (y0, y1, fy) = ys[y]
                        let a = y0 * width, b = y1 * width
                        let wa = UInt16(256 - fy), wb = UInt16(fy)
                        for x in 0..<width {
                            v[x] = UInt16(src[a &+ x]) &* wa &+ UInt16(src[b &+ x]) &* wb
                        }
                        v[width] = v[width - 1]
                        Self.resampleRow(UnsafeBufferPointer(v), shift: shift, fx: fx, blockLow: low, blockSpan: span,
                                         sums: sums)
                        // Rounded and narrowed in a plain loop (vectorised; the SIMD type's narrowing
                        // conversion is lowered lane by lane).
                        let o = y * w
                        for x in 0..<w { dst[o &+ x] = UInt8(truncatingIfNeeded: (sums[x] &+ 32768) >> 16) }
                    }
                } } } }
            }
            initialized = w * h
        }
        return GreyImage(uncheckedWidth: w, height: h, pixels: out)
    }

    /// The horizontal pass's plan, the same for every row: per output x, the offset j − x of its
    /// first tap j and the weight of the second; per block of 16 outputs, the smallest offset and
    /// how many consecutive offsets it spans (0: the block goes pixel by pixel).
    struct RowPlan {
        var shift: [Int32], fx: [UInt32], blockLow: [Int32], blockSpan: [Int32]

        /// Up to 8 offsets per block (the pyramid's 1.2 step needs 4 or 5) and loads inside `columns + 1`.
        init(taps: [(Int, Int, Int)], columns: Int) {
            shift = taps.enumerated().map { Int32($0.element.0 - $0.offset) }
            fx = taps.map { UInt32($0.2) }
            blockLow = []; blockSpan = []
            var x = 0
            while x + 16 <= taps.count {
                let d = shift[x..<(x + 16)]
                let lo = Int(d.min() ?? 0), hi = Int(d.max() ?? 0)
                let usable = hi - lo < 8 && x + lo >= 0 && x + 15 + hi < columns
                blockLow.append(Int32(lo)); blockSpan.append(usable ? Int32(hi - lo + 1) : 0)
                x += 16
            }
        }
    }

    /// The sums of one output row of the horizontal pass: sums[x] = p (256 − fx[x]) + q fx[x], with
    /// p, q = v[j], v[j + 1] at j = x + shift[x] (v holds the source width + 1 blended columns).
    /// 16 outputs at a time without a gather instruction (LLVM avoids them on this hardware): the
    /// offset climbs by 0 or 1 per output when downscaling by less than 2, so a block needs a few
    /// contiguous loads, each kept in the lanes whose offset it serves.
    @inline(__always)
    static func resampleRow(_ v: UnsafeBufferPointer<UInt16>, shift: UnsafeBufferPointer<Int32>, fx: UnsafeBufferPointer<UInt32>,
                            blockLow: UnsafeBufferPointer<Int32>, blockSpan: UnsafeBufferPointer<Int32>,
                            sums: UnsafeMutableBufferPointer<UInt32>) {
        let w = sums.count
        guard let vb = UnsafeRawPointer(v.baseAddress), let sb = UnsafeRawPointer(shift.baseAddress),
              let fb = UnsafeRawPointer(fx.baseAddress), let ob = UnsafeMutableRawPointer(sums.baseAddress) else { return }
        typealias Lanes = SIMD16<UInt32>
        var x = 0
        for b in 0..<blockSpan.count {
            let span = Int(blockSpan[b])
            if span > 0 {
                let d = sb.loadUnaligned(fromByteOffset: 4 &* x, as: SIMD16<Int32>.self)
                let lo = Int(blockLow[b])
                // The lanes' masks are disjoint and cover every lane: OR the selected lanes together.
                var p = Lanes.zero, q = Lanes.zero
                for k in lo..<(lo &+ span) {
                    let m = unsafeBitCast(d .== SIMD16<Int32>(repeating: Int32(k)), to: Lanes.self)
                    let j = 2 &* (x &+ k)
                    p |= Lanes(truncatingIfNeeded: vb.loadUnaligned(fromByteOffset: j, as: SIMD16<UInt16>.self)) & m
                    q |= Lanes(truncatingIfNeeded: vb.loadUnaligned(fromByteOffset: j &+ 2, as: SIMD16<UInt16>.self)) & m
                }
                let f = fb.loadUnaligned(fromByteOffset: 4 &* x, as: Lanes.self)
                // p (256 − f) + q f as 256 p + (q − p) f: one multiply (wrapping, the result is exact).
                ob.storeBytes(of: (p &<< 8) &+ (q &- p) &* f, toByteOffset: 4 &* x, as: Lanes.self)
            } else {
                for i in x..<(x + 16) { sums[i] = resampleSum(v, i, shift, fx) }
            }
            x += 16
        }
        while x < w { sums[x] = resampleSum(v, x, shift, fx); x += 1 }
    }

    @inline(__always)
    static func resampleSum(_ v: UnsafeBufferPointer<UInt16>, _ x: Int, _ shift: UnsafeBufferPointer<Int32>,
                            _ fx: UnsafeBufferPointer<UInt32>) -> UInt32 {
        let j = x &+ Int(shift[x]), f = fx[x]
        return UInt32(v[j]) &* (256 &- f) &+ UInt32(v[j &+ 1]) &* f
    }

    /// Per output index: the two source indices and the weight (0…256) of the second.
    static func taps(_ n: Int, _ src: Int) -> [(Int, Int, Int)] {
        let ratio = Double(src) / Double(n)
        return (0..<n).map { i in
            let s = max(0, (Double(i) + 0.5) * ratio - 0.5)
            let i0 = min(Int(s), src - 1)
            let i1 = min(i0 + 1, src - 1)
            let f = Int(((s - Double(i0)) * 256).rounded())
            return (i0, i1, min(f, 256))
        }
    }

    /// Scalar twin of `resized`: the bilinear formula pixel by pixel.
    @_spi(Testing) public func resizedScalar(width w: Int, height h: Int) -> GreyImage {
        guard w > 0, h > 0, width > 0, height > 0 else {
            return GreyImage(uncheckedWidth: max(w, 0), height: max(h, 0),
                             pixels: [UInt8](repeating: 0, count: max(w, 0) * max(h, 0)))
        }
        let xs = Self.taps(w, width), ys = Self.taps(h, height)
        var out = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            let (y0, y1, fy) = ys[y]
            for x in 0..<w {
                let (x0, x1, fx) = xs[x]
                let s = Int(at(x0, y0)) * (256 - fx) * (256 - fy) + Int(at(x1, y0)) * fx * (256 - fy)
                    + Int(at(x0, y1)) * (256 - fx) * fy + Int(at(x1, y1)) * fx * fy
                out[y * w + x] = UInt8((s + 32768) >> 16)
            }
        }
        return GreyImage(uncheckedWidth: w, height: h, pixels: out)
    }
}
