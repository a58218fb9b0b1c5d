import HashmarkFingerprint
import Testing


func bitPatterns(_ a: [Float]) -> [UInt32] { a.map(\.bitPattern) }

/// Every SIMD kernel against its scalar twin, bit for bit.
@Suite struct PDQKernelTests {
    /// Sizes (rows, cols): single pixels, strips both ways, odd sizes, SIMD tails, widths 512/1024.
    static let sizes: [(Int, Int)] = [
        (1, 1), (1, 7), (1, 8), (1, 9), (1, 300), (7, 1), (8, 1), (9, 1), (300, 1),
        (5, 5), (7, 13), (17, 9), (63, 65), (64, 64), (65, 63), (64, 1024), (9, 1024), (33, 512), (512, 17),
    ]

    @Test func jaroszFilterTwinsAgreeOnRandomInputs() {
        var rng = SplitMix64(state: 1)
        for (rows, cols) in Self.sizes {
            let input = (0..<(rows * cols)).map { _ in Float.random(in: 0...255, using: &rng) }
            let windows = [
                (PDQKernels.jaroszWindowSize(old: cols, new: 64), PDQKernels.jaroszWindowSize(old: rows, new: 64)),
                (Int.random(in: 1...cols, using: &rng), Int.random(in: 1...rows, using: &rng)),
                (cols, rows), (1, 1), (0, -3), (cols + 5, rows + 5), // out-of-range windows are clamped
            ]
            for (wr, wc) in windows {
                var simd = input, scalar = input
                PDQKernels.jaroszFilter(&simd, rows: rows, cols: cols, windowAlongRows: wr, windowAlongCols: wc, passes: 2)
                PDQKernels.jaroszFilterScalar(&scalar, rows: rows, cols: cols, windowAlongRows: wr, windowAlongCols: wc, passes: 2)
                #expect(bitPatterns(simd) == bitPatterns(scalar), "\(rows)x\(cols) windows \(wr),\(wc)")
            }
        }
    }

    @Test func jaroszFilterTwinsAgreeOnEdgeValues() {
        let specials: [Float] = [0, -0.0, 255, 1e-40, -1e-40, 3e38, -3e38, .infinity, 0.1, 1 / 3]
        for (rows, cols) in [(1, 1), (3, 11), (16, 16), (10, 1024)] {
            let input = (0..<(rows * cols)).map { specials[($0 * 7 + $0 / 3) % specials.count] }
            var simd = input, scalar = input
            PDQKernels.jaroszFilter(&simd, rows: rows, cols: cols, windowAlongRows: 3, windowAlongCols: 2, passes: 2)
            PDQKernels.jaroszFilterScalar(&scalar, rows: rows, cols: cols, windowAlongRows: 3, windowAlongCols: 2, passes: 2)
            #expect(bitPatterns(simd) == bitPatterns(scalar), "\(rows)x\(cols)")
        }
    }

    @Test func jaroszFilterAveragesAConstantToItself() {
        var buffer = [Float](repeating: 42, count: 37 * 41)
        PDQKernels.jaroszFilter(&buffer, rows: 37, cols: 41, windowAlongRows: 4, windowAlongCols: 3, passes: 2)
        #expect(buffer.allSatisfy { abs($0 - 42) < 1e-4 })
        var wrongSize: [Float] = [1, 2, 3]
        PDQKernels.jaroszFilter(&wrongSize, rows: 2, cols: 2, windowAlongRows: 1, windowAlongCols: 1, passes: 2)
        #expect(wrongSize == [1, 2, 3])
    }

    @Test func dctTwinsAgree() {
        var rng = SplitMix64(state: 2)
        var inputs: [[Float]] = (0..<20).map { _ in (0..<4096).map { _ in Float.random(in: 0...255, using: &rng) } }
        inputs.append([Float](repeating: 0, count: 4096))
        inputs.append([Float](repeating: 255, count: 4096))
        inputs.append((0..<4096).map { $0 % 2 == 0 ? 3e30 : -3e30 })
        inputs.append((0..<4096).map { Float($0 % 64) })
        for a in inputs {
            #expect(bitPatterns(PDQKernels.dct64To16(a)) == bitPatterns(PDQKernels.dct64To16Scalar(a)))
        }
        #expect(PDQKernels.dct64To16([1, 2]) == [Float](repeating: 0, count: 256))
    }

    @Test func dctOfAConstantHasNoAcEnergy() {
        // Rows 1…16 of the DCT basis are orthogonal to the constant: outputs are rounding noise.
        let b = PDQKernels.dct64To16([Float](repeating: 100, count: 4096))
        #expect(b.allSatisfy { abs($0) < 1e-2 })
        // A separable ramp varies along one axis only, so the basis (which skips DC) cancels it;
        // a product of ramps puts its energy in the lowest frequency pair.
        let product = PDQKernels.dct64To16((0..<4096).map { Float(($0 / 64) * ($0 % 64)) })
        #expect(abs(product[0]) > 100)
        #expect(product.allSatisfy { abs($0) <= abs(product[0]) })
    }

    @Test func torbenMedianMatchesSorting() {
        var rng = SplitMix64(state: 3)
        for n in [1, 2, 3, 63, 64, 65, 255, 256, 257] {
            let m = (0..<n).map { _ in Float(Int.random(in: -50...50, using: &rng)) / 4 }
            let median = PDQKernels.torbenMedian(m)
            #expect(median == m.sorted()[(n - 1) / 2], "n = \(n)")
        }
        #expect(PDQKernels.torbenMedian([]) == 0)
    }

    @Test func bitsSetAboveTheMedianInThreatExchangeOrder() {
        // Reference bit k = 16 i + j is set for B[i][j] > median; here it is bit 255 - k.
        let b = (0..<256).map { Float($0) }
        let h = PDQKernels.bits(b)
        for k in 0..<256 { #expect(h[bit: 255 - k] == (k > 127)) }
        #expect(h.hex == String(repeating: "f", count: 32) + String(repeating: "0", count: 32))
    }

    @Test func dihedralVariantsFormTheGroup() {
        var rng = SplitMix64(state: 4)
        let a = (0..<256).map { _ in Float.random(in: -10...10, using: &rng) }
        func d(_ x: [Float], _ v: Int) -> [Float] { PDQKernels.dihedralDCT(x, variant: v) }
        #expect(d(a, 0) == a)
        #expect(d(d(a, 1), 1) == d(a, 2))      // two quarter turns make a half turn
        #expect(d(d(a, 1), 2) == d(a, 3))
        #expect(d(d(a, 2), 2) == a)
        for flip in 4...7 { #expect(d(d(a, flip), flip) == a) } // flips are involutions
    }

    @Test func rotatingTheImageMatchesTheDihedralHash() throws {
        let image = try PDQFixtures.image("chelsea_451x300.ppm")
        let (_, dihedral) = PDQ.hashWithDihedral(image)
        let w = image.width, h = image.height
        // Rotate 90° clockwise and mirror left-right, in pixel space.
        var rotated = [UInt8](repeating: 0, count: image.pixels.count)
        var mirrored = rotated
        for y in 0..<h {
            for x in 0..<w {
                let src = 3 * (y * w + x)
                let rot = 3 * (x * h + (h - 1 - y))
                let mir = 3 * (y * w + (w - 1 - x))
                for c in 0..<3 {
                    rotated[rot + c] = image.pixels[src + c]
                    mirrored[mir + c] = image.pixels[src + c]
                }
            }
        }
        let r = try #require(RGBImage(width: h, height: w, pixels: rotated))
        let m = try #require(RGBImage(width: w, height: h, pixels: mirrored))
        let rotHash = PDQ.hash(r).hash, mirHash = PDQ.hash(m).hash
        let nearestRot = (0..<8).min { rotHash.distance(to: dihedral[$0]) < rotHash.distance(to: dihedral[$1]) }
        let nearestMir = (0..<8).min { mirHash.distance(to: dihedral[$0]) < mirHash.distance(to: dihedral[$1]) }
        #expect(rotHash.distance(to: dihedral[nearestRot ?? 0]) <= 16)
        #expect(mirHash.distance(to: dihedral[nearestMir ?? 0]) <= 16)
        #expect(nearestRot == 1 || nearestRot == 3)
        #expect(nearestMir == 4 || nearestMir == 5)
    }

    @Test func imagesBelowTheMinimumHashToZero() throws {
        for (w, h) in [(1, 1), (4, 100), (100, 4), (1, 1024)] {
            let image = try #require(RGBImage(width: w, height: h, pixels: [UInt8](repeating: 200, count: w * h * 3)))
            #expect(PDQ.hash(image) == PDQHash(hash: .zero, quality: 0))
            let (hash, dihedral) = PDQ.fastHash(image)
            #expect(hash.quality == 0 && dihedral == [Hash256](repeating: .zero, count: 8))
        }
    }

    @Test func flatImagesHaveZeroQuality() throws {
        let image = try #require(RGBImage(width: 100, height: 80, pixels: [UInt8](repeating: 90, count: 100 * 80 * 3)))
        #expect(PDQ.hash(image).quality == 0)
    }
}
