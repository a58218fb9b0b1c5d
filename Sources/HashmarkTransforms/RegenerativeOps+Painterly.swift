import HashmarkFingerprint

/// Re-renderings of the evaluation made by other code than the image descriptor's training
/// augmentations (`Scripts/train-descriptor/augment.py`, OpenCV): oil paint (Kuwahara) and
/// dithering are kinds it never trained on, so `hashmark eval` measures how it generalises; a
/// pencil sketch is a kind it trained on (OpenCV's `pencilSketch`), made here by another algorithm.
extension RegenerativeOps {
    /// Oil-paint look (Kuwahara filter): each pixel takes the mean colour of whichever of its four
    /// (r+1)×(r+1) corner windows has the lowest luma variance: flat brush strokes, sharp edges.
    public static func oilPaint(_ image: RGBImage, radius r: Int) throws(TransformError) -> RGBImage {
        guard (1...12).contains(r) else { throw .invalid("oil paint radius \(r) not in 1…12") }
        let w = image.width, h = image.height
        // Integral images of R, G, B, luma and luma² ((w+1)×(h+1), Double: exact enough at these sizes).
        let stride = w + 1
        var sums = [[Double]](repeating: [Double](repeating: 0, count: stride * (h + 1)), count: 5)
        for y in 0..<h {
            var row = [Double](repeating: 0, count: 5)
            for x in 0..<w {
                let i = (y * w + x) * 3
                let l = PhotometricOps.luma(image.pixels, i)
                let v = [Double(image.pixels[i]), Double(image.pixels[i + 1]), Double(image.pixels[i + 2]), l, l * l]
                for c in 0..<5 {
                    row[c] += v[c]
                    sums[c][(y + 1) * stride + x + 1] = sums[c][y * stride + x + 1] + row[c]
                }
            }
        }
        func box(_ c: Int, _ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) -> Double {
            sums[c][y1 * stride + x1] - sums[c][y0 * stride + x1] - sums[c][y1 * stride + x0] + sums[c][y0 * stride + x0]
        }
        var out = image
        for y in 0..<h {
            for x in 0..<w {
                var best = Double.infinity
                var colour = (0.0, 0.0, 0.0)
                for (dx, dy) in [(-r, -r), (0, -r), (-r, 0), (0, 0)] {
                    let x0 = max(0, x + dx), y0 = max(0, y + dy), x1 = min(w, x + dx + r + 1), y1 = min(h, y + dy + r + 1)
                    let n = Double((x1 - x0) * (y1 - y0))
                    let mean = box(3, x0, y0, x1, y1) / n
                    let variance = box(4, x0, y0, x1, y1) / n - mean * mean
                    if variance < best {
                        best = variance
                        colour = (box(0, x0, y0, x1, y1) / n, box(1, x0, y0, x1, y1) / n, box(2, x0, y0, x1, y1) / n)
                    }
                }
                let i = (y * w + x) * 3
                out.pixels[i] = clampByte(colour.0)
                out.pixels[i + 1] = clampByte(colour.1)
                out.pixels[i + 2] = clampByte(colour.2)
            }
        }
        return out
    }

    /// Pencil sketch: the grey image "colour-dodged" by its own blurred negative (what sketch
    /// filters do), so flat areas go white and only edges and texture stay as grey strokes.
    public static func pencilSketch(_ image: RGBImage, sigma: Double) throws(TransformError) -> RGBImage {
        let grey = PhotometricOps.greyscale(image)
        var negative = grey
        for i in negative.pixels.indices { negative.pixels[i] = 255 - grey.pixels[i] }
        let blurred = try PhotometricOps.gaussianBlur(negative, sigma: sigma)
        var out = grey
        for i in out.pixels.indices {
            let g = Double(grey.pixels[i]), b = Double(blurred.pixels[i])
            out.pixels[i] = b >= 255 ? 255 : clampByte(g * 255 / (255 - b))
        }
        return out
    }

    /// Ordered (4×4 Bayer) dithering of each channel to `levels` values: the halftone look of
    /// print and pixel-art re-renderings.
    public static func dither(_ image: RGBImage, levels: Int) throws(TransformError) -> RGBImage {
        guard (2...16).contains(levels) else { throw .invalid("dither levels \(levels) not in 2…16") }
        let bayer: [Double] = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5]
        let step = 255 / Double(levels - 1)
        var out = image
        for y in 0..<image.height {
            for x in 0..<image.width {
                let t = (bayer[(y % 4) * 4 + x % 4] + 0.5) / 16 - 0.5
                let i = (y * image.width + x) * 3
                for c in 0..<3 {
                    let v = Double(image.pixels[i + c]) / step + t
                    out.pixels[i + c] = clampByte((v.rounded() * step))
                }
            }
        }
        return out
    }
}
