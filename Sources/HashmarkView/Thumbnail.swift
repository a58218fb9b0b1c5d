import HashmarkEngine
import HashmarkFingerprint
import HashmarkMedia
import HashmarkStore

/// Small JPEG previews: of corpus works at ingest, of the submitted file for the HTML view.
public enum Thumbnail {
    /// Longest side of a stored thumbnail, in pixels.
    public static let maxSide = 320
    /// JPEG quality of thumbnails: small files, faces and text still recognisable.
    public static let quality = 80

    /// What ingest calls to store a preview of each image work (`Ingest.thumbnailer`).
    public static let maker: Ingest.Thumbnailer = { decoded in
        try? make(decoded.image, originalWidth: decoded.originalWidth, originalHeight: decoded.originalHeight)
    }

    /// Area-downscales `image` so its longest side is at most `maxSide` (never upscales) and
    /// encodes it as JPEG. `originalWidth/Height` are the upright full-resolution size the
    /// evidence regions refer to (the image given may already be a scaled decode).
    public static func make(_ image: RGBImage, originalWidth: Int, originalHeight: Int,
                            maxSide: Int = Thumbnail.maxSide,
                            quality: Int = Thumbnail.quality) throws(MediaError) -> WorkThumbnail {
        let small = downscale(image, maxSide: maxSide)
        let jpeg = try JPEGEncoder.encode(small, quality: quality)
        return WorkThumbnail(width: small.width, height: small.height, originalWidth: originalWidth,
                             originalHeight: originalHeight, jpeg: jpeg)
    }

    /// Decodes image bytes (JPEG at a reduced DCT scale when that is enough) and makes a thumbnail.
    public static func make(imageBytes bytes: [UInt8], limits: ImageLimits = .init(),
                            maxSide: Int = Thumbnail.maxSide) throws(MediaError) -> WorkThumbnail {
        let decoded = try ImageDecoder.decode(bytes, limits: limits, minimumSide: maxSide)
        return try make(decoded.image, originalWidth: decoded.originalWidth,
                        originalHeight: decoded.originalHeight, maxSide: maxSide)
    }

    /// The size that fits `width`×`height` into `maxSide` keeping the aspect ratio (at least 1 px).
    public static func fittedSize(width: Int, height: Int, maxSide: Int) -> (width: Int, height: Int) {
        let longest = max(width, height)
        guard longest > maxSide, maxSide > 0 else { return (width, height) }
        let w = max(1, Int((Double(width) * Double(maxSide) / Double(longest)).rounded()))
        let h = max(1, Int((Double(height) * Double(maxSide) / Double(longest)).rounded()))
        return (min(w, maxSide), min(h, maxSide))
    }

    /// Box-filter downscale: each output pixel is the mean of the source pixels whose centres
    /// fall in its footprint (no aliasing, unlike nearest-neighbour).
    static func downscale(_ image: RGBImage, maxSide: Int) -> RGBImage {
        let (w, h) = fittedSize(width: image.width, height: image.height, maxSide: maxSide)
        guard w != image.width || h != image.height else { return image }
        let sw = image.width, sh = image.height
        // Source column/row bounds of each output column/row; every footprint is non-empty.
        func bounds(_ n: Int, _ src: Int) -> [Range<Int>] {
            (0..<n).map { i in
                let lo = i * src / n
                return lo..<max(lo + 1, (i + 1) * src / n)
            }
        }
        let xs = bounds(w, sw), ys = bounds(h, sh)
        var out = [UInt8](repeating: 0, count: w * h * 3)
        var row = [UInt32](repeating: 0, count: sw * 3)
        image.pixels.withUnsafeBufferPointer { src in
            for oy in 0..<h {
                for i in row.indices { row[i] = 0 }
                for sy in ys[oy] {
                    let base = sy * sw * 3
                    for i in 0..<(sw * 3) { row[i] &+= UInt32(src[base + i]) }
                }
                for ox in 0..<w {
                    var r: UInt32 = 0, g: UInt32 = 0, b: UInt32 = 0
                    for sx in xs[ox] { r &+= row[sx * 3]; g &+= row[sx * 3 + 1]; b &+= row[sx * 3 + 2] }
                    let n = UInt32(xs[ox].count * ys[oy].count)
                    let o = (oy * w + ox) * 3
                    out[o] = UInt8((r + n / 2) / n)
                    out[o + 1] = UInt8((g + n / 2) / n)
                    out[o + 2] = UInt8((b + n / 2) / n)
                }
            }
        }
        return RGBImage(width: w, height: h, pixels: out) ?? image
    }
}
