import CPNG
import HashmarkFingerprint

/// PNG through libpng's simplified `png_image` API (error codes, no setjmp on our side).
///
/// libpng expands palette, grey, grey+alpha, 16-bit and interlaced files itself. 16-bit files
/// without colour-space chunks are read as sRGB-encoded (`PNG_IMAGE_FLAG_16BIT_sRGB`), as viewers
/// and Pillow treat them, rather than libpng's default assumption of linear data. Text chunks and extra
/// iCCP profiles are removed first (`PNGChunks.forLibpng`): libpng would inflate every one. More
/// compressed image data than the image can use is refused before libpng inflates it all.
enum PNGDecoder {
    static func decode(_ bytes: [UInt8], limits: ImageLimits) throws(MediaError) -> DecodedImage {
        if let data = PNGChunks.imageData(bytes), data.compressed > data.budget {
            throw MediaError(code: MediaError.Code.corruptImage,
                             message: "The PNG holds \(data.compressed) bytes of compressed image data; "
                                 + "its size needs at most \(data.budget).")
        }
        let input = PNGChunks.forLibpng(bytes) ?? bytes
        let result: Result<DecodedImage, MediaError> = input.withUnsafeBufferPointer { buf in
            // libpng keeps reading from `buf` until finish_read: both calls stay inside this closure.
            var png = png_image()
            png.version = UInt32(PNG_IMAGE_VERSION)
            defer { png_image_free(&png) }
            guard png_image_begin_read_from_memory(&png, buf.baseAddress, buf.count) != 0 else {
                return .failure(error(png, stage: "header"))
            }
            let w = Int(png.width), h = Int(png.height)
            do throws(MediaError) {
                try ImageDecoder.checkDimensions(width: w, height: h, limits: limits, format: .png)
            } catch {
                return .failure(error)
            }
            let hasAlpha = png.format & UInt32(PNG_FORMAT_FLAG_ALPHA) != 0
            if png.format & UInt32(PNG_FORMAT_FLAG_LINEAR) != 0 {
                png.flags |= UInt32(PNG_IMAGE_FLAG_16BIT_sRGB)
            }
            png.format = UInt32(hasAlpha ? PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA : PNG_FORMAT_FLAG_COLOR)
            let channels = hasAlpha ? 4 : 3
            var pixels = [UInt8](repeating: 0, count: w * h * channels)
            let ok = pixels.withUnsafeMutableBytes { out in
                png_image_finish_read(&png, nil, out.baseAddress, 0, nil)
            }
            guard ok != 0 else { return .failure(error(png, stage: "data")) }
            var alpha: [UInt8]? = nil
            if hasAlpha { (pixels, alpha) = ImageDecoder.compositeOverWhite(rgba: pixels, width: w, height: h) }
            guard let image = RGBImage(width: w, height: h, pixels: pixels) else {
                return .failure(MediaError(code: MediaError.Code.internalError, message: "Decoded buffer size mismatch."))
            }
            return .success(DecodedImage(image: image, format: .png, originalWidth: w, originalHeight: h, alpha: alpha))
        }
        return try result.get()
    }

    /// libpng's message mapped to `truncated` (data ran out) or `corrupt-image`.
    private static func error(_ png: png_image, stage: String) -> MediaError {
        let message = withUnsafeBytes(of: png.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        let truncationWords = ["out of data", "read error", "read beyond end", "not enough image data",
                               "end of file", "unexpected end"]
        if truncationWords.contains(where: { message.lowercased().contains($0) }) {
            return MediaError(code: MediaError.Code.truncated, message: "The PNG data ends before the image does.",
                              underlying: message)
        }
        return MediaError(code: MediaError.Code.corruptImage, message: "The PNG \(stage) is corrupt.",
                          underlying: message)
    }
}
