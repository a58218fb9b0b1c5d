/// An 8-bit single-channel image, rows top to bottom, no padding: the working type of the
/// local-feature pipeline (greyscale levels of the pyramid).
public struct GreyImage: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    /// `nil` when the sizes disagree with the buffer or are negative.
    public init?(width: Int, height: Int, pixels: [UInt8]) {
        guard width >= 0, height >= 0,
              !width.multipliedReportingOverflow(by: height).overflow,
              pixels.count == width * height else { return nil }
        self.width = width; self.height = height; self.pixels = pixels
    }

    init(uncheckedWidth width: Int, height: Int, pixels: [UInt8]) {
        self.width = width; self.height = height; self.pixels = pixels
    }

    /// ITU-R BT.601 luma in 8.8 fixed point: Y = (77 R + 150 G + 29 B + 128) >> 8.
    public init(rgb: RGBImage) {
        let n = rgb.width * rgb.height
        var out = [UInt8](repeating: 0, count: n)
        rgb.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                guard src.count >= 3 * n else { return }
                for i in 0..<n {
                    let r = UInt32(src[3 * i]), g = UInt32(src[3 * i + 1]), b = UInt32(src[3 * i + 2])
                    dst[i] = UInt8(truncatingIfNeeded: (77 * r + 150 * g + 29 * b + 128) >> 8)
                }
            }
        }
        self.init(uncheckedWidth: rgb.width, height: rgb.height, pixels: out)
    }

    @inline(__always) func at(_ x: Int, _ y: Int) -> UInt8 { pixels[y * width + x] }

    /// Box-average reduction by an integer factor (used once, to bring huge inputs near `maxSide`
    /// without the aliasing bilinear sampling would give).
    func boxReduced(by k: Int) -> GreyImage {
        guard k > 1 else { return self }
        let w = width / k, h = height / k
        guard w > 0, h > 0 else { return self }
        var out = [UInt8](repeating: 0, count: w * h)
        let area = UInt32(k * k)
        for y in 0..<h {
            for x in 0..<w {
                var s: UInt32 = 0
                for dy in 0..<k {
                    let row = (y * k + dy) * width + x * k
                    for dx in 0..<k { s += UInt32(pixels[row + dx]) }
                }
                out[y * w + x] = UInt8(truncatingIfNeeded: (s + area / 2) / area)
            }
        }
        return GreyImage(uncheckedWidth: w, height: h, pixels: out)
    }

    /// Bilinear resampling to `w × h` in 8-bit fixed point (pixel centres aligned): output =
    /// (Σ wy · wx · p + 2^15) >> 16 over the 2 × 2 source pixels, weights in 1/256.
    public func resized(width w: Int, height h: Int) -> GreyImage {
        guard w > 0, h > 0, width > 0, height > 0 else {
            return GreyImage(uncheckedWidth: max(w, 0), height: max(h, 0),
                             pixels: [UInt8](repeating: 0, count: max(w, 0) * max(h, 0)))
        }
        let xs = Self.taps(w, width), ys = Self.taps(h, height)
        // Separable, same integers in the other order: the vertical pass first blends two whole
        // source rows per output row (contiguous, vectorised; sums ≤ 65280 fit 16 bits), so the
        // horizontal pass — a gather — runs over the h output rows only, not over the source rows.
        let x0 = xs.map { Int32($0.0) }, x1 = xs.map { Int32($0.1) }, fx = xs.map { UInt32($0.2) }
        var column = [UInt16](repeating: 0, count: width)
        let out = [UInt8](unsafeUninitializedCapacity: w * h) { dst, initialized in
            pixels.withUnsafeBufferPointer { src in
                column.withUnsafeMutableBufferPointer { v in
                    x0.withUnsafeBufferPointer { x0 in x1.withUnsafeBufferPointer { x1 in fx.withUnsafeBufferPointer { fx in
                        for y in 0..<h {
                            let (y0, y1, fy) = ys[y]
                            let a = y0 * width, b = y1 * width
                            let wa = UInt16(256 - fy), wb = UInt16(fy)
                            for x in 0..<width {
                                v[x] = UInt16(src[a &+ x]) &* wa &+ UInt16(src[b &+ x]) &* wb
                            }
                            let o = y * w
                            for x in 0..<w {
                                let p = UInt32(v[Int(x0[x])]), q = UInt32(v[Int(x1[x])])
                                dst[o &+ x] = UInt8(truncatingIfNeeded: (p &* (256 &- fx[x]) &+ q &* fx[x] &+ 32768) >> 16)
                            }
                        }
                    } } }
                }
            }
            initialized = w * h
        }
        return GreyImage(uncheckedWidth: w, height: h, pixels: out)
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
    public func resizedScalar(width w: Int, height h: Int) -> GreyImage {
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

    /// The horizontally flipped image (column `x` becomes `width - 1 - x`).
    public var mirrored: GreyImage {
        var out = pixels
        for y in 0..<height {
            let r = y * width
            for x in 0..<width { out[r + x] = pixels[r + width - 1 - x] }
        }
        return GreyImage(uncheckedWidth: width, height: height, pixels: out)
    }
}
