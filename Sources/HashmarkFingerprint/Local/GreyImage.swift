/// An 8-bit single-channel image, rows top to bottom, no padding: the working type of the
/// local-feature pipeline (greyscale levels of the pyramid).
public struct GreyImage: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    /// `nil` when the sizes disagree with the buffer or are negative.
    public init?(width: Int, height: Int, pixels: [UInt8]) {
        guard width >= 0, height >= 0,
              !width.multipliedReportingOverflow(by: height).overflow,
              pixels.count == width * height else { return nil }
        self.width = width; self.height = height; self.pixels = pixels
    }

    init(uncheckedWidth width: Int, height: Int, pixels: [UInt8]) {
        self.width = width; self.height = height; self.pixels = pixels
    }

    /// ITU-R BT.601 luma in 8.8 fixed point: Y = (77 R + 150 G + 29 B + 128) >> 8.
    public init(rgb: RGBImage) {
        var out = [UInt8](repeating: 0, count: rgb.width * rgb.height)
        rgb.pixels.withUnsafeBufferPointer { src in
            for i in 0..<out.count {
                let r = UInt32(src[3 * i]), g = UInt32(src[3 * i + 1]), b = UInt32(src[3 * i + 2])
                out[i] = UInt8(truncatingIfNeeded: (77 * r + 150 * g + 29 * b + 128) >> 8)
            }
        }
        self.init(uncheckedWidth: rgb.width, height: rgb.height, pixels: out)
    }

    @inline(__always) func at(_ x: Int, _ y: Int) -> UInt8 { pixels[y * width + x] }

    /// Box-average reduction by an integer factor (used once, to bring huge inputs near `maxSide`
    /// without the aliasing bilinear sampling would give).
    func boxReduced(by k: Int) -> GreyImage {
        guard k > 1 else { return self }
        let w = width / k, h = height / k
        guard w > 0, h > 0 else { return self }
        var out = [UInt8](repeating: 0, count: w * h)
        let area = UInt32(k * k)
        for y in 0..<h {
            for x in 0..<w {
                var s: UInt32 = 0
                for dy in 0..<k {
                    let row = (y * k + dy) * width + x * k
                    for dx in 0..<k { s += UInt32(pixels[row + dx]) }
                }
                out[y * w + x] = UInt8(truncatingIfNeeded: (s + area / 2) / area)
            }
        }
        return GreyImage(uncheckedWidth: w, height: h, pixels: out)
    }

    /// Bilinear resampling to `w × h` in 8-bit fixed point (pixel centres aligned).
    func resized(width w: Int, height h: Int) -> GreyImage {
        guard w > 0, h > 0, width > 0, height > 0 else {
            return GreyImage(uncheckedWidth: max(w, 0), height: max(h, 0),
                             pixels: [UInt8](repeating: 0, count: max(w, 0) * max(h, 0)))
        }
        func taps(_ n: Int, _ src: Int) -> [(Int, Int, Int)] {
            let ratio = Double(src) / Double(n)
            return (0..<n).map { i in
                let s = max(0, (Double(i) + 0.5) * ratio - 0.5)
                let i0 = min(Int(s), src - 1)
                let i1 = min(i0 + 1, src - 1)
                let f = Int(((s - Double(i0)) * 256).rounded())
                return (i0, i1, min(f, 256))
            }
        }
        let xs = taps(w, width), ys = taps(h, height)
        var out = [UInt8](repeating: 0, count: w * h)
        pixels.withUnsafeBufferPointer { src in
            for y in 0..<h {
                let (y0, y1, fy) = ys[y]
                let r0 = y0 * width, r1 = y1 * width
                for x in 0..<w {
                    let (x0, x1, fx) = xs[x]
                    let top = Int(src[r0 + x0]) * (256 - fx) + Int(src[r0 + x1]) * fx
                    let bot = Int(src[r1 + x0]) * (256 - fx) + Int(src[r1 + x1]) * fx
                    out[y * w + x] = UInt8(truncatingIfNeeded: (top * (256 - fy) + bot * fy + 32768) >> 16)
                }
            }
        }
        return GreyImage(uncheckedWidth: w, height: h, pixels: out)
    }

    /// The horizontally flipped image (column `x` becomes `width - 1 - x`).
    public var mirrored: GreyImage {
        var out = pixels
        for y in 0..<height {
            let r = y * width
            for x in 0..<width { out[r + x] = pixels[r + width - 1 - x] }
        }
        return GreyImage(uncheckedWidth: width, height: height, pixels: out)
    }
}
