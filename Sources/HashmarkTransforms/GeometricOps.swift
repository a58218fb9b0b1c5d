#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import HashmarkFingerprint

/// Where a fractional crop keeps its window.
public enum CropAnchor: String, Sendable, Hashable, Codable, CaseIterable {
    case center, topLeft = "topleft", topRight = "topright", bottomLeft = "bottomleft",
         bottomRight = "bottomright"
}

/// What a rotation does with the corners that leave the frame.
public enum RotationMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Output grows to the rotated bounding box; the uncovered corners get the fill colour.
    case expand
    /// Output keeps the input size around the same centre; corners are cut off and the
    /// uncovered wedges get the fill colour.
    case keepSize = "keep"
    /// Output is the largest axis-aligned rectangle inside the rotated picture: no fill at all
    /// (what a re-poster who straightens/crops a tilted scan ends up with).
    case innerCrop = "inner"
}

/// Resampling filter for resizes.
public enum ResizeFilter: String, Sendable, Hashable, Codable, CaseIterable {
    /// Bilinear at the output pixel centres (aliases when shrinking below ~0.5×, as cheap
    /// resizers do).
    case bilinear
    /// Exact area average (box filter with fractional overlaps): the right way to shrink.
    case area
}

/// Which edge a perspective tilt pulls in (the side that appears farther away).
public enum PerspectiveEdge: String, Sendable, Hashable, Codable, CaseIterable {
    case top, bottom, left, right
}

/// Geometric operations. Each returns the output and its output→source `Homography`.
public enum GeometricOps {
    public static func flipHorizontal(_ image: RGBImage) -> WarpResult {
        let w = image.width, h = image.height
        var out = image.pixels
        for y in 0..<h {
            for x in 0..<w {
                let d = (y * w + x) * 3, s = (y * w + (w - 1 - x)) * 3
                out[d] = image.pixels[s]
                out[d + 1] = image.pixels[s + 1]
                out[d + 2] = image.pixels[s + 2]
            }
        }
        let map = Homography([-1, 0, Double(w - 1), 0, 1, 0, 0, 0, 1]) ?? .identity
        return WarpResult(image: RGBImage(width: w, height: h, pixels: out) ?? image, outputToSource: map)
    }

    public static func flipVertical(_ image: RGBImage) -> WarpResult {
        let w = image.width, h = image.height, row = w * 3
        var out = image.pixels
        for y in 0..<h {
            out.replaceSubrange(y * row..<(y + 1) * row,
                                with: image.pixels[(h - 1 - y) * row..<(h - y) * row])
        }
        let map = Homography([1, 0, 0, 0, -1, Double(h - 1), 0, 0, 1]) ?? .identity
        return WarpResult(image: RGBImage(width: w, height: h, pixels: out) ?? image, outputToSource: map)
    }

    /// Keeps `rect`, which must lie inside the image.
    public static func crop(_ image: RGBImage, to rect: PixelRect) throws(TransformError) -> WarpResult {
        guard rect.x >= 0, rect.y >= 0, rect.width > 0, rect.height > 0,
              rect.x + rect.width <= image.width, rect.y + rect.height <= image.height else {
            throw .invalid("crop \(rect) outside \(image.width)×\(image.height)")
        }
        var out = [UInt8]()
        out.reserveCapacity(rect.width * rect.height * 3)
        for y in rect.y..<(rect.y + rect.height) {
            let start = (y * image.width + rect.x) * 3
            out.append(contentsOf: image.pixels[start..<(start + rect.width * 3)])
        }
        return WarpResult(image: try makeImage(rect.width, rect.height, out),
                          outputToSource: .translation(Double(rect.x), Double(rect.y)))
    }

    /// The window left after removing `fraction` (0 ≤ f < 1) of the width and of the height,
    /// placed at `anchor`. E.g. centre, 0.2: the middle 80 % × 80 % (64 % of the area).
    public static func cropRect(width: Int, height: Int, fraction: Double,
                                anchor: CropAnchor) throws(TransformError) -> PixelRect {
        guard fraction >= 0, fraction < 1 else { throw .invalid("crop fraction \(fraction) not in [0, 1)") }
        let cw = max(1, Int((Double(width) * (1 - fraction)).rounded()))
        let ch = max(1, Int((Double(height) * (1 - fraction)).rounded()))
        let (dx, dy) = (width - cw, height - ch)
        switch anchor {
        case .center: return PixelRect(x: dx / 2, y: dy / 2, width: cw, height: ch)
        case .topLeft: return PixelRect(x: 0, y: 0, width: cw, height: ch)
        case .topRight: return PixelRect(x: dx, y: 0, width: cw, height: ch)
        case .bottomLeft: return PixelRect(x: 0, y: dy, width: cw, height: ch)
        case .bottomRight: return PixelRect(x: dx, y: dy, width: cw, height: ch)
        }
    }

    /// Adds a border of `fraction` of the width on the left and right and of the height on
    /// top and bottom.
    public static func pad(_ image: RGBImage, fraction: Double, colour: RGBColour) throws(TransformError) -> WarpResult {
        guard fraction >= 0, fraction <= 4 else { throw .invalid("pad fraction \(fraction) not in [0, 4]") }
        let px = Int((Double(image.width) * fraction).rounded())
        let py = Int((Double(image.height) * fraction).rounded())
        let w = image.width + 2 * px, h = image.height + 2 * py
        try checkedSize(w, h)
        var out = [UInt8](repeating: 0, count: w * h * 3)
        for i in stride(from: 0, to: out.count, by: 3) {
            out[i] = colour.r
            out[i + 1] = colour.g
            out[i + 2] = colour.b
        }
        let srcRow = image.width * 3
        for y in 0..<image.height {
            let d = ((y + py) * w + px) * 3
            out.replaceSubrange(d..<(d + srcRow), with: image.pixels[(y * srcRow)..<((y + 1) * srcRow)])
        }
        return WarpResult(image: try makeImage(w, h, out),
                          outputToSource: .translation(-Double(px), -Double(py)))
    }

    /// Rotation by `degrees` about the image centre, counter-clockwise as displayed, bilinear.
    public static func rotate(_ image: RGBImage, degrees: Double, mode: RotationMode,
                              fill: RGBColour) throws(TransformError) -> WarpResult {
        guard degrees.isFinite else { throw .invalid("rotation angle is not finite") }
        let theta = degrees * Double.pi / 180
        let c = abs(cos(theta)), s = abs(sin(theta))
        let w = Double(image.width), h = Double(image.height)
        var ow: Int, oh: Int
        switch mode {
        case .expand:
            ow = Int((w * c + h * s - 1e-6).rounded(.up))
            oh = Int((w * s + h * c - 1e-6).rounded(.up))
        case .keepSize:
            (ow, oh) = (image.width, image.height)
        case .innerCrop:
            let (iw, ih) = largestInnerRect(w, h, c, s)
            ow = Int((iw + 1e-6).rounded(.down))
            oh = Int((ih + 1e-6).rounded(.down))
        }
        ow = max(1, ow)
        oh = max(1, oh)
        let map = Homography.translation((w - 1) / 2, (h - 1) / 2)
            * Homography.rotation(radians: -theta)
            * Homography.translation(-Double(ow - 1) / 2, -Double(oh - 1) / 2)
        return try warp(image, width: ow, height: oh, outputToSource: map, fill: fill)
    }

    /// Width and height of the largest axis-aligned rectangle inside a `w`×`h` rectangle
    /// rotated by an angle with |cos| = `c`, |sin| = `s`.
    static func largestInnerRect(_ w: Double, _ h: Double, _ c: Double, _ s: Double) -> (Double, Double) {
        if s < 1e-12 { return (w, h) }
        if c < 1e-12 { return (h, w) }
        let long = max(w, h), short = min(w, h)
        if short <= 2 * s * c * long || abs(s - c) < 1e-10 {
            // Half-constrained: two corners of the inner rectangle touch the long sides.
            let x = 0.5 * short
            return w >= h ? (x / s, x / c) : (x / c, x / s)
        }
        // Fully constrained: all four corners touch the rotated sides.
        let cos2 = c * c - s * s
        return ((w * c - h * s) / cos2, (h * c - w * s) / cos2)
    }

    /// Resize to `width`×`height` (non-uniform scaling changes the aspect ratio).
    public static func resize(_ image: RGBImage, width: Int, height: Int,
                              filter: ResizeFilter) throws(TransformError) -> WarpResult {
        try checkedSize(width, height)
        let sx = Double(image.width) / Double(width), sy = Double(image.height) / Double(height)
        // Pixel centres map to pixel centres: u = (x + 0.5)·sx − 0.5.
        let map = Homography([sx, 0, 0.5 * sx - 0.5, 0, sy, 0.5 * sy - 0.5, 0, 0, 1]) ?? .identity
        switch filter {
        case .bilinear:
            return try warp(image, width: width, height: height, outputToSource: map, fill: .black)
        case .area:
            let horizontal = try areaResample(image, outWidth: width)
            let both = try transposed(areaResample(transposed(horizontal), outWidth: height))
            return WarpResult(image: both, outputToSource: map)
        }
    }

    /// Resize by a factor, rounding the size (at least 1 pixel).
    public static func scale(_ image: RGBImage, x: Double, y: Double,
                             filter: ResizeFilter) throws(TransformError) -> WarpResult {
        guard x > 0, y > 0, x.isFinite, y.isFinite else { throw .invalid("scale \(x)×\(y) not positive") }
        let w = max(1, Int((Double(image.width) * x).rounded()))
        let h = max(1, Int((Double(image.height) * y).rounded()))
        return try resize(image, width: w, height: h, filter: filter)
    }

    /// Perspective tilt: the chosen edge is shortened by `amount` (0 ≤ a < 1) of its length,
    /// evenly on both ends, as if that side of the picture leaned away from the camera.
    /// Output keeps the input size; uncovered wedges get `fill`.
    public static func perspective(_ image: RGBImage, edge: PerspectiveEdge, amount: Double,
                                   fill: RGBColour) throws(TransformError) -> WarpResult {
        guard amount >= 0, amount < 1 else { throw .invalid("perspective amount \(amount) not in [0, 1)") }
        let w = Double(image.width), h = Double(image.height)
        let l = -0.5, t = -0.5, r = w - 0.5, b = h - 0.5
        let corners = [Point2(x: l, y: t), Point2(x: r, y: t), Point2(x: r, y: b), Point2(x: l, y: b)]
        var dest = corners
        let dx = amount * w / 2, dy = amount * h / 2
        switch edge {
        case .top: dest[0].x += dx; dest[1].x -= dx
        case .bottom: dest[3].x += dx; dest[2].x -= dx
        case .left: dest[0].y += dy; dest[3].y -= dy
        case .right: dest[1].y += dy; dest[2].y -= dy
        }
        guard let map = Homography.mapping(from: dest, to: corners) else {
            throw .invalid("degenerate perspective (amount \(amount))")
        }
        return try warp(image, width: image.width, height: image.height, outputToSource: map, fill: fill)
    }

    /// Horizontal area resampling: output pixel i averages source span [i·s, (i+1)·s).
    static func areaResample(_ image: RGBImage, outWidth: Int) throws(TransformError) -> RGBImage {
        let sw = image.width, h = image.height
        let scale = Double(sw) / Double(outWidth)
        var taps: [(start: Int, weights: [Double])] = []
        taps.reserveCapacity(outWidth)
        for i in 0..<outWidth {
            let a = Double(i) * scale, b = Double(i + 1) * scale
            let first = min(sw - 1, Int(a)), last = min(sw - 1, max(first, Int((b - 1e-9).rounded(.down))))
            var weights: [Double] = []
            for j in first...last {
                weights.append(max(0, min(b, Double(j + 1)) - max(a, Double(j))))
            }
            let total = weights.reduce(0, +)
            taps.append((first, total > 0 ? weights.map { $0 / total } : [1]))
        }
        var out = [UInt8](repeating: 0, count: outWidth * h * 3)
        for y in 0..<h {
            let row = y * sw * 3
            for (i, tap) in taps.enumerated() {
                var r = 0.0, g = 0.0, bl = 0.0
                for (k, wt) in tap.weights.enumerated() {
                    let s = row + (tap.start + k) * 3
                    r += wt * Double(image.pixels[s])
                    g += wt * Double(image.pixels[s + 1])
                    bl += wt * Double(image.pixels[s + 2])
                }
                let d = (y * outWidth + i) * 3
                out[d] = clampByte(r)
                out[d + 1] = clampByte(g)
                out[d + 2] = clampByte(bl)
            }
        }
        return try makeImage(outWidth, h, out)
    }

    static func transposed(_ image: RGBImage) throws(TransformError) -> RGBImage {
        let w = image.width, h = image.height
        var out = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                let s = (y * w + x) * 3, d = (x * h + y) * 3
                out[d] = image.pixels[s]
                out[d + 1] = image.pixels[s + 1]
                out[d + 2] = image.pixels[s + 2]
            }
        }
        return try makeImage(h, w, out)
    }
}
