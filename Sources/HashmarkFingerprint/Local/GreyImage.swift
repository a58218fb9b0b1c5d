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
        let n = rgb.width * rgb.height
        var out = [UInt8](repeating: 0, count: n)
        rgb.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                guard src.count >= 3 * n else { return }
                for i in 0..<n {
                    let r = UInt32(src[3 * i]), g = UInt32(src[3 * i + 1]), b = UInt32(src[3 * i + 2])
                    dst[i] = UInt8(truncatingIfNeeded: (77 * r + 150 * g + 29 * b + 128) >> 8)
                }
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
