import CGIF
import HashmarkFingerprint

/// The first frame of a GIF through giflib, read record by record so an animation's later frames
/// are never decoded (DGifSlurp would allocate every frame).
enum GIFDecoder {
    /// Where giflib's read callback is in the caller's buffer.
    private struct Cursor {
        var base: UnsafePointer<UInt8>
        var count: Int
        var offset: Int
    }

    static func decode(_ bytes: [UInt8], limits: ImageLimits) throws(MediaError) -> DecodedImage {
        let result: Result<DecodedImage, MediaError> = bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return .failure(truncated(D_GIF_ERR_READ_FAILED)) }
            var cursor = Cursor(base: base, count: buf.count, offset: 0)
            return withUnsafeMutablePointer(to: &cursor) { cursorPointer in
                var openError: Int32 = 0
                guard let gif = DGifOpen(cursorPointer, { gif, dest, n in
                    guard let gif, let dest, n > 0,
                          let cursor = gif.pointee.UserData?.assumingMemoryBound(to: Cursor.self) else { return 0 }
                    let take = min(Int(n), cursor.pointee.count - cursor.pointee.offset)
                    guard take > 0 else { return 0 }
                    dest.update(from: cursor.pointee.base + cursor.pointee.offset, count: take)
                    cursor.pointee.offset += take
                    return Int32(take)
                }, &openError) else {
                    return .failure(failure(openError))
                }
                defer { var closeError: Int32 = 0; DGifCloseFile(gif, &closeError) }
                do throws(MediaError) { return .success(try firstFrame(gif, limits: limits)) } catch { return .failure(error) }
            }
        }
        return try result.get()
    }

    private static func firstFrame(_ gif: UnsafeMutablePointer<GifFileType>,
                                   limits: ImageLimits) throws(MediaError) -> DecodedImage {
        let w = Int(gif.pointee.SWidth), h = Int(gif.pointee.SHeight)
        try ImageDecoder.checkDimensions(width: w, height: h, limits: limits, format: .gif)
        var transparent = -1
        var record = UNDEFINED_RECORD_TYPE
        while true {
            guard DGifGetRecordType(gif, &record) == GIF_OK else { throw failure(gif.pointee.Error) }
            if record == EXTENSION_RECORD_TYPE {
                var code: Int32 = 0
                var block: UnsafeMutablePointer<GifByteType>? = nil
                guard DGifGetExtension(gif, &code, &block) == GIF_OK else { throw failure(gif.pointee.Error) }
                // Graphic Control: [length, packed flags, delay lo, delay hi, transparent index].
                if code == GRAPHICS_EXT_FUNC_CODE, let block, block[0] >= 4, block[1] & 1 == 1 {
                    transparent = Int(block[4])
                }
                while block != nil {
                    guard DGifGetExtensionNext(gif, &block) == GIF_OK else { throw failure(gif.pointee.Error) }
                }
            } else if record == IMAGE_DESC_RECORD_TYPE {
                guard DGifGetImageDesc(gif) == GIF_OK else { throw failure(gif.pointee.Error) }
                return try readImage(gif, width: w, height: h, transparent: transparent, limits: limits)
            } else if record == TERMINATE_RECORD_TYPE {
                throw MediaError(code: MediaError.Code.corruptImage, message: "The GIF contains no image.")
            }
        }
    }

    /// Paints the frame onto a white screen-sized canvas, applying the colour map and transparency
    /// (pixels it leaves unpainted are transparent in `alpha`).
    private static func readImage(_ gif: UnsafeMutablePointer<GifFileType>, width w: Int, height h: Int,
                                  transparent: Int, limits: ImageLimits) throws(MediaError) -> DecodedImage {
        let desc = gif.pointee.Image
        let fw = Int(desc.Width), fh = Int(desc.Height), left = Int(desc.Left), top = Int(desc.Top)
        try ImageDecoder.checkDimensions(width: fw, height: fh, limits: limits, format: .gif)
        guard let map = desc.ColorMap ?? gif.pointee.SColorMap, let colors = map.pointee.Colors else {
            throw MediaError(code: MediaError.Code.corruptImage, message: "The GIF frame has no colour map.")
        }
        let colorCount = Int(map.pointee.ColorCount)
        var canvas = [UInt8](repeating: 255, count: w * h * 3)
        var alpha = [UInt8](repeating: 0, count: w * h)  // what the frame paints is opaque
        var line = [GifPixelType](repeating: 0, count: fw)
        // Interlaced frames arrive in four passes: rows 0, 4, 2, 1 mod 8, 8, 4, 2.
        let passes: [(start: Int, step: Int)] = desc.Interlace ? [(0, 8), (4, 8), (2, 4), (1, 2)] : [(0, 1)]
        for pass in passes {
            for y in stride(from: pass.start, to: fh, by: pass.step) {
                let ok = line.withUnsafeMutableBufferPointer { DGifGetLine(gif, $0.baseAddress, Int32(fw)) }
                guard ok == GIF_OK else { throw failure(gif.pointee.Error) }
                let cy = top + y
                guard cy >= 0, cy < h else { continue }
                for x in 0..<fw {
                    let cx = left + x, index = Int(line[x])
                    guard cx >= 0, cx < w, index != transparent, index < colorCount else { continue }
                    let c = colors[index], o = (cy * w + cx) * 3
                    canvas[o] = c.Red
                    canvas[o + 1] = c.Green
                    canvas[o + 2] = c.Blue
                    alpha[cy * w + cx] = 255
                }
            }
        }
        guard let image = RGBImage(width: w, height: h, pixels: canvas) else {
            throw MediaError(code: MediaError.Code.internalError, message: "Decoded buffer size mismatch.")
        }
        return DecodedImage(image: image, format: .gif, originalWidth: w, originalHeight: h,
                            alpha: alpha.contains { $0 != 255 } ? alpha : nil)
    }

    private static func failure(_ code: Int32) -> MediaError {
        if code == D_GIF_ERR_READ_FAILED { return truncated(code) }
        let text = GifErrorString(code).map { String(cString: $0) } ?? "giflib error \(code)"
        return MediaError(code: MediaError.Code.corruptImage, message: "The GIF is corrupt.", underlying: text)
    }

    private static func truncated(_ code: Int32) -> MediaError {
        MediaError(code: MediaError.Code.truncated, message: "The GIF data ends before the image does.",
                   underlying: GifErrorString(code).map { String(cString: $0) })
    }
}
