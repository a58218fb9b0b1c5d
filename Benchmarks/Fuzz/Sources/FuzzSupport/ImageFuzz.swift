import HashmarkFingerprint
import HashmarkMedia

/// Runs `ImageDecoder.decode` on hostile bytes and checks what a correct decoder must satisfy.
public enum ImageFuzz {
    /// 512×512. With 4 MP the JPEG target fell from ~7,000 to ~1,400 exec/s within three minutes:
    /// it had found 600-byte files announcing 28301×78 pixels, which TurboJPEG decodes in full
    /// (grey where data is missing), three times per input here. Every small media fixture fits;
    /// the `too-many-pixels` path is exercised at any limit. 1 MiB is above any `-max_len`.
    public static let limits = ImageLimits(maxPixels: 512 * 512, maxFileBytes: 1 << 20)

    /// Decodes `bytes` twice (determinism) and checks the result. Returns what
    /// `LLVMFuzzerTestOneInput` should: 0, or -1 for an input of another format.
    ///
    /// - Parameter only: a per-format target passes its format: other inputs return -1 at once,
    ///   which tells libFuzzer not to keep them (otherwise the corpus fills with inputs that only
    ///   reach new branches of the sniffer). The per-format decoders are internal to
    ///   HashmarkMedia; `ImageDecoder.decode` dispatches on the same sniffed type.
    /// - Parameter scaledCheck: JPEG only: also decode with a `minimumSide` and check the DCT-scaled
    ///   result against the full one.
    public static func run(_ bytes: [UInt8], only: MediaType? = nil, scaledCheck: Bool = false) -> CInt {
        let sniffed = MediaType.sniff(bytes, fileName: nil)
        if let only, sniffed != only { return -1 }
        let first = decode(bytes, minimumSide: nil)
        let second = decode(bytes, minimumSide: nil)
        switch (first, second) {
        case (.success(let a), .success(let b)):
            invariant(a == b, "two decodes of the same bytes differ")
        case (.failure(let a), .failure(let b)):
            invariant(a.code == b.code && a.message == b.message, "two decodes fail differently: \(a) / \(b)")
        default:
            invariant(false, "one decode succeeded, the other failed")
        }
        switch first {
        case .failure(let error):
            invariant(error.code != MediaError.Code.internalError, "internal error: \(error)")
            if bytes.isEmpty {
                invariant(error.code == MediaError.Code.emptyFile, "empty input gave \(error.code)")
            } else if !sniffed.isDecodableImage {
                invariant(error.code == MediaError.Code.unknownFormat || error.code == MediaError.Code.unsupportedMedia,
                          "\(sniffed) input gave \(error.code)")
            }
        case .success(let decoded):
            invariant(sniffed.isDecodableImage, "\(sniffed) input decoded as an image")
            check(decoded, bytes: bytes, sniffed: sniffed, minimumSide: nil)
            if scaledCheck, sniffed == .jpeg { checkScaled(bytes, full: decoded) }
        }
        if scaledCheck, sniffed == .jpeg, case .failure(let error) = first {
            // Scaling changes the inverse DCT only: entropy decoding, and so success, is the same.
            if case .success = decode(bytes, minimumSide: 8) {
                invariant(false, "JPEG decodes at a reduced scale but not at full size: \(error)")
            }
        }
        return 0
    }

    static func decode(_ bytes: [UInt8], minimumSide: Int?) -> Result<DecodedImage, MediaError> {
        do throws(MediaError) {
            return .success(try ImageDecoder.decode(bytes, limits: limits, minimumSide: minimumSide))
        } catch {
            return .failure(error)
        }
    }

    static func check(_ d: DecodedImage, bytes: [UInt8], sniffed: MediaType, minimumSide: Int?) {
        let w = d.image.width, h = d.image.height
        invariant(d.format == sniffed, "decoded as \(d.format), sniffed \(sniffed)")
        invariant(w > 0 && h > 0, "empty image \(w)×\(h)")
        invariant(d.image.pixels.count == w * h * 3, "buffer \(d.image.pixels.count) bytes for \(w)×\(h)")
        invariant(d.originalWidth > 0 && d.originalHeight > 0, "empty original size")
        invariant(d.originalWidth * d.originalHeight <= limits.maxPixels,
                  "\(d.originalWidth)×\(d.originalHeight) passed the \(limits.maxPixels)-pixel limit")
        invariant((1...8).contains(d.exifOrientation), "EXIF orientation \(d.exifOrientation)")
        let s = d.scaleDenominator
        invariant([1, 2, 4, 8].contains(s), "scale denominator \(s)")
        invariant(w == (d.originalWidth + s - 1) / s && h == (d.originalHeight + s - 1) / s,
                  "\(w)×\(h) is not \(d.originalWidth)×\(d.originalHeight) / \(s)")
        if let minimumSide {
            invariant(s == 1 || min(w, h) >= minimumSide, "scaled below the minimum side: \(w)×\(h) at 1/\(s)")
        } else {
            invariant(s == 1, "scaled to 1/\(s) without a minimum side")
        }
        if sniffed == .jpeg {
            invariant(d.exifOrientation == EXIFOrientation.read(jpeg: bytes), "orientation differs from the EXIF reader")
        } else {
            invariant(s == 1 && d.exifOrientation == 1, "\(sniffed) with scale 1/\(s) and orientation \(d.exifOrientation)")
        }
    }

    /// A DCT-scaled decode must agree with the full decode on everything but the pixels.
    static func checkScaled(_ bytes: [UInt8], full: DecodedImage) {
        switch decode(bytes, minimumSide: 8) {
        case .failure(let error):
            invariant(false, "JPEG decodes at full size but not at a reduced scale: \(error)")
        case .success(let scaled):
            check(scaled, bytes: bytes, sniffed: .jpeg, minimumSide: 8)
            invariant(scaled.originalWidth == full.originalWidth && scaled.originalHeight == full.originalHeight
                      && scaled.exifOrientation == full.exifOrientation,
                      "scaled decode reports a different original size or orientation")
        }
    }
}
