import HashmarkFingerprint

/// The three kinds of edit the evaluation reports separately (DISC21-style breakdown).
public enum TransformFamily: String, Sendable, Hashable, Codable, CaseIterable {
    case photometric, geometric, regenerative
}

/// One image edit with its parameters. Fractions are in 0…1 of the relevant dimension.
///
/// `name` is stable (used as a row key in evaluation tables and reports); Codable uses the
/// synthesised keyed form.
public indirect enum ImageTransform: Sendable, Hashable, Codable {
    /// JPEG re-encoding at `quality` (1…100). Not applied here: `apply` hands the image to the
    /// caller's `Recompressor` (the media target's libjpeg-turbo encoder).
    case jpeg(quality: Int)
    /// Uniform resize by `scale`.
    case resize(scale: Double, filter: ResizeFilter)
    case blur(sigma: Double)
    /// Additive Gaussian noise, `sigma` in 8-bit levels, drawn from the `rng` given to `apply`.
    case noise(sigma: Double)
    /// Brightness offset as a fraction of full scale (−1…1).
    case brightness(Double)
    /// Contrast factor about mid-grey (1 = identity).
    case contrast(Double)
    /// Gamma exponent (1 = identity; < 1 brightens).
    case gamma(Double)
    case greyscale
    /// Hue rotation in YIQ.
    case hueRotate(degrees: Double)
    /// Bottom caption band of `bandFraction` of the height.
    case caption(text: String, bandFraction: Double)
    /// Tiled text watermark at `opacity`.
    case watermark(text: String, opacity: Double)
    case flipHorizontal
    case flipVertical
    /// Removes `fraction` of the width and of the height, keeping the window at `anchor`.
    case crop(anchor: CropAnchor, fraction: Double)
    /// Keeps the window given in fractions of the width and height (origin top-left).
    case cropRect(x: Double, y: Double, width: Double, height: Double)
    /// Border of `fraction` of the width left/right and of the height top/bottom.
    case pad(fraction: Double, colour: RGBColour)
    case rotate(degrees: Double, mode: RotationMode, fill: RGBColour)
    /// Non-uniform scale (aspect-ratio change), bilinear.
    case aspect(x: Double, y: Double)
    case perspective(edge: PerspectiveEdge, amount: Double)
    case posterise(levels: Int)
    case stylise(passes: Int, levels: Int)
    case channelPermutation(ChannelOrder)
    /// Palette remap of luma onto the `dark`→`light` ramp.
    case gradientMap(dark: RGBColour, light: RGBColour)
    /// Kuwahara oil-paint look (kept out of the descriptor's training).
    case oilPaint(radius: Int)
    /// Colour-dodge pencil sketch (the descriptor trained on OpenCV's, another algorithm).
    case pencilSketch(sigma: Double)
    /// Ordered dithering to `levels` values a channel (kept out of the descriptor's training).
    case dither(levels: Int)
    /// Steps applied in order; output→source maps compose.
    case pipeline([ImageTransform])

    public var family: TransformFamily {
        switch self {
        case .jpeg, .resize, .blur, .noise, .brightness, .contrast, .gamma, .greyscale, .hueRotate,
             .caption, .watermark:
            return .photometric
        case .flipHorizontal, .flipVertical, .crop, .cropRect, .pad, .rotate, .aspect, .perspective:
            return .geometric
        case .posterise, .stylise, .channelPermutation, .gradientMap, .oilPaint, .pencilSketch, .dither, .pipeline:
            return .regenerative
        }
    }

    /// Stable human-readable name, e.g. `crop-center-20`, `rotate-5`, `jpeg-q50`,
    /// `flip-h+hue-30+jpeg-q70`. Fractions appear as percentages; negative numbers get an `m`
    /// prefix (`rotate-m5`); overlay texts are not part of the name.
    public var name: String {
        switch self {
        case .jpeg(let q): return "jpeg-q\(q)"
        case .resize(let s, let f): return "resize-\(num(s * 100))-\(f.rawValue)"
        case .blur(let s): return "blur-\(num(s))"
        case .noise(let s): return "noise-\(num(s))"
        case .brightness(let b): return "brightness-\(num(b * 100))"
        case .contrast(let c): return "contrast-\(num(c * 100))"
        case .gamma(let g): return "gamma-\(num(g))"
        case .greyscale: return "greyscale"
        case .hueRotate(let d): return "hue-\(num(d))"
        case .caption(_, let f): return "caption-\(num(f * 100))"
        case .watermark(_, let o): return "watermark-\(num(o * 100))"
        case .flipHorizontal: return "flip-h"
        case .flipVertical: return "flip-v"
        case .crop(let a, let f): return "crop-\(a.rawValue)-\(num(f * 100))"
        case .cropRect(let x, let y, let w, let h):
            return "crop-rect-\(num(x * 100))-\(num(y * 100))-\(num(w * 100))-\(num(h * 100))"
        case .pad(let f, let c): return "pad-\(num(f * 100))-\(c.hex)"
        case .rotate(let d, let m, let fill):
            var n = "rotate-\(num(d))"
            if m != .keepSize { n += "-\(m.rawValue)" }
            if fill != .black { n += "-\(fill.hex)" }
            return n
        case .aspect(let x, let y): return "aspect-\(num(x * 100))x\(num(y * 100))"
        case .perspective(let e, let a): return "perspective-\(e.rawValue)-\(num(a * 100))"
        case .posterise(let l): return "posterise-\(l)"
        case .stylise(let p, let l): return "stylise-\(p)-\(l)"
        case .channelPermutation(let o): return "channels-\(o.rawValue)"
        case .gradientMap(let d, let l): return "duotone-\(d.hex)-\(l.hex)"
        case .oilPaint(let r): return "oil-\(r)"
        case .pencilSketch(let s): return "sketch-\(num(s))"
        case .dither(let l): return "dither-\(l)"
        case .pipeline(let steps): return steps.map(\.name).joined(separator: "+")
        }
    }
}

/// Shortest decimal form, rounded to 4 places; `m` for minus (names avoid `--`).
func num(_ value: Double) -> String {
    let r = (value * 10_000).rounded() / 10_000
    let text = r == r.rounded() && abs(r) < 1e15 ? String(Int(r)) : String(r)
    return text.hasPrefix("-") ? "m" + text.dropFirst() : text
}

/// JPEG round trip supplied by the caller (image, quality 1…100) → decoded image. Keeps this
/// target free of C codecs.
public typealias Recompressor = (RGBImage, Int) throws -> RGBImage

extension ImageTransform {
    /// Applies the transform; the result carries the output→source map (identity for
    /// photometric steps, composed through pipelines). `rng` is used only by `noise`.
    /// Throws `recompressor-missing` for `.jpeg` without a `recompress` closure.
    public func apply(to image: RGBImage, rng: inout SeededGenerator,
                      recompress: Recompressor? = nil) throws(TransformError) -> WarpResult {
        func same(_ out: RGBImage) -> WarpResult { WarpResult(image: out, outputToSource: .identity) }
        switch self {
        case .jpeg(let q):
            guard q >= 1, q <= 100 else { throw .invalid("JPEG quality \(q) not in 1…100") }
            guard let recompress else {
                throw TransformError(code: "recompressor-missing", message: "jpeg-q\(q) needs a JPEG recompressor")
            }
            do {
                let out = try recompress(image, q)
                guard out.width == image.width, out.height == image.height else {
                    throw TransformError(code: "recompression-failed", message: "recompressor changed the size")
                }
                return same(out)
            } catch let error as TransformError {
                throw error
            } catch {
                throw TransformError(code: "recompression-failed", message: "JPEG round trip failed", underlying: error)
            }
        case .resize(let s, let f): return try GeometricOps.scale(image, x: s, y: s, filter: f)
        case .blur(let s): return same(try PhotometricOps.gaussianBlur(image, sigma: s))
        case .noise(let s): return same(try PhotometricOps.gaussianNoise(image, sigma: s, rng: &rng))
        case .brightness(let b): return same(try PhotometricOps.tone(image, brightness: b))
        case .contrast(let c): return same(try PhotometricOps.tone(image, contrast: c))
        case .gamma(let g): return same(try PhotometricOps.tone(image, gamma: g))
        case .greyscale: return same(PhotometricOps.greyscale(image))
        case .hueRotate(let d): return same(try PhotometricOps.hueRotate(image, degrees: d))
        case .caption(let t, let f): return same(try OverlayOps.caption(image, text: t, bandFraction: f))
        case .watermark(let t, let o): return same(try OverlayOps.watermark(image, text: t, opacity: o))
        case .flipHorizontal: return GeometricOps.flipHorizontal(image)
        case .flipVertical: return GeometricOps.flipVertical(image)
        case .crop(let a, let f):
            let rect = try GeometricOps.cropRect(width: image.width, height: image.height, fraction: f, anchor: a)
            return try GeometricOps.crop(image, to: rect)
        case .cropRect(let x, let y, let w, let h):
            guard x >= 0, y >= 0, w > 0, h > 0, x + w <= 1 + 1e-9, y + h <= 1 + 1e-9 else {
                throw .invalid("crop rect \(x),\(y) \(w)×\(h) not inside the unit square")
            }
            let W = Double(image.width), H = Double(image.height)
            let px = min(image.width - 1, Int((x * W).rounded())), py = min(image.height - 1, Int((y * H).rounded()))
            let pw = max(1, min(image.width - px, Int((w * W).rounded())))
            let ph = max(1, min(image.height - py, Int((h * H).rounded())))
            return try GeometricOps.crop(image, to: PixelRect(x: px, y: py, width: pw, height: ph))
        case .pad(let f, let c): return try GeometricOps.pad(image, fraction: f, colour: c)
        case .rotate(let d, let m, let fill): return try GeometricOps.rotate(image, degrees: d, mode: m, fill: fill)
        case .aspect(let x, let y): return try GeometricOps.scale(image, x: x, y: y, filter: .bilinear)
        case .perspective(let e, let a): return try GeometricOps.perspective(image, edge: e, amount: a, fill: .black)
        case .posterise(let l): return same(try RegenerativeOps.posterise(image, levels: l))
        case .stylise(let p, let l): return same(try RegenerativeOps.stylise(image, passes: p, levels: l))
        case .channelPermutation(let o): return same(RegenerativeOps.permuteChannels(image, o))
        case .gradientMap(let d, let l): return same(RegenerativeOps.gradientMap(image, dark: d, light: l))
        case .oilPaint(let r): return same(try RegenerativeOps.oilPaint(image, radius: r))
        case .pencilSketch(let s): return same(try RegenerativeOps.pencilSketch(image, sigma: s))
        case .dither(let l): return same(try RegenerativeOps.dither(image, levels: l))
        case .pipeline(let steps):
            var current = WarpResult(image: image, outputToSource: .identity)
            for step in steps {
                let next = try step.apply(to: current.image, rng: &rng, recompress: recompress)
                current = WarpResult(image: next.image, outputToSource: current.outputToSource * next.outputToSource)
            }
            return current
        }
    }
}

/// Applies `transform` to `image` and returns only the picture (see `ImageTransform.apply`).
public func apply(_ transform: ImageTransform, to image: RGBImage, rng: inout SeededGenerator,
                  recompress: Recompressor? = nil) throws(TransformError) -> RGBImage {
    try transform.apply(to: image, rng: &rng, recompress: recompress).image
}
