import HashmarkFingerprint
import HashmarkMedia
import HashmarkTransforms

/// Where a transparent work (a logo, a sticker, a sprite) is pasted in a `transparent` case:
/// over solid colours other than the white its file shows (black, which Hashmark also registers,
/// and greys and a blue that it does not), over a photo, or as a sticker a quarter of the size of
/// a photo. The photo is a held-out image of the same split.
public enum TransparentPaste: String, Sendable, Hashable, Codable, CaseIterable {
    case black, darkGrey = "dark-grey", lightGrey = "light-grey", navy, photo, sticker

    /// The case's transform name.
    public var name: String { self == .sticker ? "sticker-on-photo" : "over-\(rawValue)" }

    public var needsPhoto: Bool { self == .photo || self == .sticker }

    /// The work pasted as this case says; nil when a photo case has no photo.
    public func apply(_ work: DecodedImage, photo: RGBImage?) throws -> RGBImage? {
        let w = work.image.width, h = work.image.height
        switch self {
        case .black: return work.composited(over: (r: 0, g: 0, b: 0))
        case .darkGrey: return work.composited(over: (r: 64, g: 64, b: 64))
        case .lightGrey: return work.composited(over: (r: 184, g: 184, b: 184))
        case .navy: return work.composited(over: (r: 20, g: 30, b: 90))
        case .photo:
            guard let photo else { return nil }
            return work.composited(over: try GeometricOps.resize(photo, width: w, height: h, filter: .bilinear).image)
        case .sticker:
            // The work at its own size on a photo twice as wide and high, a third of the way down.
            guard let photo else { return nil }
            var canvas = try GeometricOps.resize(photo, width: 2 * w, height: 2 * h, filter: .bilinear).image
            let x0 = w / 2, y0 = h / 3
            var under = [UInt8](repeating: 0, count: w * h * 3)
            for y in 0..<h {
                let src = ((y0 + y) * 2 * w + x0) * 3
                under.replaceSubrange((y * w * 3)..<((y + 1) * w * 3), with: canvas.pixels[src..<(src + w * 3)])
            }
            guard let region = RGBImage(width: w, height: h, pixels: under), let pasted = work.composited(over: region) else {
                return nil
            }
            for y in 0..<h {
                let dst = ((y0 + y) * 2 * w + x0) * 3
                canvas.pixels.replaceSubrange(dst..<(dst + w * 3), with: pasted.pixels[(y * w * 3)..<((y + 1) * w * 3)])
            }
            return canvas
        }
    }
}
