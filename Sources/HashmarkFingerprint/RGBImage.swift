/// A decoded image: 8-bit RGB, interleaved, rows top to bottom, no padding.
///
/// The hand-over type between decoding (`HashmarkMedia`) and the pure fingerprint maths.
public struct RGBImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height * 3` bytes: R, G, B for each pixel, row-major.
    public var pixels: [UInt8]

    /// `nil` when the sizes disagree with the buffer or are not positive.
    public init?(width: Int, height: Int, pixels: [UInt8]) {
        guard width > 0, height > 0, width.multipliedReportingOverflow(by: height).overflow == false,
              pixels.count == width * height * 3 else { return nil }
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}
