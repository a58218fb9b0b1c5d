import CWebP
import HashmarkFingerprint

/// Still WebP (lossy or lossless) through libwebp's simple decoding API.
enum WebPDecoder {
    static func decode(_ bytes: [UInt8], limits: ImageLimits) throws(MediaError) -> DecodedImage {
        var features = WebPBitstreamFeatures()
        let status = bytes.withUnsafeBufferPointer { WebPGetFeatures($0.baseAddress, $0.count, &features) }
        // The RIFF header states the file's length: fewer bytes than that means a cut-off file.
        let riffSize = bytes.count >= 8 ? Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 | Int(bytes[7]) << 24 : 0
        let truncated = bytes.count < riffSize + 8
        guard status == VP8_STATUS_OK else {
            if truncated || status == VP8_STATUS_NOT_ENOUGH_DATA { throw truncatedError() }
            throw MediaError(code: MediaError.Code.corruptImage, message: "The WebP header is corrupt.",
                             underlying: "VP8StatusCode \(status.rawValue)")
        }
        if features.has_animation != 0 {
            throw MediaError(code: MediaError.Code.unsupportedMedia, message: "Animated WebP is not supported.")
        }
        let w = Int(features.width), h = Int(features.height)
        try ImageDecoder.checkDimensions(width: w, height: h, limits: limits, format: .webp)
        let hasAlpha = features.has_alpha != 0
        let channels = hasAlpha ? 4 : 3
        var pixels = [UInt8](repeating: 0, count: w * h * channels)
        let decoded = bytes.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                hasAlpha
                    ? WebPDecodeRGBAInto(src.baseAddress, src.count, dst.baseAddress, dst.count, Int32(w * 4))
                    : WebPDecodeRGBInto(src.baseAddress, src.count, dst.baseAddress, dst.count, Int32(w * 3))
            }
        }
        guard decoded != nil else {
            if truncated { throw truncatedError() }
            throw MediaError(code: MediaError.Code.corruptImage, message: "The WebP data is corrupt.")
        }
        var alpha: [UInt8]? = nil
        if hasAlpha { (pixels, alpha) = ImageDecoder.compositeOverWhite(rgba: pixels, width: w, height: h) }
        guard let image = RGBImage(width: w, height: h, pixels: pixels) else {
            throw MediaError(code: MediaError.Code.internalError, message: "Decoded buffer size mismatch.")
        }
        return DecodedImage(image: image, format: .webp, originalWidth: w, originalHeight: h, alpha: alpha)
    }

    private static func truncatedError() -> MediaError {
        MediaError(code: MediaError.Code.truncated, message: "The WebP data ends before the image does.")
    }
}
