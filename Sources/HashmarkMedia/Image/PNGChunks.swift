/// The chunk layer of a PNG, walked before libpng reads the stream.
@_spi(Testing) public enum PNGChunks {
    /// libpng inflates every zTXt and compressed iTXt chunk it meets before the image data, up to
    /// 8 MB each (`PNG_USER_CHUNK_MALLOC_MAX`) and up to 1,000 of them (`PNG_USER_CHUNK_CACHE_MAX`),
    /// and the simplified `png_image` API offers no way to skip them: a 1.4 MB file of 200 zTXt
    /// chunks, each inflating to 7 MiB, took 6 s in libpng 1.6.39. Text never changes pixels.
    static let textChunkTypes: [[UInt8]] = [Array("tEXt".utf8), Array("zTXt".utf8), Array("iTXt".utf8)]
    /// libpng also inflates every iCCP chunk, and no cache limit counts them: 200 copies of a
    /// 7 KB profile that inflates to 7 MiB took 3 s. The standard allows one; the first is kept.
    static let iccp = Array("iCCP".utf8)
    static let ihdr = Array("IHDR".utf8), idat = Array("IDAT".utf8)

    /// `png` without text chunks and without iCCP chunks after the first, so libpng's inflating
    /// is bounded by one profile (≤ 8 MB) and the image data; `nil` when nothing is dropped (then
    /// `png` is used as is).
    ///
    /// Only chunk lengths are read (libpng checks the CRCs of what it reads). A length running
    /// past the end stops the walk; the rest is kept as it is, for libpng to report.
    @_spi(Testing) public static func forLibpng(_ png: [UInt8]) -> [UInt8]? {
        var drops = false
        var seenICCP = false
        let stop = walk(png) { _, type in drops = drops || !keep(type, seenICCP: &seenICCP) }
        guard drops else { return nil }
        var out = Array(png[..<8])
        out.reserveCapacity(png.count)
        seenICCP = false
        _ = walk(png) { chunk, type in if keep(type, seenICCP: &seenICCP) { out += png[chunk] } }
        out += png[stop...]
        return out
    }

    /// The compressed image data (IDAT bytes) and the most an encoder needs for the image IHDR
    /// announces: twice its filtered size plus 64 KiB (deflate at worst adds 5 bytes per 64 KiB
    /// stored, or an eighth with fixed codes; the bundled PNGs use at most 1.0×). libpng inflates
    /// IDAT data past the end of the image before it says "Too much image data": 520 kB holding an
    /// 8×8 image and 512 MiB of zeros took 1.2 s. `nil` without an IHDR.
    @_spi(Testing) public static func imageData(_ png: [UInt8]) -> (compressed: Int, budget: Int)? {
        var header: [UInt8]?
        var compressed = 0
        _ = walk(png) { chunk, type in
            if header == nil, type.elementsEqual(ihdr), chunk.count == 12 + 13 {
                header = Array(png[(chunk.lowerBound + 8)..<(chunk.lowerBound + 21)])
            }
            if type.elementsEqual(idat) { compressed += chunk.count - 12 }
        }
        guard let h = header else { return nil }
        func u32(_ o: Int) -> Int { Int(h[o]) << 24 | Int(h[o + 1]) << 16 | Int(h[o + 2]) << 8 | Int(h[o + 3]) }
        let width = u32(0), height = u32(4), depth = Int(h[8])
        let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][Int(h[9])] ?? 4
        let rowBytes = (width * channels * depth + 7) / 8  // ≤ 2³¹ · 4 · 16: no overflow
        let (raw, overflow) = height.multipliedReportingOverflow(by: 1 + rowBytes)
        // Adam7 adds at most one filter byte per row of each pass: under 2 × height.
        let budget = overflow || raw > Int.max / 4 ? Int.max : 2 * (raw + 2 * height + 8) + 65_536
        return (compressed, budget)
    }

    private static func keep(_ type: ArraySlice<UInt8>, seenICCP: inout Bool) -> Bool {
        if type.elementsEqual(iccp) {
            defer { seenICCP = true }
            return !seenICCP
        }
        return !textChunkTypes.contains { $0.elementsEqual(type) }
    }

    /// Calls `visit` with each whole chunk after the signature and its type; returns where the
    /// walk stopped.
    private static func walk(_ b: [UInt8], _ visit: (Range<Int>, ArraySlice<UInt8>) -> Void) -> Int {
        var o = 8
        while o + 12 <= b.count {
            let length = Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3])
            guard length <= Int(Int32.max), length <= b.count - o - 12 else { break }
            visit(o..<(o + 12 + length), b[(o + 4)..<(o + 8)])
            o += 12 + length
        }
        return min(o, b.count)
    }
}
