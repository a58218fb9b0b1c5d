@_spi(Testing) import HashmarkFingerprint
import Testing

/// SIMD kernels against their scalar twins (bit for bit), the descriptor pattern, and API guards.
@Suite("LocalFeatureKernels")
struct LocalFeatureKernelTests {
    static func randomGrey(_ w: Int, _ h: Int, seed: UInt64) -> GreyImage {
        var rng = SplitMix64(state: seed)
        return GreyImage(width: w, height: h, pixels: (0..<(w * h)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })!
    }

    /// Smooth random blobs: random noise blurred, so FAST finds corners at moderate thresholds.
    static func blobs(_ w: Int, _ h: Int, seed: UInt64) -> GreyImage {
        LocalBlur.scalar(LocalBlur.scalar(randomGrey(w, h, seed: seed)))
    }

    static let sizes = [0, 1, 7, 15, 16, 17, 22, 23, 24, 63, 64, 65, 100]

    @Test func blurredPatchesMatchTheWholeImageBlur() throws {
        // Every patch whose square lies inside the image — edges replicated within 4 pixels of the
        // border — on random images (as small as the extractor takes) and on a photograph.
        for (w, h) in [(27, 27), (40, 40), (41, 57), (97, 33)] {
            let img = Self.randomGrey(w, h, seed: UInt64(w * 1000 + h))
            let whole = LocalBlur.scalar(img)
            var compared = 0
            for cy in 13..<(h - 13) {
                for cx in 13..<(w - 13) {
                    let patch = LocalBlur.patch(img, cx: cx, cy: cy)
                    let expected = (0..<27).flatMap { j in (0..<27).map { i in whole.pixels[(cy - 13 + j) * w + cx - 13 + i] } }
                    if patch != expected { Issue.record("\(w)x\(h) at (\(cx), \(cy))"); return }
                    compared += 1
                }
            }
            #expect(compared == (w - 26) * (h - 26))
        }
        let g = GreyImage(rgb: try LocalFixtures.load("astronaut"))
        let whole = LocalBlur.scalar(g)
        for (cx, cy) in [(13, 13), (16, 200), (g.width - 14, g.height - 14), (g.width / 2, 16), (100, g.height - 17)] {
            let expected = (0..<27).flatMap { j in (0..<27).map { i in whole.pixels[(cy - 13 + j) * g.width + cx - 13 + i] } }
            #expect(LocalBlur.patch(g, cx: cx, cy: cy) == expected, "astronaut (\(cx), \(cy))")
        }
        // Extremes: a constant image stays constant.
        let white = GreyImage(width: 40, height: 40, pixels: .init(repeating: 255, count: 1600))!
        #expect(LocalBlur.patch(white, cx: 16, cy: 16).allSatisfy { $0 == 255 })
    }

    @Test func fastSIMDMatchesScalar() throws {
        for w in Self.sizes + [38, 39, 40, 70, 71] {
            for h in [0, 6, 7, 8, 30] {
                for t in [0, 5, 20, 255] {
                    let img = Self.blobs(w, h, seed: UInt64(w * 7 + h))
                    #expect(LocalFAST.scores(img, minThreshold: t) == LocalFAST.scoresScalar(img, minThreshold: t), "\(w)x\(h) t\(t)")
                    let noise = Self.randomGrey(w, h, seed: UInt64(w * 13 + h))
                    #expect(LocalFAST.scores(noise, minThreshold: t) == LocalFAST.scoresScalar(noise, minThreshold: t), "noise \(w)x\(h) t\(t)")
                }
            }
        }
        // The extractor's margin (15): only the pixels its keypoints and their neighbours use,
        // including levels too narrow for one 32-pixel block inside the margin.
        for (w, h) in [(40, 40), (61, 33), (62, 40), (97, 63), (200, 131)] {
            let img = Self.blobs(w, h, seed: UInt64(w * 3 + h))
            for t in [2, 20] {
                let s = LocalFAST.scores(img, minThreshold: t, margin: 15)
                #expect(s == LocalFAST.scoresScalar(img, minThreshold: t, margin: 15), "margin 15 \(w)x\(h) t\(t)")
                let full = LocalFAST.scoresScalar(img, minThreshold: t)
                let inside = s.indices.filter { ($0 % w) >= 15 && ($0 % w) < w - 15 && $0 / w >= 15 && $0 / w < h - 15 }
                #expect(inside.allSatisfy { s[$0] == full[$0] } && s.indices.allSatisfy { inside.contains($0) || s[$0] == 0 })
            }
        }
        // Saturated extremes: 0/255 checkerboards and a single bright dot.
        var board = [UInt8](repeating: 0, count: 64 * 20)
        for i in board.indices where (i / 64 + i % 64) % 3 == 0 { board[i] = 255 }
        let b = GreyImage(width: 64, height: 20, pixels: board)!
        #expect(LocalFAST.scores(b, minThreshold: 0) == LocalFAST.scoresScalar(b, minThreshold: 0))
        var nonZero = 0
        for name in LocalFixtures.all {
            let g = GreyImage(rgb: try LocalFixtures.load(name))
            let s = LocalFAST.scoresScalar(g, minThreshold: 5)
            #expect(LocalFAST.scores(g, minThreshold: 5) == s, "\(name)")
            nonZero += s.filter { $0 > 0 }.count
        }
        #expect(nonZero > 1000)  // the comparison is not between two empty maps
    }

    /// The score is the threshold oracle: score > t exactly when the plain segment test (9
    /// contiguous circle pixels all > c + t, or all < c − t) passes at t.
    @Test func fastScoreIsTheLargestPassingThreshold() throws {
        let circle = [(0, -3), (1, -3), (2, -2), (3, -1), (3, 0), (3, 1), (2, 2), (1, 3),
                      (0, 3), (-1, 3), (-2, 2), (-3, 1), (-3, 0), (-3, -1), (-2, -2), (-1, -3)]
        func segmentTest(_ g: GreyImage, _ x: Int, _ y: Int, _ t: Int) -> Bool {
            let c = Int(g.pixels[y * g.width + x])
            let p = circle.map { Int(g.pixels[(y + $0.1) * g.width + x + $0.0]) }
            return (0..<16).contains { k in (0..<9).allSatisfy { p[(k + $0) & 15] > c + t } }
                || (0..<16).contains { k in (0..<9).allSatisfy { p[(k + $0) & 15] < c - t } }
        }
        let g = GreyImage(rgb: try LocalFixtures.load("coffee"))
        let s = LocalFAST.scores(g, minThreshold: 0)
        var rng = SplitMix64(state: 3)
        var corners = 0
        for _ in 0..<3000 {
            let x = 3 + rng.next(below: g.width - 6), y = 3 + rng.next(below: g.height - 6)
            for t in [0, 5, 10, 20, 40] {
                #expect((Int(s[y * g.width + x]) > t) == segmentTest(g, x, y, t), "(\(x), \(y)) t \(t)")
            }
            if s[y * g.width + x] > 20 { corners += 1 }
        }
        #expect(corners > 10)
        // minThreshold only zeroes the scores at or below it.
        let s10 = LocalFAST.scores(g, minThreshold: 10)
        #expect(s10 == s.map { $0 > 10 ? $0 : 0 })
    }

    @Test func fastFindsASyntheticCorner() {
        // A bright square on black: its four corners are FAST corners, its flat interior is not.
        var px = [UInt8](repeating: 0, count: 40 * 40)
        for y in 10..<30 { for x in 10..<30 { px[y * 40 + x] = 200 } }
        let s = LocalFAST.scores(GreyImage(width: 40, height: 40, pixels: px)!, minThreshold: 20)
        #expect(s[10 * 40 + 10] == 200)
        #expect(s[29 * 40 + 29] == 200)
        #expect(s[20 * 40 + 20] == 0)
        #expect(s[5 * 40 + 5] == 0)
    }

    @Test func extractionSIMDMatchesScalar() throws {
        let ex = LocalFeatureExtractor()
        for name in ["coffee", "gateau", "painting_colors"] {
            let img = try LocalFixtures.load(name)
            let a = ex.extract(img, includeMirrored: true, useSIMD: true)
            let b = ex.extract(img, includeMirrored: true, useSIMD: false)
            #expect(a == b, "\(name)")
            #expect(a.keypoints.count > 150 && a.keypoints.count <= 512, "\(name): \(a.keypoints.count) keypoints")
            #expect(a.keypoints.allSatisfy { $0.x >= 0 && $0.y >= 0 && $0.x < Float(img.width) && $0.y < Float(img.height) })
            // Descriptors are informative: bits near balanced over the set.
            let ones = a.descriptors.reduce(0) { $0 + $1.words[0].nonzeroBitCount + $1.words[1].nonzeroBitCount
                + $1.words[2].nonzeroBitCount + $1.words[3].nonzeroBitCount }
            let frac = Double(ones) / Double(256 * a.descriptors.count)
            #expect(frac > 0.3 && frac < 0.7, "\(name) bit fraction \(frac)")
        }
        // Random and odd-sized inputs: Harris, moments and steered BRIEF on patches of pure noise.
        for (w, h) in [(40, 40), (41, 57), (97, 63), (200, 131)] {
            let noise = Self.randomGrey(w, h, seed: UInt64(w * h))
            let a = ex.extract(noise, includeMirrored: true, useSIMD: true)
            #expect(a == ex.extract(noise, includeMirrored: true, useSIMD: false), "noise \(w)x\(h)")
            if w >= 97 { #expect(!a.keypoints.isEmpty, "noise \(w)x\(h)") }
        }
    }

    @Test func resizeMatchesTheBilinearFormula() throws {
        // Pyramid steps (÷1.2), the maxSide reduction, upscales, single rows and columns; blocks of
        // 16 outputs served by contiguous loads (÷1.2, ×1.5, same size) and pixel by pixel (÷1.6,
        // ÷3, ×16: more than 8 offsets per block).
        let cases = [(640, 480, 533, 400), (97, 63, 81, 53), (41, 57, 34, 48), (200, 131, 1024, 671),
                     (1, 9, 1, 4), (9, 1, 4, 1), (3, 3, 7, 5), (64, 64, 64, 64), (1000, 20, 625, 12),
                     (330, 9, 110, 3), (20, 5, 320, 7), (100, 40, 150, 60), (16, 2, 16, 2)]
        for (w, h, nw, nh) in cases {
            let img = Self.randomGrey(w, h, seed: UInt64(w * 31 + h))
            #expect(img.resized(width: nw, height: nh) == img.resizedScalar(width: nw, height: nh),
                    "\(w)x\(h) -> \(nw)x\(nh)")
        }
        let chelsea = GreyImage(rgb: try LocalFixtures.load("chelsea"))
        #expect(chelsea.resized(width: 320, height: 213) == chelsea.resizedScalar(width: 320, height: 213))
    }

    @Test func nearestNeighbourSIMDMatchesScalar() throws {
        let ex = LocalFeatureExtractor(parameters: .init(maxKeypoints: 200))
        let a = ex.extract(try LocalFixtures.load("china")).descriptors
        let b = ex.extract(try LocalFixtures.load("chelsea")).descriptors
        var rng = SplitMix64(state: 9)
        let random = (0..<65).map { _ in Hash256(words: SIMD4(rng.next(), rng.next(), rng.next(), rng.next())) }
        for (q, c) in [(a, b), (b, a), (random, a), (Array(random.prefix(1)), Array(random.suffix(1))),
                       ([], a), (a, []), (Array(random.prefix(63)), Array(random.prefix(64))),
                       // Every distance tied twice: the first index wins and d2 == d1.
                       (a, b + b), (random, Array(random.reversed()) + random)] {
            #expect(LocalMatcher.nearestTwo(q, c) == LocalMatcher.nearestTwoScalar(q, c))
        }
    }

    @Test func patternIsDeterministicAndInsideThePatch() {
        let p = BRIEFPattern(seed: BRIEFPattern.seed)
        #expect(p == BRIEFPattern.standard)
        #expect(p.pairs.count == 256)
        #expect(p != BRIEFPattern(seed: BRIEFPattern.seed &+ 1))
        for pr in p.pairs {
            #expect(pr.x * pr.x + pr.y * pr.y <= 169 && pr.z * pr.z + pr.w * pr.w <= 169)
            #expect(pr.x != pr.z || pr.y != pr.w)
        }
        #expect(Set(p.pairs).count > 250)
    }

    @Test func tinyImagesGiveEmptySetsAndMismatchedAlgorithmsThrow() throws {
        let tiny = RGBImage(width: 20, height: 20, pixels: .init(repeating: 9, count: 1200))!
        let f = LocalFeatureExtractor().extract(tiny, includeMirrored: true)
        #expect(f.keypoints.isEmpty && f.descriptors.isEmpty && f.mirroredDescriptors == [])
        let real = LocalFeatureExtractor().extract(try LocalFixtures.load("coffee"))
        var other = real
        other.algorithm = "some-other-v9"
        #expect(throws: LocalFeatureError.self) { try LocalMatcher().match(query: real, candidate: other) }
        let e = try LocalMatcher().match(query: f, candidate: real)
        #expect(e.inliers == 0 && !e.isMatch)
    }
}
