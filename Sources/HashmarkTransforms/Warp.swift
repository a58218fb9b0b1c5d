import HashmarkFingerprint

/// An image produced by a geometric transform, with the map from its pixel coordinates back
/// to the source's.
public struct WarpResult: Sendable {
    public let image: RGBImage
    /// Output pixel coordinates → source pixel coordinates (see `Point2` for the convention).
    public let outputToSource: Homography

    public init(image: RGBImage, outputToSource: Homography) {
        self.image = image
        self.outputToSource = outputToSource
    }
}

/// Bilinear sample of `image` at a source point; `nil` when the point lies outside the
/// source's pixel area `[-0.5, w-0.5] × [-0.5, h-0.5]`. Inside that area, coordinates are
/// clamped to the outermost pixel centres (edge pixels extend to the border).
@inline(__always)
func sampleBilinear(_ px: UnsafeBufferPointer<UInt8>, _ w: Int, _ h: Int,
                    _ x: Double, _ y: Double, _ out: inout (Double, Double, Double)) -> Bool {
    guard x >= -0.5, y >= -0.5, x <= Double(w) - 0.5, y <= Double(h) - 0.5 else { return false }
    let cx = min(max(x, 0), Double(w - 1))
    let cy = min(max(y, 0), Double(h - 1))
    let x0 = Int(cx), y0 = Int(cy)
    let x1 = min(x0 + 1, w - 1), y1 = min(y0 + 1, h - 1)
    let fx = cx - Double(x0), fy = cy - Double(y0)
    let i00 = (y0 * w + x0) * 3, i10 = (y0 * w + x1) * 3
    let i01 = (y1 * w + x0) * 3, i11 = (y1 * w + x1) * 3
    let w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy
    out.0 = w00 * Double(px[i00]) + w10 * Double(px[i10]) + w01 * Double(px[i01]) + w11 * Double(px[i11])
    out.1 = w00 * Double(px[i00 + 1]) + w10 * Double(px[i10 + 1])
        + w01 * Double(px[i01 + 1]) + w11 * Double(px[i11 + 1])
    out.2 = w00 * Double(px[i00 + 2]) + w10 * Double(px[i10 + 2])
        + w01 * Double(px[i01 + 2]) + w11 * Double(px[i11 + 2])
    return true
}

extension GeometricOps {
    /// Generic projective warp: every output pixel centre is mapped through `outputToSource`
    /// and sampled bilinearly; pixels that land outside the source get `fill`.
    public static func warp(_ image: RGBImage, width: Int, height: Int,
                            outputToSource: Homography, fill: RGBColour) throws(TransformError) -> WarpResult {
        try checkedSize(width, height)
        let m = outputToSource.m
        var out = [UInt8](repeating: 0, count: width * height * 3)
        let sw = image.width, sh = image.height
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var rgb = (0.0, 0.0, 0.0)
                for y in 0..<height {
                    let fy = Double(y)
                    for x in 0..<width {
                        let fx = Double(x)
                        let o = (y * width + x) * 3
                        let wz = m[6] * fx + m[7] * fy + m[8]
                        var inside = false
                        if abs(wz) > 1e-12 {
                            let u = (m[0] * fx + m[1] * fy + m[2]) / wz
                            let v = (m[3] * fx + m[4] * fy + m[5]) / wz
                            inside = sampleBilinear(src, sw, sh, u, v, &rgb)
                        }
                        if inside {
                            dst[o] = clampByte(rgb.0)
                            dst[o + 1] = clampByte(rgb.1)
                            dst[o + 2] = clampByte(rgb.2)
                        } else {
                            dst[o] = fill.r
                            dst[o + 1] = fill.g
                            dst[o + 2] = fill.b
                        }
                    }
                }
            }
        }
        return WarpResult(image: try makeImage(width, height, out), outputToSource: outputToSource)
    }
}
