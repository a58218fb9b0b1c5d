/// The inner loops of `MultiIndexHash256`, on raw buffers, in phases: each phase is a tight loop
/// of independent loads, so the CPU overlaps their cache misses (Swift has no software prefetch).
enum MIHProbe {
    typealias Lanes = SIMD32<UInt8>
    /// The same 32 bytes as four 64-bit lanes.
    typealias Words = SIMD4<UInt64>

    /// One probed bucket: entries `lo ..< hi` (global entry positions) and the suffix radius left.
    struct Bucket {
        var lo: Int
        var hi: Int
        var rest: Int
        /// The query's suffix byte in this bucket's slot.
        var query: UInt8
    }

    /// Phase 1 — directory reads. Appends every bucket of one slot table whose 16-bit prefix `p`
    /// is within `radius` of the query's prefix, with `rest = radius - distance(p, prefix)`.
    /// `base` is the slot's first entry position; empty buckets are kept (no branch).
    @inline(__always)
    static func buckets(prefix qp: Int, suffix qs: UInt8, radius: Int, offsets: UnsafePointer<UInt32>,
                        base: Int, into out: inout [Bucket]) {
        let prefixBits = MultiIndexHash256.prefixBits
        for j in 0...min(radius, prefixBits) {
            // Cap at 8: a suffix byte never differs in more bits, so every entry passes.
            let rest = min(radius - j, 8)
            // Every `prefixBits`-bit mask with exactly j bits set, in increasing order (Gosper).
            var m = (1 << j) - 1
            while m < 1 << prefixBits {
                let p = qp ^ m
                out.append(Bucket(lo: base + Int(offsets[p]), hi: base + Int(offsets[p + 1]), rest: rest, query: qs))
                if j == 0 { break }
                let c = m & -m, r = m + c
                m = (((r ^ m) >> 2) >> c.trailingZeroBitCount) | r
            }
        }
    }

    /// Phase 2 — suffix filter. Writes at `out + count` the position of every entry of `bucket`
    /// whose suffix byte is within `rest` bits of the query's, 32 entries per step; `out` has
    /// room for the whole bucket. Loads may run past `hi` (the suffix array is padded); those
    /// lanes are ignored.
    @inline(__always)
    static func scan(_ bucket: Bucket, suffixes: UnsafePointer<UInt8>,
                     into out: UnsafeMutablePointer<Int>, count: inout Int) {
        let q = unsafeBitCast(Lanes(repeating: bucket.query), to: Words.self), one = Lanes(repeating: 1)
        let low7 = Words(repeating: 0x7F7F_7F7F_7F7F_7F7F), ones = Words(repeating: .max)
        var k = bucket.lo
        while k < bucket.hi {
            // popcount(x) <= rest  <=>  x is zero after clearing its lowest set bit `rest` times.
            // Bitwise ops run on 64-bit lanes, `&-` on bytes: this compiler lowers those to
            // vector instructions but scalarises byte-lane `^`, `&` and `nonzeroBitCount`.
            var x = UnsafeRawPointer(suffixes + k).loadUnaligned(as: Words.self) ^ q
            for _ in 0..<bucket.rest { x &= unsafeBitCast(unsafeBitCast(x, to: Lanes.self) &- one, to: Words.self) }
            // 0x80 in every byte of x that is zero, 0 elsewhere (exact, no carries across bytes).
            let zero = (((x & low7) &+ low7) | x | low7) ^ ones
            if (zero[0] | zero[1] | zero[2] | zero[3]) != 0 {
                let remaining = bucket.hi - k
                for w in 0..<4 {
                    var bits = zero[w]
                    while bits != 0 {
                        let lane = w * 8 + bits.trailingZeroBitCount >> 3
                        if lane >= remaining { break }
                        out[count] = k + lane
                        count += 1
                        bits &= bits - 1
                    }
                }
            }
            k += Lanes.scalarCount
        }
    }

    /// Phase 3 — id reads: entry position -> hash index (`idBytes` little-endian bytes).
    @inline(__always)
    static func ids(_ positions: UnsafeBufferPointer<Int>, ids: UnsafeRawPointer, idBytes: Int,
                    into out: inout [UInt32]) {
        let mask: UInt32 = idBytes >= 4 ? .max : (1 << UInt32(8 * idBytes)) - 1
        for pos in positions {
            out.append(UInt32(littleEndian: ids.loadUnaligned(fromByteOffset: pos * idBytes, as: UInt32.self)) & mask)
        }
    }
}
