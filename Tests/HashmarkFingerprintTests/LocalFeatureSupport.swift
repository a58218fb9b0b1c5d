import Foundation
import HashmarkFingerprint

/// Test helpers for the local-feature suites: fixture loading and exact, inline geometric edits
/// (each edit also returns the true source region, so tests can check the recovered region).
enum LocalFixtures {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/local")

    static let photos = ["astronaut", "coffee", "chelsea", "grace_hopper", "china"]
    static let illustrations = ["painting_colors", "damselfly", "gateau", "intro1"]
    static var all: [String] { photos + illustrations }

    struct LoadError: Error { let message: String }

    /// Binary PPM (P6, maxval 255) as written by Pillow: "P6\n<w> <h>\n255\n" then RGB bytes;
    /// `folder` is a sibling of `Fixtures/local`.
    static func load(_ name: String, folder: String = "local") throws -> RGBImage {
        let base = dir.deletingLastPathComponent().appendingPathComponent(folder)
        let data = try Data(contentsOf: base.appendingPathComponent(name + ".ppm"))
        let bytes = [UInt8](data)
        var fields: [Int] = []
        var i = 2
        guard bytes.starts(with: Array("P6".utf8)) else { throw LoadError(message: "\(name): not P6") }
        while fields.count < 3 {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
            var v = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { v = v * 10 + Int(bytes[i] - 0x30); i += 1 }
            fields.append(v)
        }
        i += 1
        guard fields[2] == 255, let img = RGBImage(width: fields[0], height: fields[1], pixels: Array(bytes[i...]))
        else { throw LoadError(message: "\(name): bad header") }
        return img
    }
}

/// Exact test edits. `warp` samples the source through the inverse of a 3 × 3 homography with
/// bilinear interpolation; pixels falling outside the source are filled with `fill`.
enum LocalEdits {
    static func crop(_ img: RGBImage, x: Int, y: Int, width: Int, height: Int) -> RGBImage {
        var out = [UInt8]()
        out.reserveCapacity(width * height * 3)
        for r in y..<(y + height) {
            let s = (r * img.width + x) * 3
            out.append(contentsOf: img.pixels[s..<(s + width * 3)])
        }
        return RGBImage(width: width, height: height, pixels: out)!
    }

    static func pad(_ img: RGBImage, left: Int, top: Int, right: Int, bottom: Int, fill: UInt8 = 255) -> RGBImage {
        let w = img.width + left + right, h = img.height + top + bottom
        var out = [UInt8](repeating: fill, count: w * h * 3)
        for r in 0..<img.height {
            let d = ((r + top) * w + left) * 3, s = r * img.width * 3
            out.replaceSubrange(d..<(d + img.width * 3), with: img.pixels[s..<(s + img.width * 3)])
        }
        return RGBImage(width: w, height: h, pixels: out)!
    }

    static func flip(_ img: RGBImage) -> RGBImage {
        var out = img.pixels
        for r in 0..<img.height {
            for x in 0..<img.width {
                let d = (r * img.width + x) * 3, s = (r * img.width + img.width - 1 - x) * 3
                out[d] = img.pixels[s]; out[d + 1] = img.pixels[s + 1]; out[d + 2] = img.pixels[s + 2]
            }
        }
        return RGBImage(width: img.width, height: img.height, pixels: out)!
    }

    /// `inverse` maps output pixel (x, y, 1) to source homogeneous coordinates.
    static func warp(_ img: RGBImage, width: Int, height: Int, inverse m: [Double], fill: UInt8 = 255) -> RGBImage {
        var out = [UInt8](repeating: fill, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let X = Double(x), Y = Double(y)
                let w = m[6] * X + m[7] * Y + m[8]
                let sx = (m[0] * X + m[1] * Y + m[2]) / w, sy = (m[3] * X + m[4] * Y + m[5]) / w
                guard sx >= 0, sy >= 0, sx <= Double(img.width - 1), sy <= Double(img.height - 1) else { continue }
                let x0 = min(Int(sx), img.width - 2), y0 = min(Int(sy), img.height - 2)
                let fx = sx - Double(x0), fy = sy - Double(y0)
                for ch in 0..<3 {
                    func p(_ u: Int, _ v: Int) -> Double { Double(img.pixels[(v * img.width + u) * 3 + ch]) }
                    let top = p(x0, y0) * (1 - fx) + p(x0 + 1, y0) * fx
                    let bot = p(x0, y0 + 1) * (1 - fx) + p(x0 + 1, y0 + 1) * fx
                    out[(y * width + x) * 3 + ch] = UInt8(max(0, min(255, (top * (1 - fy) + bot * fy).rounded())))
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)!
    }

    /// Rotation by `degrees` (clockwise on screen) about the centre, same canvas size.
    static func rotate(_ img: RGBImage, degrees: Double) -> RGBImage {
        let t = degrees * Double.pi / 180, c = cos(t), s = sin(t)
        let cx = Double(img.width) / 2, cy = Double(img.height) / 2
        // Inverse: source = R(-t) (out - centre) + centre.
        let inv = [c, s, cx - c * cx - s * cy, -s, c, cy + s * cx - c * cy, 0, 0, 1]
        return warp(img, width: img.width, height: img.height, inverse: inv)
    }

    /// Resampling to a new size (aspect change when the ratios differ).
    static func resize(_ img: RGBImage, width: Int, height: Int) -> RGBImage {
        let sx = Double(img.width) / Double(width), sy = Double(img.height) / Double(height)
        return warp(img, width: width, height: height, inverse: [sx, 0, 0.5 * sx - 0.5, 0, sy, 0.5 * sy - 0.5, 0, 0, 1])
    }

    /// Perspective tilt: the top edge shrunk by `amount` of the width on each side (a view from below).
    static func tilt(_ img: RGBImage, amount: Double) -> RGBImage {
        let w = Double(img.width), h = Double(img.height)
        // Forward map of the source corners: (0,0)->(a w,0), (w,0)->(w - a w,0), (w,h)->(w,h), (0,h)->(0,h).
        let dst = [(amount * w, 0.0), (w - amount * w, 0.0), (w, h), (0.0, h)]
        let src = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)]
        return warp(img, width: img.width, height: img.height, inverse: homography(from: dst, to: src))
    }

    /// The homography taking four points `from` onto `to` (direct linear solve, 8 × 8).
    static func homography(from: [(Double, Double)], to: [(Double, Double)]) -> [Double] {
        var a = [[Double]](repeating: [Double](repeating: 0, count: 9), count: 8)
        for i in 0..<4 {
            let (x, y) = from[i], (u, v) = to[i]
            a[2 * i] = [x, y, 1, 0, 0, 0, -u * x, -u * y, u]
            a[2 * i + 1] = [0, 0, 0, x, y, 1, -v * x, -v * y, v]
        }
        for col in 0..<8 {
            let piv = (col..<8).max { abs(a[$0][col]) < abs(a[$1][col]) }!
            a.swapAt(col, piv)
            for r in 0..<8 where r != col {
                let f = a[r][col] / a[col][col]
                for k in col..<9 { a[r][k] -= f * a[col][k] }
            }
        }
        return (0..<8).map { a[$0][8] / a[$0][$0] } + [1]
    }
}
