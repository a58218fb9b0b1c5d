/// The chunk layer of a PNG, walked before libpng reads the stream.
enum PNGChunks {
    /// libpng inflates every zTXt and compressed iTXt chunk it meets before the image data, up to
    /// 8 MB each (`PNG_USER_CHUNK_MALLOC_MAX`) and up to 1,000 of them (`PNG_USER_CHUNK_CACHE_MAX`),
    /// and the simplified `png_image` API offers no way to skip them: a 1.4 MB file of 200 zTXt
    /// chunks, each inflating to 7 MiB, took 6 s in libpng 1.6.39. Text never changes pixels.
    static let textChunkTypes: [[UInt8]] = [Array("tEXt".utf8), Array("zTXt".utf8), Array("iTXt".utf8)]
    /// libpng also inflates every iCCP chunk, and no cache limit counts them: 200 copies of a
    /// 7 KB profile that inflates to 7 MiB took 3 s. The standard allows one; the first is kept.
    static let iccp = Array("iCCP".utf8)

    /// `png` without text chunks and without iCCP chunks after the first, so libpng's inflating
    /// is bounded by one profile (≤ 8 MB) and the image; `nil` when nothing is dropped (then
    /// `png` is used as is).
    ///
    /// Only chunk lengths are read (libpng checks the CRCs of what it reads). A length running
    /// past the end stops the walk; the rest is kept as it is, for libpng to report.
    static func forLibpng(_ png: [UInt8]) -> [UInt8]? {
        var drops = false
        let stop = walk(png) { _, keep in drops = drops || !keep }
        guard drops else { return nil }
        var out = Array(png[..<8])
        out.reserveCapacity(png.count)
        _ = walk(png) { chunk, keep in if keep { out += png[chunk] } }
        out += png[stop...]
        return out
    }

    /// Calls `visit` with each whole chunk after the signature and whether libpng should see it;
    /// returns where the walk stopped.
    private static func walk(_ b: [UInt8], _ visit: (Range<Int>, Bool) -> Void) -> Int {
        var o = 8
        var seenICCP = false
        while o + 12 <= b.count {
            let length = Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3])
            guard length <= Int(Int32.max), length <= b.count - o - 12 else { break }
            let type = b[(o + 4)..<(o + 8)]
            var keep = !textChunkTypes.contains { $0.elementsEqual(type) }
            if iccp.elementsEqual(type) {
                keep = !seenICCP
                seenICCP = true
            }
            visit(o..<(o + 12 + length), keep)
            o += 12 + length
        }
        return min(o, b.count)
    }
}
