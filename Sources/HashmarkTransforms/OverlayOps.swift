import HashmarkFingerprint

/// Text overlays drawn with the built-in 5×7 font (see `BitmapFont`).
public enum OverlayOps {
    /// A caption band across the bottom: `bandFraction` of the height, filled with `band` at
    /// `bandOpacity`, and the text in `ink`, centred, scaled to ~60 % of the band height,
    /// clipped at the edges when it is too long.
    public static func caption(_ image: RGBImage, text: String, bandFraction: Double,
                               ink: RGBColour = .white, band: RGBColour = .black,
                               bandOpacity: Double = 0.6) throws(TransformError) -> RGBImage {
        guard bandFraction > 0, bandFraction <= 1 else { throw .invalid("band fraction \(bandFraction) not in (0, 1]") }
        guard bandOpacity >= 0, bandOpacity <= 1 else { throw .invalid("opacity \(bandOpacity) not in [0, 1]") }
        var out = image
        let bandHeight = max(1, Int((Double(image.height) * bandFraction).rounded()))
        let top = image.height - bandHeight
        for y in top..<image.height {
            for x in 0..<image.width { blend(&out, x, y, band, bandOpacity) }
        }
        let scale = max(1, Int(Double(bandHeight) * 0.6 / Double(BitmapFont.height)))
        let textWidth = textWidth(text, scale: scale)
        let x0 = (image.width - textWidth) / 2
        let y0 = top + (bandHeight - BitmapFont.height * scale) / 2
        draw(&out, text, x: x0, y: y0, scale: scale, colour: ink, opacity: 1)
        return out
    }

    /// `text` tiled over the whole picture in `ink` at `opacity`, rows staggered, letter
    /// height about 1/12 of the shorter side — a stock-photo style watermark.
    public static func watermark(_ image: RGBImage, text: String, opacity: Double,
                                 ink: RGBColour = .white) throws(TransformError) -> RGBImage {
        guard opacity >= 0, opacity <= 1 else { throw .invalid("opacity \(opacity) not in [0, 1]") }
        var out = image
        let scale = max(1, min(image.width, image.height) / (12 * BitmapFont.height))
        let tw = textWidth(text, scale: scale) + 4 * BitmapFont.width * scale
        let rowStep = 3 * BitmapFont.height * scale
        guard tw > 0 else { return out }
        var row = 0
        var y = rowStep / 3
        while y < image.height {
            var x = (row % 2 == 0) ? 0 : -tw / 2
            while x < image.width {
                draw(&out, text, x: x, y: y, scale: scale, colour: ink, opacity: opacity)
                x += tw
            }
            y += rowStep
            row += 1
        }
        return out
    }

    static func textWidth(_ text: String, scale: Int) -> Int {
        text.isEmpty ? 0 : (text.count * (BitmapFont.width + 1) - 1) * scale
    }

    static func draw(_ image: inout RGBImage, _ text: String, x: Int, y: Int, scale: Int,
                     colour: RGBColour, opacity: Double) {
        for (i, ch) in text.enumerated() {
            let gx = x + i * (BitmapFont.width + 1) * scale
            for (c, r) in BitmapFont.cells(ch) {
                for dy in 0..<scale {
                    for dx in 0..<scale {
                        let px = gx + c * scale + dx, py = y + r * scale + dy
                        if px >= 0, py >= 0, px < image.width, py < image.height {
                            blend(&image, px, py, colour, opacity)
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    static func blend(_ image: inout RGBImage, _ x: Int, _ y: Int, _ c: RGBColour, _ a: Double) {
        let i = (y * image.width + x) * 3
        image.pixels[i] = clampByte(Double(image.pixels[i]) * (1 - a) + Double(c.r) * a)
        image.pixels[i + 1] = clampByte(Double(image.pixels[i + 1]) * (1 - a) + Double(c.g) * a)
        image.pixels[i + 2] = clampByte(Double(image.pixels[i + 2]) * (1 - a) + Double(c.b) * a)
    }
}
