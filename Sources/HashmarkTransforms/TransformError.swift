import HashmarkFingerprint

/// The one error type of HashmarkTransforms.
public struct TransformError: Error, Sendable, CustomStringConvertible {
    /// Stable machine-readable code: `invalid-parameter`, `output-too-large`,
    /// `recompressor-missing`, `recompression-failed`, `resource-unavailable`.
    public let code: String
    public let message: String
    public let underlying: (any Error)?
    public let file: String
    public let line: Int

    public init(code: String, message: String, underlying: (any Error)? = nil,
                file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    public var description: String {
        var text = "\(code): \(message) (\(file):\(line))"
        if let underlying { text += " caused by \(underlying)" }
        return text
    }

    static func invalid(_ message: String, file: String = #fileID, line: Int = #line) -> TransformError {
        TransformError(code: "invalid-parameter", message: message, file: file, line: line)
    }

    /// A data set the transform needs (e.g. WordNet) is not installed.
    static func unavailable(_ message: String, file: String = #fileID, line: Int = #line) -> TransformError {
        TransformError(code: "resource-unavailable", message: message, file: file, line: line)
    }
}

/// Largest output the transforms will allocate (pixels), so a 2× upscale of a huge input
/// fails with an error instead of exhausting memory.
public let maximumOutputPixels = 100_000_000

/// An 8-bit RGB colour (fills, borders, overlays).
public struct RGBColour: Sendable, Hashable, Codable {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8
    public init(r: UInt8, g: UInt8, b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    public static let black = RGBColour(r: 0, g: 0, b: 0)
    public static let white = RGBColour(r: 255, g: 255, b: 255)

    /// Six lower-case hex digits, e.g. `ffffff`; used in stable transform names.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        return [r, g, b].map { "\(digits[Int($0 >> 4)])\(digits[Int($0 & 15)])" }.joined()
    }
}

/// An integer pixel rectangle (origin top-left).
public struct PixelRect: Sendable, Hashable, Codable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

func checkedSize(_ width: Int, _ height: Int) throws(TransformError) {
    guard width > 0, height > 0 else {
        throw .invalid("output size \(width)×\(height) is empty")
    }
    let (area, overflow) = width.multipliedReportingOverflow(by: height)
    guard !overflow, area <= maximumOutputPixels else {
        throw TransformError(code: "output-too-large",
                             message: "output \(width)×\(height) exceeds \(maximumOutputPixels) pixels")
    }
}

/// Builds an image whose size was already checked; the throw is unreachable in practice but
/// keeps library code free of force-unwraps.
func makeImage(_ width: Int, _ height: Int, _ pixels: [UInt8]) throws(TransformError) -> RGBImage {
    guard let image = RGBImage(width: width, height: height, pixels: pixels) else {
        throw .invalid("internal: buffer of \(pixels.count) bytes for \(width)×\(height)")
    }
    return image
}

@inline(__always)
func clampByte(_ v: Double) -> UInt8 {
    if !(v > 0) { return 0 }  // also catches NaN
    if v >= 255 { return 255 }
    return UInt8(v.rounded())
}
