/// A PDQ hash with its quality score (0…100; Meta suggests ignoring matches below ~50).
public struct PDQHash: Sendable, Hashable {
    /// Identifies the algorithm and its parameters; stored hashes with another id must not be
    /// compared with these.
    public static let algorithmID = PDQ.algorithmID

    public let hash: Hash256
    public let quality: Int

    public init(hash: Hash256, quality: Int) {
        self.hash = hash
        self.quality = quality
    }
}

/// The kernels behind `PDQ`, public so tests can prove each SIMD kernel equals its scalar twin.
public enum PDQKernels {}

/// Meta's PDQ perceptual hash (facebook/ThreatExchange `pdq/`), bit-identical to the reference
/// `pdqhash` Python package for the same RGB buffer.
public enum PDQ {
    /// Algorithm id and version: PDQ 256-bit, 64×64 Jarosz downsample, 16×16 DCT, median threshold.
    public static let algorithmID = "pdq/1"
    /// Images with a side shorter than this hash to all zeros with quality 0, as in the reference.
    public static let minimumDimension = 5
    /// Images up to this size on the longest side take the exact path even in `fastHash` (at
    /// 64×64 the reference skips the blur; above, the sampled grid is cheaper at every size).
    public static let fastPathMaxDimension = 64
    /// Shortest side the fast path asks a DCT-scaled JPEG decode for (`minimumSide:`), hashed
    /// with `fastHash(_:reducedFrom:)`. Chosen by `Benchmarks/pdq_bench.py --survey`: on 439 real
    /// JPEGs and 2× upscales with quality ≥ 80, 384 px stayed within 4 bits of the exact hash
    /// (256 px reached 10, Meta's bound).
    public static let fastPathMinimumSide = 384

    /// Result of a dihedral computation: the hash of the image as given, plus all 8 variants.
    public typealias Dihedral = (hash: PDQHash, dihedral: [Hash256])

    /// The exact hash, equal to `pdqhash.compute` on the same buffer.
    public static func hash(_ image: RGBImage) -> PDQHash {
        let y = luma(image)
        return hash(validLuma: y, width: image.width, height: image.height)
    }

    /// The exact hash and the 8 dihedral hashes, equal to `pdqhash.compute_dihedral`
    /// (order: original, rot90, rot180, rot270, flipX, flipY, flip+1, flip−1). The first entry
    /// equals `hash(_:)` except for 64×64 inputs, which the reference's `compute` does not blur.
    public static func hashWithDihedral(_ image: RGBImage) -> Dihedral {
        let y = luma(image)
        return dihedral(validLuma: y, width: image.width, height: image.height)
    }

    /// Fast path for large images: the same 64×64 tent-filtered grid as the exact path, computed
    /// only at the 64×64 sample neighbourhoods (about one multiply-add per pixel), so it differs
    /// from `hashWithDihedral` only by float rounding; within Meta's conformance distance (≤ 10)
    /// for quality ≥ 80. Images no longer than 64 px take the exact path (bit-identical).
    public static func fastHash(_ image: RGBImage) -> Dihedral {
        let longest = Swift.max(image.width, image.height)
        guard longest > fastPathMaxDimension else { return hashWithDihedral(image) }
        return fastDihedral(image)
    }

    /// Exact hash of a row-major luma buffer (`width * height` floats, 0…255); `nil` when the
    /// buffer does not match the sizes.
    public static func hash(luma: [Float], width: Int, height: Int) -> PDQHash? {
        guard width > 0, height > 0, luma.count == width * height else { return nil }
        return hash(validLuma: luma, width: width, height: height)
    }

    /// Dihedral hashes of a row-major luma buffer; `nil` when the buffer does not match the sizes.
    public static func hashWithDihedral(luma: [Float], width: Int, height: Int) -> Dihedral? {
        guard width > 0, height > 0, luma.count == width * height else { return nil }
        return dihedral(validLuma: luma, width: width, height: height)
    }

    // MARK: - Pipeline

    static func hash(validLuma y: [Float], width: Int, height: Int) -> PDQHash {
        guard width >= minimumDimension, height >= minimumDimension else {
            return PDQHash(hash: .zero, quality: 0)
        }
        // The reference's compute skips the blur when the input is already 64×64.
        let grid = (width == 64 && height == 64) ? y : downsample64(y, width: width, height: height)
        let dct = PDQKernels.dct64To16(grid)
        return PDQHash(hash: PDQKernels.bits(dct), quality: PDQKernels.quality(grid))
    }

    static func dihedral(validLuma y: [Float], width: Int, height: Int) -> Dihedral {
        guard width >= minimumDimension, height >= minimumDimension else {
            return (PDQHash(hash: .zero, quality: 0), [Hash256](repeating: .zero, count: 8))
        }
        let grid = downsample64(y, width: width, height: height)
        let dct = PDQKernels.dct64To16(grid)
        let hashes = (0..<8).map { PDQKernels.bits(PDQKernels.dihedralDCT(dct, variant: $0)) }
        return (PDQHash(hash: hashes[0], quality: PDQKernels.quality(grid)), hashes)
    }

    /// Two-pass Jarosz tent filter then decimation to 64×64. Only 64 columns survive decimation,
    /// so the last column pass runs on those alone: the same operations per kept value as the
    /// reference, a quarter less work.
    static func downsample64(_ luma: [Float], width: Int, height: Int) -> [Float] {
        let wr = PDQKernels.jaroszWindowSize(old: width, new: 64)
        let wc = PDQKernels.jaroszWindowSize(old: height, new: 64)
        var buffer = luma
        PDQKernels.jaroszFilter(&buffer, rows: height, cols: width,
                                windowAlongRows: wr, windowAlongCols: wc, passes: 1)
        var scratch = [Float](repeating: 0, count: buffer.count)
        buffer.withUnsafeMutableBufferPointer { b1 in
            scratch.withUnsafeMutableBufferPointer { b2 in
                guard let p1 = b1.baseAddress, let p2 = b2.baseAddress else { return }
                PDQKernels.boxAlongRowsSIMD(p1, p2, rows: height, cols: width,
                                            window: Swift.min(Swift.max(wr, 1), width))
                var done = Set<Int>()
                for oj in 0..<64 {
                    let j = Int((Double(oj) + 0.5) * Double(width) / 64.0)
                    guard done.insert(j).inserted else { continue }
                    PDQKernels.box1DScalar(p2 + j, p1 + j, length: height, stride: width,
                                           window: Swift.min(Swift.max(wc, 1), height))
                }
            }
        }
        return buffer.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return [Float](repeating: 0, count: 4096) }
            return PDQKernels.decimate64(base, rows: height, cols: width)
        }
    }
}
