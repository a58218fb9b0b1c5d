import HashmarkFingerprint
import HashmarkTransforms
import Testing

@Suite("Geometric transforms")
struct GeometricTests {
    let image = Synthetic.noise(23, 17, seed: 7)

    @Test func flipTwiceIsIdentity() {
        let h = GeometricOps.flipHorizontal(GeometricOps.flipHorizontal(image).image).image
        let v = GeometricOps.flipVertical(GeometricOps.flipVertical(image).image).image
        #expect(h == image)
        #expect(v == image)
        #expect(GeometricOps.flipHorizontal(image).image != image)
    }

    @Test func flipMovesPixels() {
        let h = GeometricOps.flipHorizontal(image).image
        #expect(Synthetic.pixel(h, 0, 3) == Synthetic.pixel(image, 22, 3))
        let v = GeometricOps.flipVertical(image).image
        #expect(Synthetic.pixel(v, 4, 0) == Synthetic.pixel(image, 4, 16))
    }

    @Test func cropDimensionsAndContent() throws {
        for anchor in CropAnchor.allCases {
            let rect = try GeometricOps.cropRect(width: 100, height: 60, fraction: 0.2, anchor: anchor)
            #expect(rect.width == 80 && rect.height == 48)
        }
        let c = try GeometricOps.cropRect(width: 100, height: 60, fraction: 0.2, anchor: .center)
        #expect(c.x == 10 && c.y == 6)
        let br = try GeometricOps.cropRect(width: 100, height: 60, fraction: 0.4, anchor: .bottomRight)
        #expect(br.x == 40 && br.y == 24 && br.width == 60 && br.height == 36)
        let r = try GeometricOps.crop(image, to: PixelRect(x: 3, y: 2, width: 10, height: 5))
        #expect(r.image.width == 10 && r.image.height == 5)
        #expect(Synthetic.pixel(r.image, 0, 0) == Synthetic.pixel(image, 3, 2))
        #expect(Synthetic.pixel(r.image, 9, 4) == Synthetic.pixel(image, 12, 6))
        #expect(throws: TransformError.self) {
            try GeometricOps.crop(image, to: PixelRect(x: 20, y: 0, width: 10, height: 5))
        }
    }

    @Test func padAddsBorder() throws {
        let r = try GeometricOps.pad(image, fraction: 0.2, colour: .white)
        // 23·0.2 = 4.6 → 5 each side; 17·0.2 = 3.4 → 3.
        #expect(r.image.width == 33 && r.image.height == 23)
        #expect(Synthetic.pixel(r.image, 0, 0) == [255, 255, 255])
        #expect(Synthetic.pixel(r.image, 5, 3) == Synthetic.pixel(image, 0, 0))
    }

    @Test func rotateZeroIsIdentity() throws {
        for mode in RotationMode.allCases {
            let r = try GeometricOps.rotate(image, degrees: 0, mode: mode, fill: .black)
            #expect(r.image == image, "mode \(mode)")
        }
    }

    @Test func rotate90MatchesTransposeAndFlip() throws {
        let r = try GeometricOps.rotate(image, degrees: 90, mode: .expand, fill: .black)
        #expect(r.image.width == image.height && r.image.height == image.width)
        // Counter-clockwise as displayed: out(x, y) = src(w − 1 − y, x).
        var worst = 0
        for y in 0..<r.image.height {
            for x in 0..<r.image.width {
                let a = Synthetic.pixel(r.image, x, y), b = Synthetic.pixel(image, image.width - 1 - y, x)
                worst = max(worst, zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 0)
            }
        }
        #expect(worst <= 1)
    }

    @Test func rotationModesSizes() throws {
        let big = Synthetic.gradient(200, 100)
        let e = try GeometricOps.rotate(big, degrees: 10, mode: .expand, fill: .black).image
        let k = try GeometricOps.rotate(big, degrees: 10, mode: .keepSize, fill: .black).image
        let i = try GeometricOps.rotate(big, degrees: 10, mode: .innerCrop, fill: .black).image
        #expect(e.width > 200 && e.height > 100)
        #expect(k.width == 200 && k.height == 100)
        #expect(i.width < 200 && i.height < 100 && i.width > 120 && i.height > 50)
        // The inner crop contains no fill: the gradient's blue channel never is pure black.
        let blackPixels = stride(from: 0, to: i.pixels.count, by: 3).filter {
            i.pixels[$0] == 0 && i.pixels[$0 + 1] == 0 && i.pixels[$0 + 2] == 0
        }
        let blackInExpand = stride(from: 0, to: e.pixels.count, by: 3).filter {
            e.pixels[$0] == 0 && e.pixels[$0 + 1] == 0 && e.pixels[$0 + 2] == 0
        }
        #expect(blackPixels.count <= 1)
        #expect(blackInExpand.count > 100)
    }

    @Test func resizeSizesAndConstant() throws {
        let c = Synthetic.constant(40, 30, RGBColour(r: 90, g: 120, b: 200))
        for filter in ResizeFilter.allCases {
            for s in [0.3, 0.5, 0.77, 1.5, 2.0] {
                let r = try GeometricOps.scale(c, x: s, y: s, filter: filter).image
                #expect(r.width == Int((40 * s).rounded()) && r.height == Int((30 * s).rounded()))
                #expect(r == Synthetic.constant(r.width, r.height, RGBColour(r: 90, g: 120, b: 200)))
            }
        }
        let aspect = try GeometricOps.scale(c, x: 1.3, y: 0.8, filter: .bilinear).image
        #expect(aspect.width == 52 && aspect.height == 24)
    }

    @Test func areaDownscaleAveragesBlocks() throws {
        let board = Synthetic.checkerboard(8, 8, cell: 1)
        let r = try GeometricOps.resize(board, width: 4, height: 4, filter: .area).image
        // Each 2×2 block holds two of each colour: the average, rounded.
        #expect(Synthetic.pixel(r, 1, 2) == [120, 50, 110])
    }

    /// The reported map must point each output pixel at the source pixel it was sampled from.
    @Test(arguments: ["flipH", "flipV", "crop", "pad", "rotate90", "rotate7", "resize3", "perspective"])
    func mappingPointsAtSampledSource(_ op: String) throws {
        let src = Synthetic.noise(31, 24, seed: 99)
        let r: WarpResult
        switch op {
        case "flipH": r = GeometricOps.flipHorizontal(src)
        case "flipV": r = GeometricOps.flipVertical(src)
        case "crop": r = try GeometricOps.crop(src, to: PixelRect(x: 5, y: 4, width: 20, height: 11))
        case "pad": r = try GeometricOps.pad(src, fraction: 0.1, colour: .black)
        case "rotate90": r = try GeometricOps.rotate(src, degrees: 90, mode: .expand, fill: .black)
        case "rotate7": r = try GeometricOps.rotate(src, degrees: 7, mode: .keepSize, fill: .black)
        case "resize3": r = try GeometricOps.scale(src, x: 3, y: 3, filter: .bilinear)
        default: r = try GeometricOps.perspective(src, edge: .top, amount: 0.3, fill: .black)
        }
        var checked = 0
        for y in 0..<r.image.height {
            for x in 0..<r.image.width {
                let p = try #require(r.outputToSource.apply(Point2(x: Double(x), y: Double(y))))
                // Only where the map lands on (near) a source pixel centre is the sample exact.
                let sx = p.x.rounded(), sy = p.y.rounded()
                guard abs(p.x - sx) < 1e-6, abs(p.y - sy) < 1e-6,
                      sx >= 0, sy >= 0, Int(sx) < src.width, Int(sy) < src.height else { continue }
                let a = Synthetic.pixel(r.image, x, y), b = Synthetic.pixel(src, Int(sx), Int(sy))
                #expect(zip(a, b).allSatisfy { abs(Int($0) - Int($1)) <= 1 }, "\(op) at \(x),\(y)")
                checked += 1
            }
        }
        if op != "rotate7" && op != "perspective" { #expect(checked > 100) }
    }

    /// For non-integer maps, the output equals bilinear interpolation of the source at the
    /// mapped point (checked independently here), so the map is exactly what was sampled.
    @Test func mappingMatchesBilinearForRotationAndPerspective() throws {
        let src = Synthetic.gradient(40, 30)
        let results = [try GeometricOps.rotate(src, degrees: 13, mode: .expand, fill: .black),
                       try GeometricOps.perspective(src, edge: .left, amount: 0.25, fill: .black)]
        for r in results {
            var checked = 0
            for y in stride(from: 0, to: r.image.height, by: 3) {
                for x in stride(from: 0, to: r.image.width, by: 3) {
                    let p = try #require(r.outputToSource.apply(Point2(x: Double(x), y: Double(y))))
                    guard p.x >= 0, p.y >= 0, p.x <= Double(src.width - 1), p.y <= Double(src.height - 1) else { continue }
                    let x0 = Int(p.x), y0 = Int(p.y)
                    let x1 = min(x0 + 1, src.width - 1), y1 = min(y0 + 1, src.height - 1)
                    let fx = p.x - Double(x0), fy = p.y - Double(y0)
                    for ch in 0..<3 {
                        func v(_ xx: Int, _ yy: Int) -> Double { Double(Synthetic.pixel(src, xx, yy)[ch]) }
                        let expected = (1 - fx) * (1 - fy) * v(x0, y0) + fx * (1 - fy) * v(x1, y0)
                            + (1 - fx) * fy * v(x0, y1) + fx * fy * v(x1, y1)
                        #expect(abs(Double(Synthetic.pixel(r.image, x, y)[ch]) - expected) <= 0.51)
                    }
                    checked += 1
                }
            }
            #expect(checked > 50)
        }
    }

    /// Area averaging of a linear ramp equals the ramp at the mapped pixel centre.
    @Test func areaMappingOnLinearRamp() throws {
        var px = [UInt8]()
        for y in 0..<30 { for x in 0..<60 { px += [UInt8(3 * x), UInt8(6 * y), 77] } }
        let src = try #require(RGBImage(width: 60, height: 30, pixels: px))
        let r = try GeometricOps.resize(src, width: 20, height: 10, filter: .area)
        for y in 0..<10 {
            for x in 0..<20 {
                let p = try #require(r.outputToSource.apply(Point2(x: Double(x), y: Double(y))))
                #expect(Synthetic.pixel(r.image, x, y) == [UInt8(3 * p.x), UInt8(6 * p.y), 77])
            }
        }
    }

    @Test func homographyFromCorrespondencesRoundTrips() throws {
        let from = [Point2(x: 0, y: 0), Point2(x: 10, y: 0), Point2(x: 10, y: 8), Point2(x: 0, y: 8)]
        let to = [Point2(x: 1, y: 2), Point2(x: 9, y: 0.5), Point2(x: 11, y: 9), Point2(x: -1, y: 7)]
        let h = try #require(Homography.mapping(from: from, to: to))
        for (a, b) in zip(from, to) {
            let p = try #require(h.apply(a))
            #expect(abs(p.x - b.x) < 1e-9 && abs(p.y - b.y) < 1e-9)
        }
        let inv = try #require(h.inverse)
        let q = try #require(inv.apply(to[2]))
        #expect(abs(q.x - 10) < 1e-9 && abs(q.y - 8) < 1e-9)
        #expect(Homography.mapping(from: from, to: [to[0], to[0], to[0], to[0]]) == nil)
    }
}
