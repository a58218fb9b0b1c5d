import Foundation
import HashmarkEngine
import HashmarkFingerprint
import HashmarkMedia
import HashmarkStore
import HashmarkTransforms

/// A hard negative that shares a small element with a registered work, as an unrelated image
/// shares a distributor's logo or a project emblem with works in the corpus (issue #16 item 7): a
/// square of the work, `side` of its shorter side, cut where the work has the most detail (where
/// keypoints are), pasted into the unrelated image at the same share of its shorter side, at a
/// seeded place. Hashmark must find it clear: the element is not the work.
public struct SharedElement: Sendable, Hashable, Codable {
    /// The square's side as a share of the work's (and the image's) shorter side.
    public var side: Double

    public init(side: Double) { self.side = side }

    public static let standard = SharedElement(side: 0.2)

    public var name: String { "shared-element-\(Int((side * 100).rounded()))" }

    /// The element: the square of `work` that `apply` pastes (nil for an empty work).
    public func element(of work: RGBImage) -> RGBImage? {
        let s = min(max(8, Int(Double(min(work.width, work.height)) * side)), work.width, work.height)
        guard s > 0 else { return nil }
        let (x0, y0) = Self.mostDetailed(work, side: s)
        var patch = [UInt8](repeating: 0, count: s * s * 3)
        for y in 0..<s {
            let src = ((y0 + y) * work.width + x0) * 3
            patch.replaceSubrange((y * s * 3)..<((y + 1) * s * 3), with: work.pixels[src..<(src + s * 3)])
        }
        return RGBImage(width: s, height: s, pixels: patch)
    }

    /// `image` with the element of `work` pasted in.
    public func apply(to image: RGBImage, work: RGBImage, rng: inout SeededGenerator) throws -> RGBImage {
        let t = min(max(8, Int(Double(min(image.width, image.height)) * side)), image.width, image.height)
        guard t > 0, let element = element(of: work) else { return image }
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

/// Hard negatives for ignore-elements (issue #16 item 7): per split, one registered opaque image
/// (the first by id) has a square of it, `element`, registered as an ignore-element, as a rights
/// holder registers a logo that its works carry; every image distractor gets a
/// `registered-element` case with that square pasted in. The square is larger than what the
/// matched-area rule clears on its own, so only the registration keeps these clear, while the
/// owner's own copies (every positive case of it) must stay copies.
public enum RegisteredElement {
    /// Three tenths of the shorter side: about 9 % of a square work, above the 5 % rule.
    public static let element = SharedElement(side: 0.3)
    public static let caseName = "registered-element-30"

    /// The work whose element is registered: the first opaque registered image by id.
    public static func owner(among registered: [PoolWork]) -> PoolWork? {
        registered.filter { $0.modality == .image && !$0.transparent }.min { $0.id < $1.id }
    }

    /// The ignore-element's id for `work`.
    public static func id(of work: PoolWork) -> String { "element-of-\(work.id)" }

    /// Registers `element` of each owner (decoded from its file, saved as a JPEG q95 in `folder`)
    /// as an ignore-element through `ingest`.
    static func register(_ owners: [PoolWork], ingest: Ingest, folder: URL) throws(EvalError) {
        for work in owners {
            do {
                let image = try ImageDecoder.decode(contentsOfFile: work.path).image
                guard let square = element.element(of: image) else { continue }
                let file = folder.appendingPathComponent("\(id(of: work)).jpg")
                try Data(try JPEGEncoder.encode(square, quality: 95)).write(to: file)
                _ = try ingest.add(path: file.path, metadata: .init(id: id(of: work), owner: work.owner, license: work.license,
                                                                    source: work.path, role: .ignoreElement))
            } catch {
                throw EvalError(code: "corpus-build-failed", message: "cannot register the ignore-element of \(work.id)",
                                underlying: error)
            }
        }
    }
}
