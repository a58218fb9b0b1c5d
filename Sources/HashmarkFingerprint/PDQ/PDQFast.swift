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

        init(length n: Int) {
            let w = Swift.min(Swift.max(PDQKernels.jaroszWindowSize(old: n, new: 64), 1), n)
            let half = (w + 2) / 2
            // The reference's box1DFloat averages x[o - left ... o + right], clipped to the axis.
            let left = w - half, right = half - 1
            func window(_ o: Int) -> ClosedRange<Int> { Swift.max(0, o - left)...Swift.min(n - 1, o + right) }
            offset.append(0)
            for i in 0..<64 {
                let s = Int((Double(i) + 0.5) * Double(n) / 64.0)
                let outer = window(s)
                let lo = Swift.max(0, s - 2 * left), hi = Swift.min(n - 1, s + 2 * right)
                var acc = [Double](repeating: 0, count: hi - lo + 1)
                for m in outer {
                    let inner = window(m)
                    let wt = 1.0 / Double(outer.count) / Double(inner.count)
                    for x in inner { acc[x - lo] += wt }
                }
                start.append(lo)
                weights.append(contentsOf: acc.map { Float($0) })
                offset.append(weights.count)
            }
        }
    }

    /// The 64×64 grid of the reference's Jarosz filter + decimation, from the samples' neighbourhoods
    /// only; luma is computed as in `luma(_:)`, row by row, for the rows that carry weight.
    static func sampledTentGrid(_ image: RGBImage) -> [Float] {
        let width = image.width, height = image.height
        let cols = SampledTent(length: width), rows = SampledTent(length: height)
        // For each image row, the (sample row, weight) pairs it feeds.
        var rowUsers = [[(Int, Float)]](repeating: [], count: height)
        for i in 0..<64 {
            for k in rows.offset[i]..<rows.offset[i + 1] {
                rowUsers[rows.start[i] + k - rows.offset[i]].append((i, rows.weights[k]))
            }
        }
        let (rt, gt, bt) = lumaTables
        var grid = [SIMD8<Float>](repeating: .zero, count: 64 * 8)
        var lumaRow = [Float](repeating: 0, count: width)
        var t = [SIMD8<Float>](repeating: .zero, count: 8)
        image.pixels.withUnsafeBufferPointer { px in
            for y in 0..<height where !rowUsers[y].isEmpty {
                var o = y * width * 3
                for x in 0..<width {
                    lumaRow[x] = Float(rt[Int(px[o])] + gt[Int(px[o + 1])] + bt[Int(px[o + 2])])
                    o += 3
                }
                for j in 0..<64 {
                    var s: Float = 0
                    let base = cols.start[j] - cols.offset[j]
                    for k in cols.offset[j]..<cols.offset[j + 1] { s += cols.weights[k] * lumaRow[base + k] }
                    t[j >> 3][j & 7] = s
                }
                for (i, wt) in rowUsers[y] {
                    let v = SIMD8<Float>(repeating: wt)
                    for b in 0..<8 { grid[i * 8 + b] += v * t[b] }
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
        let grid = sampledTentGrid(image)
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

