import HashmarkFingerprint
import Synchronization

/// Resource limits for hostile input, checked before any pixel memory is allocated.
public struct ImageLimits: Sendable, Equatable {
    /// Largest accepted width × height, as announced by the file's header.
    public var maxPixels: Int
    /// Largest accepted file, checked before anything else.
    public var maxFileBytes: Int

    public init(maxPixels: Int = 64_000_000, maxFileBytes: Int = 100 * 1024 * 1024) {
        self.maxPixels = maxPixels
        self.maxFileBytes = maxFileBytes
    }
}

/// A decoded image and how it was obtained.
public struct DecodedImage: Sendable, Equatable {
    /// Upright 8-bit RGB (EXIF orientation applied, alpha composited over white).
    public var image: RGBImage
    /// The format the bytes were decoded as.
    public var format: MediaType
    /// Full-resolution width, upright (after EXIF orientation), before any DCT scaling.
    public var originalWidth: Int
    /// Full-resolution height, upright (after EXIF orientation), before any DCT scaling.
    public var originalHeight: Int
    /// 1, or 2, 4, 8 when a JPEG was decoded at 1/`scaleDenominator` scale.
    public var scaleDenominator: Int
    /// The EXIF orientation (1–8) that was applied; 1 when none was present.
    public var exifOrientation: Int
    /// Opacity of each pixel of `image` (row-major, 0 transparent … 255 opaque) when the file has
    /// transparent pixels (PNG, WebP, GIF); nil when every pixel is opaque.
    public var alpha: [UInt8]?

    public init(image: RGBImage, format: MediaType, originalWidth: Int, originalHeight: Int,
                scaleDenominator: Int = 1, exifOrientation: Int = 1, alpha: [UInt8]? = nil) {
        precondition(alpha == nil || alpha?.count == image.width * image.height, "one alpha value a pixel")
        self.image = image
        self.alpha = alpha
        self.format = format
        self.originalWidth = originalWidth
        self.originalHeight = originalHeight
        self.scaleDenominator = scaleDenominator
        self.exifOrientation = exifOrientation
    }
}

/// Counts `ImageDecoder.decode` calls made inside `DecodeCounter.$current.withValue(…)`: how
/// tests show that a file is decoded once (a task-local, so parallel tests do not mix counts).
@_spi(Testing) public final class DecodeCounter: Sendable {
    @TaskLocal public static var current: DecodeCounter?
    private let count = Mutex(0)

    public init() {}

    public var decodes: Int { count.withLock { $0 } }

    func increment() { count.withLock { $0 += 1 } }
}

/// Decodes JPEG, PNG, WebP and the first frame of GIF into upright RGB.
///
/// The format comes from the magic bytes, never the file name. Transparent pixels are composited
/// over white in sRGB space (what a viewer on a white page shows, and what a screenshot of the
/// work would capture). Every failure is a `MediaError` with a stable code; no input can crash or
/// hang the decoder.
public enum ImageDecoder {
    /// Decodes an image held in memory.
    ///
    /// - Parameters:
    ///   - minimumSide: JPEG only: decode at the smallest DCT scale (1/2, 1/4 or 1/8) whose
    ///     *shorter* side is still ≥ `minimumSide`, so both axes keep at least that resolution
    ///     (PDQ's fast path passes 384). `nil` (with `minimumLongestSide` `nil`) decodes at full
    ///     size. Other formats ignore it.
    ///   - minimumLongestSide: JPEG only: the chosen scale's *longer* side must also be ≥ this
    ///     (the keypoint extractor's working size), so one decode serves both.
    ///   - type: the format when the caller has already sniffed the bytes (sniffed here otherwise).
    public static func decode(_ bytes: [UInt8], limits: ImageLimits = .init(), minimumSide: Int? = nil,
                              minimumLongestSide: Int? = nil, type: MediaType? = nil) throws(MediaError) -> DecodedImage {
        if bytes.isEmpty { throw MediaError(code: MediaError.Code.emptyFile, message: "The file is empty.") }
        guard bytes.count <= limits.maxFileBytes else {
            throw MediaError(code: MediaError.Code.fileTooLarge,
                             message: "The file has \(bytes.count) bytes; the limit is \(limits.maxFileBytes).")
        }
        DecodeCounter.current?.increment()
        let type = type ?? MediaType.sniff(bytes, fileName: nil)
        switch type {
        case .jpeg: return try JPEGDecoder.decode(bytes, limits: limits, minimumSide: minimumSide,
                                                  minimumLongestSide: minimumLongestSide)
        case .png: return try PNGDecoder.decode(bytes, limits: limits)
        case .webp: return try WebPDecoder.decode(bytes, limits: limits)
        case .gif: return try GIFDecoder.decode(bytes, limits: limits)
        case .unknown:
            throw MediaError(code: MediaError.Code.unknownFormat,
                             message: "The bytes match no known image format.")
        default:
            throw MediaError(code: MediaError.Code.unsupportedMedia,
                             message: "The file is \(type.mimeType), not a decodable image (JPEG, PNG, WebP, GIF).")
        }
    }

    /// Reads and decodes a file; its size is checked with `fstat` before a byte is read.
    public static func decode(contentsOfFile path: String, limits: ImageLimits = .init(),
                              minimumSide: Int? = nil) throws(MediaError) -> DecodedImage {
        let bytes = try MediaFile.read(path, maxBytes: limits.maxFileBytes)
        return try decode(bytes, limits: limits, minimumSide: minimumSide)
    }

    /// Throws `too-many-pixels` (or `corrupt-image` for non-positive sizes) from header dimensions.
    static func checkDimensions(width: Int, height: Int, limits: ImageLimits,
                                format: MediaType) throws(MediaError) {
        guard width > 0, height > 0 else {
            throw MediaError(code: MediaError.Code.corruptImage,
                             message: "The \(format.rawValue.uppercased()) header gives an empty size \(width)×\(height).")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixels <= limits.maxPixels else {
            throw MediaError(code: MediaError.Code.tooManyPixels,
                             message: "The image is \(width)×\(height) pixels; the limit is \(limits.maxPixels) pixels.")
        }
    }

    /// Composites interleaved RGBA over white (sRGB space, rounded) into RGB.
    /// RGBA pixels composited over white, and their alpha plane when any pixel is not opaque.
    static func compositeOverWhite(rgba: [UInt8], width: Int, height: Int) -> (rgb: [UInt8], alpha: [UInt8]?) {
        let count = width * height
        var rgb = [UInt8](repeating: 0, count: count * 3)
        var alpha = [UInt8](repeating: 0, count: count)
        var opaque = true
        rgba.withUnsafeBufferPointer { src in
            rgb.withUnsafeMutableBufferPointer { dst in
                for p in 0..<count {
                    let a = UInt32(src[p * 4 + 3])
                    alpha[p] = UInt8(a)
                    opaque = opaque && a == 255
                    for c in 0..<3 {
                        let v = UInt32(src[p * 4 + c])
                        dst[p * 3 + c] = UInt8((v * a + 255 * (255 - a) + 127) / 255)
                    }
                }
            }
        }
        return (rgb, opaque ? nil : alpha)
    }
}

extension DecodedImage {
    /// The image as it shows over `background` (same size as `image`) instead of white: each
    /// pixel's colour times its opacity, plus the background's times the rest, recovered from the
    /// white composite (within one level of compositing the file's own pixels). `image` itself
    /// when the file is opaque; nil when the sizes differ.
    public func composited(over background: RGBImage) -> RGBImage? {
        guard let alpha else { return image }
        guard background.width == image.width, background.height == image.height else { return nil }
        var out = [UInt8](repeating: 0, count: image.pixels.count)
        for p in 0..<alpha.count {
            let clear = Int(255 - alpha[p])
            for c in 0..<3 {
                let i = p * 3 + c
                // white composite = colour·a + 255·(255 − a), all over 255.
                let covered = max(0, Int(image.pixels[i]) - clear)
                out[i] = UInt8(min(255, covered + (Int(background.pixels[i]) * clear + 127) / 255))
            }
        }
        return RGBImage(width: image.width, height: image.height, pixels: out)
    }

    /// The image over a solid colour (see `composited(over:)`).
    public func composited(over colour: (r: UInt8, g: UInt8, b: UInt8)) -> RGBImage {
        guard alpha != nil else { return image }
        var pixels = [UInt8](repeating: 0, count: image.pixels.count)
        for p in 0..<(image.width * image.height) {
            pixels[p * 3] = colour.r; pixels[p * 3 + 1] = colour.g; pixels[p * 3 + 2] = colour.b
        }
        return composited(over: RGBImage(width: image.width, height: image.height, pixels: pixels)!)!
    }

    /// Share of pixels under half opacity (alpha < 128; 0 for an opaque file).
    public var transparentFraction: Double {
        guard let alpha, !alpha.isEmpty else { return 0 }
        return Double(alpha.reduce(0) { $0 + ($1 < 128 ? 1 : 0) }) / Double(alpha.count)
    }
}
