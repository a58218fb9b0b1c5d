import HashmarkFingerprint
import HashmarkTransforms

/// A hard negative that shares a small element with a registered work, as an unrelated image
/// shares a distributor's logo or a project emblem with works in the corpus (issue #16 item 7): a
/// square of the work, `side` of its shorter side, cut where the work has the most detail (where
/// keypoints are), pasted into the unrelated image at the same share of its shorter side, at a
/// seeded place. Hashmark must find it clear: the element is not the work.
public struct SharedElement: Sendable, Hashable, Codable {
    /// The square's side as a share of the work's (and the image's) shorter side.
    public var side: Double

    public static let standard = SharedElement(side: 0.2)

    public var name: String { "shared-element-\(Int((side * 100).rounded()))" }

    /// `image` with the element of `work` pasted in.
    public func apply(to image: RGBImage, work: RGBImage, rng: inout SeededGenerator) throws -> RGBImage {
        let s = min(max(8, Int(Double(min(work.width, work.height)) * side)), work.width, work.height)
        let t = min(max(8, Int(Double(min(image.width, image.height)) * side)), image.width, image.height)
        guard s > 0, t > 0 else { return image }
        let (x0, y0) = Self.mostDetailed(work, side: s)
        var patch = [UInt8](repeating: 0, count: s * s * 3)
        for y in 0..<s {
            let src = ((y0 + y) * work.width + x0) * 3
            patch.replaceSubrange((y * s * 3)..<((y + 1) * s * 3), with: work.pixels[src..<(src + s * 3)])
        }
        guard let element = RGBImage(width: s, height: s, pixels: patch) else { return image }
        let scaled = try GeometricOps.resize(element, width: t, height: t, filter: .bilinear).image
        let x = Int(rng.next() % UInt64(image.width - t + 1)), y = Int(rng.next() % UInt64(image.height - t + 1))
        var out = image
        for row in 0..<t {
            let dst = ((y + row) * image.width + x) * 3
            out.pixels.replaceSubrange(dst..<(dst + t * 3), with: scaled.pixels[(row * t * 3)..<((row + 1) * t * 3)])
        }
        return out
    }

    /// The top-left corner of the `side`-pixel square, on a 9 × 9 grid of places, whose grey
    /// levels vary most between neighbouring pixels (the sum of absolute differences).
    static func mostDetailed(_ work: RGBImage, side: Int) -> (Int, Int) {
        let w = work.width, h = work.height
        func grey(_ x: Int, _ y: Int) -> Int {
            let i = (y * w + x) * 3
            return Int(work.pixels[i]) + 2 * Int(work.pixels[i + 1]) + Int(work.pixels[i + 2])
        }
        var best = (0, 0), bestDetail = -1
        for gy in 0...8 {
            for gx in 0...8 {
                let x0 = (w - side) * gx / 8, y0 = (h - side) * gy / 8
                var detail = 0
                for y in stride(from: y0, to: y0 + side - 1, by: 2) {
                    for x in stride(from: x0, to: x0 + side - 1, by: 2) {
                        detail += abs(grey(x + 1, y) - grey(x, y)) + abs(grey(x, y + 1) - grey(x, y))
                    }
                }
                if detail > bestDetail { bestDetail = detail; best = (x0, y0) }
            }
        }
        return best
    }
}
