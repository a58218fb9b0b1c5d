import CTurboJPEG
import HashmarkFingerprint

/// JPEG through TurboJPEG (libjpeg-turbo 2.1 API: error codes, no setjmp on our side).
enum JPEGDecoder {
    /// DCT-domain scale denominators libjpeg-turbo implements as reduced-size inverse DCTs.
    static let denominators = [8, 4, 2]

    /// Warnings that leave the pixels intact; every other warning rejects the file.
    static let benignWarnings = ["extraneous bytes before marker", "unknown JFIF revision",
                                 "Invalid SOS parameters for sequential JPEG"]

    /// TurboJPEG's message when `TJFLAG_LIMITSCANS` stops a progressive JPEG at scan 501.
    static let scanLimitMessage = "more than 500 scans"

    static func decode(_ bytes: [UInt8], limits: ImageLimits, minimumSide: Int?,
                       minimumLongestSide: Int? = nil) throws(MediaError) -> DecodedImage {
        guard let handle = tjInitDecompress() else {
            throw MediaError(code: MediaError.Code.internalError, message: "TurboJPEG could not start a decompressor.")
        }
        defer { tjDestroy(handle) }
        var width: Int32 = 0, height: Int32 = 0, subsamp: Int32 = 0, colorspace: Int32 = 0
        let headerStatus = bytes.withUnsafeBufferPointer { buf in
            tjDecompressHeader3(handle, buf.baseAddress, UInt(buf.count), &width, &height, &subsamp, &colorspace)
        }
        if headerStatus != 0 { throw error(handle, bytes: bytes, stage: "header") }
        let w = Int(width), h = Int(height)
        try ImageDecoder.checkDimensions(width: w, height: h, limits: limits, format: .jpeg)

        var denominator = 1
        if minimumSide != nil || minimumLongestSide != nil {
            let short = minimumSide ?? 0, long = minimumLongestSide ?? 0
            for d in denominators where (min(w, h) + d - 1) / d >= short && (max(w, h) + d - 1) / d >= long {
                denominator = d
                break
            }
        }
        let sw = (w + denominator - 1) / denominator, sh = (h + denominator - 1) / denominator
        let cmyk = colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue)
        let channels = cmyk ? 4 : 3
        var status: Int32 = 0
        // Each scan of a progressive JPEG revisits every coefficient of the image, and a scan can be
        // a few bytes: TJFLAG_LIMITSCANS refuses more than 500, so the work stays ≤ 500 × pixels.
        let flags = Int32(TJFLAG_LIMITSCANS)
        // TurboJPEG writes every byte (grey where data is missing), so no zero-fill is needed.
        var pixels = [UInt8](unsafeUninitializedCapacity: sw * sh * channels) { dst, initialized in
            status = bytes.withUnsafeBufferPointer { src in
                tjDecompress2(handle, src.baseAddress, UInt(src.count), dst.baseAddress, Int32(sw),
                              Int32(sw * channels), Int32(sh),
                              Int32(cmyk ? TJPF_CMYK.rawValue : TJPF_RGB.rawValue), flags)
            }
            initialized = dst.count
        }
        if status != 0 {
            let message = String(cString: tjGetErrorStr2(handle))
            let isWarning = tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue)
            if !(isWarning && benignWarnings.contains(where: { message.contains($0) })) {
                throw error(handle, bytes: bytes, stage: "data")
            }
        }
        if cmyk { pixels = rgb(fromInvertedCMYK: pixels) }
        guard let decoded = RGBImage(width: sw, height: sh, pixels: pixels) else {
            throw MediaError(code: MediaError.Code.internalError, message: "Decoded buffer size mismatch.")
        }
        let orientation = EXIFOrientation.read(jpeg: bytes)
        let upright = EXIFOrientation.apply(orientation, to: decoded)
        let swaps = orientation >= 5
        return DecodedImage(image: upright, format: .jpeg, originalWidth: swaps ? h : w,
                            originalHeight: swaps ? w : h, scaleDenominator: denominator,
                            exifOrientation: orientation)
    }

    /// Maps TurboJPEG's last error to `too-many-scans`, `truncated` or `corrupt-image`.
    private static func error(_ handle: tjhandle, bytes: [UInt8], stage: String) -> MediaError {
        let message = String(cString: tjGetErrorStr2(handle))
        if message.contains(scanLimitMessage) {
            return MediaError(code: MediaError.Code.tooManyScans,
                              message: "The progressive JPEG has more than 500 scans.", underlying: message)
        }
        // A header that fails for want of a scan, in a file lacking both SOS and EOI, was cut off.
        let cutBeforeScan = stage == "header" && !bytes.suffix(2).elementsEqual([0xFF, 0xD9])
            && !zip(bytes, bytes.dropFirst()).contains { $0 == (0xFF, 0xDA) }
        let endsEarly = message.contains("Premature end of JPEG file") || cutBeforeScan
        if endsEarly {
            return MediaError(code: MediaError.Code.truncated, message: "The JPEG data ends before the image does.",
                              underlying: message)
        }
        return MediaError(code: MediaError.Code.corruptImage, message: "The JPEG \(stage) is corrupt.",
                          underlying: message)
    }

    /// Adobe-style CMYK JPEGs store inverted ink values: R = C·K/255 with C, K as stored.
    private static func rgb(fromInvertedCMYK cmyk: [UInt8]) -> [UInt8] {
        let count = cmyk.count / 4
        var out = [UInt8](repeating: 0, count: count * 3)
        for p in 0..<count {
            let k = UInt32(cmyk[p * 4 + 3])
            for c in 0..<3 { out[p * 3 + c] = UInt8((UInt32(cmyk[p * 4 + c]) * k + 127) / 255) }
        }
        return out
    }
}

/// Re-encodes RGB as baseline JPEG (TurboJPEG), e.g. for the evaluation's quality sweeps.
public enum JPEGEncoder {
    /// Chroma subsampling of the encoded file.
    public enum Subsampling: Sendable { case s444, s422, s420, gray }

    /// Encodes `image` at `quality` 1…100 (libjpeg's scale; 4:2:0 by default, like Pillow).
    public static func encode(_ image: RGBImage, quality: Int,
                              subsampling: Subsampling = .s420) throws(MediaError) -> [UInt8] {
        guard (1...100).contains(quality) else {
            throw MediaError(code: MediaError.Code.invalidArgument, message: "JPEG quality must be 1…100, not \(quality).")
        }
        guard let handle = tjInitCompress() else {
            throw MediaError(code: MediaError.Code.internalError, message: "TurboJPEG could not start a compressor.")
        }
        defer { tjDestroy(handle) }
        let samp: TJSAMP = switch subsampling {
        case .s444: TJSAMP_444
        case .s422: TJSAMP_422
        case .s420: TJSAMP_420
        case .gray: TJSAMP_GRAY
        }
        var output: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        defer { if let output { tjFree(output) } }
        let status = image.pixels.withUnsafeBufferPointer { src in
            tjCompress2(handle, src.baseAddress, Int32(image.width), Int32(image.width * 3), Int32(image.height),
                        Int32(TJPF_RGB.rawValue), &output, &size, Int32(samp.rawValue), Int32(quality), 0)
        }
        guard status == 0, let output else {
            throw MediaError(code: MediaError.Code.internalError, message: "JPEG encoding failed.",
                             underlying: String(cString: tjGetErrorStr2(handle)))
        }
        return Array(UnsafeBufferPointer(start: output, count: Int(size)))
    }
}
