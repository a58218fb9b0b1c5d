import Foundation
import HashmarkFingerprint
import Testing

/// Faint works (issue 8): a smooth wallpaper whose grey levels span ≈ 50 values and a foggy photo.
/// Before contrast normalisation the wallpaper kept 1 keypoint and the fog 17, so no edited copy
/// could reach the inlier threshold. Fixtures: Tests/Fixtures/lowcontrast (README).
@Suite("LocalFeatureLowContrast")
struct LocalFeatureLowContrastTests {
    static let extractor = LocalFeatureExtractor()
    static let matcher = LocalMatcher()
    static let faint = ["warty_final_ubuntu", "trees_fog"]

    static func load(_ name: String) throws -> RGBImage { try LocalFixtures.load(name, folder: "lowcontrast") }

    struct Edit: Sendable, CustomStringConvertible {
        var name: String
        var make: @Sendable (RGBImage) -> RGBImage
        var rotation: Float = 0
        var mirrored = false
        var description: String { name }
    }

    static let edits: [Edit] = [
        Edit(name: "centre crop 20%", make: { img in
            let w = img.width * 4 / 5, h = img.height * 4 / 5
            return LocalEdits.crop(img, x: (img.width - w) / 2, y: (img.height - h) / 2, width: w, height: h)
        }),
        Edit(name: "corner crop 30%", make: { img in
            LocalEdits.crop(img, x: 0, y: 0, width: img.width * 7 / 10, height: img.height * 7 / 10)
        }),
        Edit(name: "pad 10% white", make: { img in
            LocalEdits.pad(img, left: img.width / 10, top: img.height / 10, right: img.width / 10, bottom: img.height / 10)
        }),
        Edit(name: "pad 15% black", make: { img in
            let l = img.width * 3 / 20, t = img.height * 3 / 20
            return LocalEdits.pad(img, left: l, top: t, right: l, bottom: t, fill: 0)
        }),
        Edit(name: "rotate 3°", make: { LocalEdits.rotate($0, degrees: 3) }, rotation: 3),
        Edit(name: "rotate -10°", make: { LocalEdits.rotate($0, degrees: -10) }, rotation: -10),
        Edit(name: "flip", make: { LocalEdits.flip($0) }, mirrored: true),
        Edit(name: "aspect 4:3 squeeze", make: { LocalEdits.resize($0, width: $0.width, height: $0.height * 3 / 4) }),
        Edit(name: "downscale 50%", make: { LocalEdits.resize($0, width: $0.width / 2, height: $0.height / 2) }),
    ]

    @Test("an edited copy of a faint work verifies against it", arguments: edits)
    func faintEditsMatch(_ edit: Edit) throws {
        for name in Self.faint {
            let work = try Self.load(name)
            let corpus = Self.extractor.extract(work).withoutMirror
            let query = Self.extractor.extract(edit.make(work), includeMirrored: true)
            let e = try Self.matcher.match(query: query, candidate: corpus)
            print("\(edit.name) \(name): keypoints \(corpus.keypoints.count)/\(query.keypoints.count) inliers \(e.inliers)/\(e.tentativeMatches) rot \(e.copyRotationDegrees ?? 0) mirrored \(e.mirrored)")
            #expect(e.isMatch, "\(edit.name) \(name): \(e.inliers) inliers")
            #expect(e.mirrored == edit.mirrored, "\(edit.name) \(name)")
            if !edit.name.hasPrefix("aspect") {
                #expect(abs((e.copyRotationDegrees ?? 999) - edit.rotation) < 1.5, "\(edit.name) \(name)")
            }
        }
    }

    /// The faint works (originals and 20 % crops, as queries) against each other and against the
    /// nine ordinary fixtures of Tests/Fixtures/local: stretched faint images must not start
    /// matching unrelated images, nor each other.
    @Test func faintWorksMatchNothingElse() throws {
        let faint = try Self.faint.map(Self.load)
        let others = try LocalFixtures.all.map { try LocalFixtures.load($0) }
        let corpus = (faint + others).map { Self.extractor.extract($0).withoutMirror }
        let crop = Self.edits[0].make
        var worst = 0
        for (i, img) in faint.enumerated() {
            for q in [img, crop(img)] {
                let query = Self.extractor.extract(q, includeMirrored: true)
                for (j, c) in corpus.enumerated() where j != i {
                    let e = try Self.matcher.match(query: query, candidate: c)
                    worst = max(worst, e.inliers)
                    #expect(!e.isMatch, "\(Self.faint[i]) vs corpus \(j): \(e.inliers) inliers")
                }
            }
        }
        print("faint vs unrelated: most inliers \(worst), threshold \(Self.matcher.parameters.minInliers)")
    }

    /// Why the normalisation exists: without it (the v1 parameters) the wallpaper keeps fewer
    /// keypoints than the inlier threshold, so no copy of it could ever be verified.
    @Test func withoutNormalisationTheWallpaperIsFeatureless() throws {
        let work = try Self.load("warty_final_ubuntu")
        let v1 = LocalFeatureExtractor(parameters: .init(minFastThreshold: 5, contrastSpread: 0))
        let before = v1.extract(work).keypoints.count, after = Self.extractor.extract(work).keypoints.count
        print("warty_final_ubuntu keypoints: \(before) without normalisation, \(after) with")
        #expect(before < Self.matcher.parameters.minInliers)
        #expect(after >= 256)
    }
}

@Suite("ContrastNormalisation")
struct ContrastNormalisationTests {
    static func grey(_ img: RGBImage) -> GreyImage { GreyImage(rgb: img) }

    /// The faint wallpaper is stretched to the default spread (170); an ordinary photo is left as it is.
    @Test func stretchesFaintImagesOnly() throws {
        let faint = Self.grey(try LocalFixtures.load("warty_final_ubuntu", folder: "lowcontrast"))
        let s = ContrastNormalisation.spread(faint)
        let (out, gain) = ContrastNormalisation.normalised(faint, target: 170, minGain: 1, maxGain: 4)
        let t = ContrastNormalisation.spread(out)
        print("wallpaper spread \(s) gain \(gain) -> \(t)")
        #expect(s.high - s.low < 64)
        #expect(gain > 3)
        #expect(t.high - t.low >= 150)
        let photo = Self.grey(try LocalFixtures.load("coffee"))
        let (same, one) = ContrastNormalisation.normalised(photo, target: 170, minGain: 1, maxGain: 4)
        #expect(one == 1)
        #expect(same.pixels == photo.pixels, "an ordinary photo is not stretched")
    }

    /// A flat border over 40 % of the picture (a 15 % pad, as in the benchmark) is one grey level:
    /// clipped, it barely moves the measured spread, so the copy gets about its original's gain.
    @Test func flatBorderBarelyMovesTheGain() throws {
        let img = try LocalFixtures.load("warty_final_ubuntu", folder: "lowcontrast")
        let l = img.width * 3 / 20, t = img.height * 3 / 20
        for fill: UInt8 in [0, 255] {
            let padded = LocalEdits.pad(img, left: l, top: t, right: l, bottom: t, fill: fill)
            let g0 = ContrastNormalisation.normalised(Self.grey(img), target: 255, minGain: 1, maxGain: 8).gain
            let g1 = ContrastNormalisation.normalised(Self.grey(padded), target: 255, minGain: 1, maxGain: 8).gain
            print("fill \(fill): gain \(g0) -> \(g1)")
            #expect(abs(g1 - g0) < 0.15 * g0)
        }
    }

    @Test func degenerateInputs() {
        let empty = GreyImage(width: 0, height: 0, pixels: [])!
        #expect(ContrastNormalisation.normalised(empty, target: 255, minGain: 1.25, maxGain: 4).gain == 1)
        let flat = GreyImage(width: 8, height: 8, pixels: [UInt8](repeating: 90, count: 64))!
        let (out, gain) = ContrastNormalisation.normalised(flat, target: 255, minGain: 1.25, maxGain: 4)
        #expect(gain == 4)
        #expect(out.pixels.allSatisfy { $0 == out.pixels[0] })
        #expect(ContrastNormalisation.normalised(flat, target: 0, minGain: 1.25, maxGain: 4).gain == 1)
    }
}
