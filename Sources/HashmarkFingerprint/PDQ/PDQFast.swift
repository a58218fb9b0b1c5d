// The fast path. PDQ only keeps 64×64 samples of the tent-filtered image, and the tent filter
// (two box passes per axis) is linear and separable, so each sample is a fixed weighted sum of a
// small neighbourhood. Computing just those sums gives the same 64×64 grid as the reference up to
// float rounding (the order of additions differs), at about one multiply-add per pixel instead of
// four running-sum passes over the whole image. Pre-resizing to 512 px, as Meta's CLI does,
// moved hashes of the fixtures by 12–20 bits, beyond the conformance bound of 10.

extension PDQ {
    /// Weights of "box, box again, then sample" along one axis of length `n`, for the 64 samples:
    /// sample `i` is `Σ weights[i][k] · x[start[i] + k]`. Built in double, stored as float.
    struct SampledTent {
        var start: [Int] = []
        var offset: [Int] = [] // into `weights`; sample i uses offset[i]..<offset[i + 1]
        var weights: [Float] = []

        /// Weights over the image PDQ sees, an axis of `n` pixels.
        init(length n: Int) {
            self.init(length: n, reducedBy: 1, reversed: false)
        }

        /// Weights over a reduced copy of an axis of `n` pixels, whose pixel `k` stands for the
        /// block of `scale` original pixels `k·scale ..< (k+1)·scale` (the last block may be short;
        /// counted from the far end when `reversed`). Each full-resolution weight is added to the
        /// reduced pixel covering it, so the sums equal the full-resolution ones wherever a reduced
        /// pixel is the mean of its block, as DCT-scaled JPEG decoding approximately gives.
        init(length n: Int, reducedBy scale: Int, reversed: Bool) {
            let w = Swift.min(Swift.max(PDQKernels.jaroszWindowSize(old: n, new: 64), 1), n)
            let half = (w + 2) / 2
            let s = Swift.max(scale, 1)
            let reduced = (n + s - 1) / s
            // The reference's box1DFloat averages x[o - left ... o + right], clipped to the axis.
            let left = w - half, right = half - 1
            func window(_ o: Int) -> ClosedRange<Int> { Swift.max(0, o - left)...Swift.min(n - 1, o + right) }
            func cell(_ x: Int) -> Int { reversed ? reduced - 1 - (n - 1 - x) / s : x / s }
            offset.append(0)
            for i in 0..<64 {
                let c = Int((Double(i) + 0.5) * Double(n) / 64.0)
                let outer = window(c)
                let lo = Swift.max(0, c - 2 * left), hi = Swift.min(n - 1, c + 2 * right)
                let first = cell(lo)
                var acc = [Double](repeating: 0, count: cell(hi) - first + 1)
                for m in outer {
                    let inner = window(m)
                    let wt = 1.0 / Double(outer.count) / Double(inner.count)
                    for x in inner { acc[cell(x) - first] += wt }
                }
                start.append(first)
                weights.append(contentsOf: acc.map { Float($0) })
                offset.append(weights.count)
            }
        }
    }

    /// The 64×64 grid of the reference's Jarosz filter + decimation, from the samples' neighbourhoods
    /// only; luma is computed as in `luma(_:)`, row by row, for the rows that carry weight.
    static func sampledTentGrid(_ image: RGBImage) -> [Float] {
        sampledTentGrid(image, cols: SampledTent(length: image.width), rows: SampledTent(length: image.height))
    }

    /// The grid from precomputed per-axis weights; their indices must lie inside `image`.
    static func sampledTentGrid(_ image: RGBImage, cols: SampledTent, rows: SampledTent) -> [Float] {
        let width = image.width, height = image.height
        // For each image row, the (sample row, weight) pairs it feeds.
        var rowUsers = [[(Int, Float)]](repeating: [], count: height)
        for i in 0..<64 {
            for k in rows.offset[i]..<rows.offset[i + 1] {
                rowUsers[rows.start[i] + k - rows.offset[i]].append((i, rows.weights[k]))
            }
        }
        var grid = [SIMD8<Float>](repeating: .zero, count: 64 * 8)
        var lumaRow = [Float](repeating: 0, count: width)
        var t = [SIMD8<Float>](repeating: .zero, count: 8)
        guard image.pixels.count >= 3 * width * height else { return [Float](repeating: 0, count: 4096) }
        let (wr, wg, wb) = lumaWeights
        image.pixels.withUnsafeBufferPointer { px in
            lumaRow.withUnsafeMutableBufferPointer { row in
                cols.weights.withUnsafeBufferPointer { weights in
                    guard let pixels = px.baseAddress, let luma = row.baseAddress, let cw = weights.baseAddress else { return }
                    for y in 0..<height where !rowUsers[y].isEmpty {
                        let src = pixels + y * width * 3
                        // Exactly `luma(_:)`, one row at a time (a loop the compiler vectorises).
                        for x in 0..<width {
                            let r = Double(src[3 &* x]), g = Double(src[3 &* x &+ 1]), b = Double(src[3 &* x &+ 2])
                            luma[x] = Float(r * wr + g * wg + b * wb)
                        }
                        for j in 0..<64 {
                            var s: Float = 0
                            let lo = cols.offset[j], hi = cols.offset[j + 1]
                            let at = luma + (cols.start[j] - lo)
                            for k in lo..<hi { s += cw[k] * at[k] }
                            t[j >> 3][j & 7] = s
                        }
                        for (i, wt) in rowUsers[y] {
                            let v = SIMD8<Float>(repeating: wt)
                            for b in 0..<8 { grid[i * 8 + b] += v * t[b] }
                        }
                    }
                }
            }
        }
        var out = [Float](repeating: 0, count: 4096)
        for n in 0..<(64 * 8) { for l in 0..<8 { out[n * 8 + l] = grid[n][l] } }
        return out
    }

    static func fastDihedral(_ image: RGBImage) -> Dihedral {
        guard image.width >= minimumDimension, image.height >= minimumDimension else {
            return (PDQHash(hash: .zero, quality: 0), [Hash256](repeating: .zero, count: 8))
        }
        return dihedral(grid: sampledTentGrid(image))
    }

    static func dihedral(grid: [Float]) -> Dihedral {
        let dct = PDQKernels.dct64To16(grid)
        let hashes = (0..<8).map { PDQKernels.bits(PDQKernels.dihedralDCT(dct, variant: $0)) }
        return (PDQHash(hash: hashes[0], quality: PDQKernels.quality(grid)), hashes)
    }
}

extension PDQKernels {
    /// The exact path's 64×64 grid (Jarosz filter, two passes, then decimation) of a luma buffer;
    /// `nil` when the buffer does not match the sizes.
    public static func jaroszGrid64(luma: [Float], width: Int, height: Int) -> [Float]? {
        guard width > 0, height > 0, luma.count == width * height else { return nil }
        return PDQ.downsample64(luma, width: width, height: height)
    }

    /// The fast path's 64×64 grid: equal to `jaroszGrid64` of the image's luma up to float rounding.
    public static func sampledJaroszGrid64(_ image: RGBImage) -> [Float] {
        PDQ.sampledTentGrid(image)
    }
}


/// How a reduced image relates to the image PDQ should see: DCT-scaled JPEG decoding gives one
/// pixel per `scale × scale` block (close to the block's mean), and EXIF orientation may then
/// have mirrored or turned it.
public struct PDQReduction: Sendable, Equatable {
    /// Upright size of the full-resolution image.
    public var originalWidth: Int
    public var originalHeight: Int
    /// 1, 2, 4 or 8: original pixels per reduced pixel along each axis.
    public var scale: Int
    /// Whether the upright x (y) axis runs backwards through the stored blocks, so that a short
    /// last block sits at the start.
    public var reversedX: Bool
    public var reversedY: Bool

    public init(originalWidth: Int, originalHeight: Int, scale: Int, reversedX: Bool = false, reversedY: Bool = false) {
        self.originalWidth = originalWidth
        self.originalHeight = originalHeight
        self.scale = scale
        self.reversedX = reversedX
        self.reversedY = reversedY
    }

    /// The reduction of a JPEG decoded at 1/`scale` then turned upright for EXIF `orientation`
    /// (1–8; mirrors 2, 4, 5, 7 and turns 3, 6, 8 as the EXIF specification defines them).
    public init(originalWidth: Int, originalHeight: Int, scale: Int, exifOrientation orientation: Int) {
        self.init(originalWidth: originalWidth, originalHeight: originalHeight, scale: scale,
                  reversedX: [2, 3, 6, 7].contains(orientation), reversedY: [3, 4, 7, 8].contains(orientation))
    }
}

extension PDQ {
    /// Fast path for a reduced image (DCT-scaled JPEG decoding): the reference's 64×64 grid of the
    /// full-resolution image, from the same tent weights summed per reduced pixel, so the sampling
    /// geometry is the full image's (hashing the small image as it is moved hashes by up to 28
    /// bits at 512 px, 78 at 256 px; this stays within 4, see Benchmarks/README.md). Falls back to
    /// `fastHash(image)` when `image` is not `reduction`'s size divided by its scale, rounded up.
    public static func fastHash(_ image: RGBImage, reducedFrom reduction: PDQReduction) -> Dihedral {
        let s = reduction.scale, w = reduction.originalWidth, h = reduction.originalHeight
        guard s > 1, w > 0, h > 0, image.width == (w + s - 1) / s, image.height == (h + s - 1) / s else {
            return fastHash(image)
        }
        guard w >= minimumDimension, h >= minimumDimension else {
            return (PDQHash(hash: .zero, quality: 0), [Hash256](repeating: .zero, count: 8))
        }
        let cols = SampledTent(length: w, reducedBy: s, reversed: reduction.reversedX)
        let rows = SampledTent(length: h, reducedBy: s, reversed: reduction.reversedY)
        return dihedral(grid: sampledTentGrid(image, cols: cols, rows: rows))
    }
}
