import HashmarkFingerprint

/// EXIF orientation (TIFF tag 0x0112): read from a JPEG's APP1 segment, applied to decoded pixels.
public enum EXIFOrientation {
    /// The Orientation value (1–8) in IFD0 of the first Exif APP1 segment; 1 when absent or invalid.
    ///
    /// Walks the marker segments up to the first SOS; every read is bounds-checked, so a hostile
    /// segment length or IFD offset yields 1, never a crash.
    public static func read(jpeg b: [UInt8]) -> Int {
        guard b.count >= 4, b[0] == 0xFF, b[1] == 0xD8 else { return 1 }
        var o = 2
        while o + 4 <= b.count {
            guard b[o] == 0xFF else { return 1 }
            let marker = b[o + 1]
            if marker == 0xFF { o += 1; continue }  // fill byte
            if marker == 0xDA || marker == 0xD9 { return 1 }  // SOS / EOI: no more metadata
            if (0xD0...0xD7).contains(marker) || marker == 0x01 { o += 2; continue }
            let length = Int(b[o + 2]) << 8 | Int(b[o + 3])
            guard length >= 2, o + 2 + length <= b.count else { return 1 }
            let body = o + 4
            if marker == 0xE1, length >= 8, Array(b[body..<body + 6]) == [0x45, 0x78, 0x69, 0x66, 0, 0] {
                return orientation(tiff: b[(body + 6)..<(o + 2 + length)])
            }
            o += 2 + length
        }
        return 1
    }

    /// Reads tag 0x0112 from IFD0 of a TIFF structure (the Exif payload).
    static func orientation(tiff: ArraySlice<UInt8>) -> Int {
        let t = Array(tiff)
        guard t.count >= 8 else { return 1 }
        let little: Bool
        switch (t[0], t[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return 1
        }
        func u16(_ i: Int) -> Int? {
            guard i >= 0, i + 2 <= t.count else { return nil }
            return little ? Int(t[i]) | Int(t[i + 1]) << 8 : Int(t[i]) << 8 | Int(t[i + 1])
        }
        func u32(_ i: Int) -> Int? {
            guard let a = u16(i), let b = u16(i + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd) else { return 1 }
        for k in 0..<count {
            let entry = ifd + 2 + 12 * k
            guard let tag = u16(entry) else { return 1 }
            if tag == 0x0112 {
                // Type SHORT (3), count 1: the value sits in the first two bytes of the value field.
                guard u16(entry + 2) == 3, let value = u16(entry + 8), (1...8).contains(value) else { return 1 }
                return value
            }
        }
        return 1
    }

    /// Returns `image` turned upright for `orientation` (1–8); other values leave it unchanged.
    ///
    /// 2 mirror, 3 rotate 180°, 4 flip, 5 transpose, 6 rotate 90° clockwise, 7 transverse,
    /// 8 rotate 90° counter-clockwise — what the camera asks the viewer to do.
    public static func apply(_ orientation: Int, to image: RGBImage) -> RGBImage {
        guard (2...8).contains(orientation) else { return image }
        let w = image.width, h = image.height
        let swaps = orientation >= 5
        let ow = swaps ? h : w, oh = swaps ? w : h
        var out = [UInt8](repeating: 0, count: w * h * 3)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<oh {
                    for x in 0..<ow {
                        // (sx, sy): the source pixel that lands at output (x, y).
                        let sx: Int, sy: Int
                        switch orientation {
                        case 2: (sx, sy) = (w - 1 - x, y)
                        case 3: (sx, sy) = (w - 1 - x, h - 1 - y)
                        case 4: (sx, sy) = (x, h - 1 - y)
                        case 5: (sx, sy) = (y, x)
                        case 6: (sx, sy) = (y, h - 1 - x)
                        case 7: (sx, sy) = (w - 1 - y, h - 1 - x)
                        default: (sx, sy) = (w - 1 - y, x)
                        }
                        let s = (sy * w + sx) * 3, d = (y * ow + x) * 3
                        dst[d] = src[s]
                        dst[d + 1] = src[s + 1]
                        dst[d + 2] = src[s + 2]
                    }
                }
            }
        }
        return RGBImage(width: ow, height: oh, pixels: out) ?? image
    }
}
