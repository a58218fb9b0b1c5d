import Foundation
import HashmarkFingerprint
import HashmarkTransforms
import Testing

/// A stand-in JPEG round trip for tests that do not exercise the codec: quantises to 32 levels,
/// so the hook's plumbing (quality passed, errors wrapped) is what is tested.
private func fakeRecompressor(_ image: RGBImage, _ quality: Int) throws -> RGBImage {
    var out = image
    for i in out.pixels.indices { out.pixels[i] = out.pixels[i] & 0xF8 }
    return out
}

@Suite("Image transform enum and standard suite")
struct TransformSuiteTests {
    let image = Synthetic.noise(48, 36, seed: 11)

    @Test func namesAreStableAndUnique() {
        #expect(ImageTransform.crop(anchor: .center, fraction: 0.2).name == "crop-center-20")
        #expect(ImageTransform.rotate(degrees: 5, mode: .keepSize, fill: .black).name == "rotate-5")
        #expect(ImageTransform.rotate(degrees: -7.5, mode: .innerCrop, fill: .white).name == "rotate-m7.5-inner-ffffff")
        #expect(ImageTransform.jpeg(quality: 50).name == "jpeg-q50")
        #expect(ImageTransform.resize(scale: 0.3, filter: .area).name == "resize-30-area")
        #expect(ImageTransform.pipeline([.flipHorizontal, .hueRotate(degrees: 30)]).name == "flip-h+hue-30")
        let suite = TransformSuite.standard(seed: 1)
        let names = suite.cases.map(\.name)
        #expect(Set(names).count == names.count)
        for family in TransformFamily.allCases { #expect(suite.cases(in: family).count >= 8) }
        #expect(suite.cases.allSatisfy { $0.family == $0.transform.family })
    }

    @Test func suiteIsSeededAndCodable() throws {
        let a = TransformSuite.standard(seed: 42), b = TransformSuite.standard(seed: 42)
        #expect(a == b)
        #expect(a != TransformSuite.standard(seed: 43))
        let data = try JSONEncoder().encode(a)
        #expect(try JSONDecoder().decode(TransformSuite.self, from: data) == a)
    }

    @Test func everyStandardCaseRunsAndIsDeterministic() throws {
        for c in TransformSuite.standard(seed: 3).cases {
            var r1 = SeededGenerator(seed: c.seed), r2 = SeededGenerator(seed: c.seed)
            let o1 = try c.transform.apply(to: image, rng: &r1, recompress: fakeRecompressor)
            let o2 = try c.transform.apply(to: image, rng: &r2, recompress: fakeRecompressor)
            #expect(o1.image == o2.image, "\(c.name)")
            #expect(o1.outputToSource == o2.outputToSource)
            #expect(o1.image != image, "\(c.name) changed nothing")
        }
    }

    @Test func jpegNeedsRecompressorAndWrapsErrors() {
        var rng = SeededGenerator(seed: 0)
        #expect(throws: TransformError.self) { try apply(.jpeg(quality: 50), to: image, rng: &rng) }
        struct Boom: Error {}
        do {
            _ = try apply(.jpeg(quality: 50), to: image, rng: &rng) { _, _ in throw Boom() }
            Issue.record("no error")
        } catch {
            #expect(error.code == "recompression-failed")
            #expect(error.underlying is Boom)
        }
        var seen = 0
        _ = try? apply(.jpeg(quality: 37), to: image, rng: &rng) { img, q in seen = q; return img }
        #expect(seen == 37)
    }

    @Test func pipelineComposesMappings() throws {
        let t = ImageTransform.pipeline([.crop(anchor: .topLeft, fraction: 0.25), .flipHorizontal,
                                         .pad(fraction: 0.1, colour: .black)])
        var rng = SeededGenerator(seed: 0)
        let r = try t.apply(to: image, rng: &rng)
        var checked = 0
        for y in 0..<r.image.height {
            for x in 0..<r.image.width {
                let p = try #require(r.outputToSource.apply(Point2(x: Double(x), y: Double(y))))
                let sx = Int(p.x.rounded()), sy = Int(p.y.rounded())
                // Padding maps outside the crop window (x < 36, y < 27 of the source): black there.
                guard sx >= 0, sy >= 0, sx < 36, sy < 27 else {
                    #expect(Synthetic.pixel(r.image, x, y) == [0, 0, 0])
                    continue
                }
                #expect(Synthetic.pixel(r.image, x, y) == Synthetic.pixel(image, sx, sy))
                checked += 1
            }
        }
        #expect(checked == 36 * 27)
    }

    @Test func invalidParametersThrow() {
        var rng = SeededGenerator(seed: 0)
        for t: ImageTransform in [.crop(anchor: .center, fraction: 1.2), .blur(sigma: .nan), .posterise(levels: 0),
                                  .cropRect(x: 0.5, y: 0, width: 0.8, height: 1), .resize(scale: 0, filter: .area),
                                  .resize(scale: 10_000, filter: .bilinear), .jpeg(quality: 0)] {
            #expect(throws: TransformError.self, "\(t.name)") { try apply(t, to: image, rng: &rng) }
        }
    }

    @Test func generatorIsReproducibleAndUnbiasedEnough() {
        var a = SeededGenerator(seed: 123), b = SeededGenerator(seed: 123)
        let xs = (0..<1000).map { _ in a.next() }
        #expect(xs == (0..<1000).map { _ in b.next() })
        var c = SeededGenerator(seed: 9)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[c.nextInt(below: 6)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 10_000) < 500 })
        var d = SeededGenerator(seed: 9)
        let s = d.sample(5, from: 20)
        #expect(s.count == 5 && Set(s).count == 5 && s == s.sorted() && s.allSatisfy { $0 < 20 })
    }
}
