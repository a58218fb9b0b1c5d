import HashmarkFingerprint

/// Multi-index hashing (Norouzi, Punjani & Fleet) over 256-bit hashes: 11 tables, one per
/// 23- or 24-bit slot, answering "every hash within Hamming distance r" EXACTLY for any r.
///
/// Why it is exact. Split the 256 bits into 11 disjoint slots (3 of 24 bits, 8 of 23), so
/// `d = d_0 + … + d_10`. Write `r + 1 = 11k + a` with `0 <= a < 11` and probe slot `s` at radius
/// `k` when `s < a`, else `k - 1` (skipping it when that is negative). If a hash were missed,
/// every slot would exceed its probe radius: `d >= a(k+1) + (11-a)k = r + 1`. So every hash with
/// `d <= r` lies within the probe radius of some slot; each candidate is then verified with the
/// full distance, so nothing beyond `r` is returned, and duplicates (a hash reached through
/// several slots) are removed before returning.
///
/// Why 11 slots of ~23 bits and not 16 of 16. With 16-bit slots every probed bucket holds
/// `n / 65536` hashes (152 at 10M), so radius 31 verifies ~41k random hashes per query. With
/// ~23-bit slots (≈ log2 n at 10M) it verifies ~3.3k. A 23-bit slot is stored as a 16-bit
/// directory prefix plus a 7–8-bit suffix byte per entry: a probe walks the prefix buckets within
/// the slot radius and filters their suffix bytes with SIMD (`popcount(suffix ^ q) <= rest`), so
/// only true slot neighbours cost a random read of their 32-byte hash.
///
/// Memory per hash: 11 × (1 suffix byte + 3-byte id) = 44 B (4-byte ids above 2^24 hashes: 55 B),
/// plus a fixed 2.9 MiB of directories, plus the 32-byte hashes themselves (`tableBytes` and
/// `memoryBytes` report both readings). For r >= 64 the probes explode, so those fall back to a scan.
public struct MultiIndexHash256: Sendable {
    /// The indexed hashes, in the caller's order: match indices point into this.
    public let hashes: [Hash256]
    /// `offsets[s * 65537 + p] ..< offsets[s * 65537 + p + 1]`: the entries of slot `s` whose
    /// 16-bit prefix is `p`, as positions into that slot's part of `suffixes` / `ids`.
    let offsets: [UInt32]
    /// Slot `s`'s entry `j` is at `s * count + j`: the low `suffixBits(s)` bits of the slot value.
    /// Padded with 64 bytes so SIMD loads may run past the last bucket.
    let suffixes: [UInt8]
    /// Entry `e`'s hash index, little-endian in `idBytes` bytes at `e * idBytes` (+ 4 bytes of
    /// padding so every id can be read as one unaligned `UInt32`).
    let ids: [UInt8]
    /// 3 up to 2^24 hashes, else 4.
    let idBytes: Int

    static let slots = 11
    static let prefixBits = 16
    static let bucketsPerSlot = 1 << prefixBits
    static let suffixPadding = 64

    /// Builds the tables with one counting sort per slot: O(n) time, no per-bucket allocation.
    /// Returns `nil` beyond `UInt32.max - 1` hashes (ids are at most 32-bit).
    public init?(hashes: [Hash256]) {
        guard hashes.count < Int(UInt32.max) else { return nil }
        self.hashes = hashes
        let n = hashes.count
        let idBytes = n <= 1 << 24 ? 3 : 4
        let stride = Self.bucketsPerSlot + 1
        var offsets = [UInt32](repeating: 0, count: Self.slots * stride)
        var suffixes = [UInt8](repeating: 0, count: Self.slots * n + Self.suffixPadding)
        var ids = [UInt8](repeating: 0, count: Self.slots * n * idBytes + 4)
        var cursor = [UInt32](repeating: 0, count: Self.bucketsPerSlot)
        hashes.withUnsafeBufferPointer { h in
            offsets.withUnsafeMutableBufferPointer { off in
                suffixes.withUnsafeMutableBufferPointer { sfx in
                    ids.withUnsafeMutableBytes { idb in
                        cursor.withUnsafeMutableBufferPointer { cur in
                            for s in 0..<Self.slots {
                                Self.fill(slot: s, h, offsets: off, suffixes: sfx, ids: idb, idBytes: idBytes, cursor: cur)
                            }
                        }
                    }
                }
            }
        }
        self.offsets = offsets
        self.suffixes = suffixes
        self.ids = ids
        self.idBytes = idBytes
    }

    /// Counting sort of slot `s` by its 16-bit prefix: directory, then suffix bytes and ids.
    private static func fill(slot s: Int, _ h: UnsafeBufferPointer<Hash256>, offsets off: UnsafeMutableBufferPointer<UInt32>,
                             suffixes sfx: UnsafeMutableBufferPointer<UInt8>, ids idb: UnsafeMutableRawBufferPointer,
                             idBytes: Int, cursor: UnsafeMutableBufferPointer<UInt32>) {
        let n = h.count, base = s * (bucketsPerSlot + 1), e = UInt32(suffixBits(s))
        let mask = UInt32(1) << e - 1
        guard let ib = idb.baseAddress else { return }
        for i in 0..<n { off[base + Int(slotValue(h[i].words, s) >> e) + 1] += 1 }
        for p in 0..<bucketsPerSlot { off[base + p + 1] += off[base + p] }
        for p in 0..<bucketsPerSlot { cursor[p] = off[base + p] }
        for i in 0..<n {
            let v = slotValue(h[i].words, s)
            let p = Int(v >> e)
            let entry = s * n + Int(cursor[p])
            cursor[p] += 1
            sfx[entry] = UInt8(truncatingIfNeeded: v & mask)
            let o = entry * idBytes
            if idBytes >= 4 {
                ib.storeBytes(of: UInt32(truncatingIfNeeded: i).littleEndian, toByteOffset: o, as: UInt32.self)
            } else {
                // Two stores, not one 4-byte store, which would clobber the next entry's first byte.
                ib.storeBytes(of: UInt16(truncatingIfNeeded: i).littleEndian, toByteOffset: o, as: UInt16.self)
                ib.storeBytes(of: UInt8(truncatingIfNeeded: i >> 16), toByteOffset: o + 2, as: UInt8.self)
            }
        }
    }

    /// Number of indexed hashes.
    public var count: Int { hashes.count }

    /// Bytes held by the index, the 32-byte hashes included.
    public var memoryBytes: Int { hashes.count * 32 + tableBytes }

    /// Bytes of the lookup tables alone (directories, suffix bytes, ids): what the index adds to
    /// the hash array, which the caller usually holds anyway (copy-on-write shares it).
    public var tableBytes: Int { offsets.count * 4 + suffixes.count + ids.count }

    /// Width of slot `s`: three 24-bit slots, then eight 23-bit ones (256 bits in all).
    @inline(__always) static func width(_ s: Int) -> Int { s < 3 ? 24 : 23 }

    /// Suffix bits of slot `s` (its width minus the 16-bit directory prefix): 8 or 7.
    @inline(__always) static func suffixBits(_ s: Int) -> Int { width(s) - prefixBits }

    /// Slot `s` of a hash: bits `start ..< start + width` in ThreatExchange bit order (bit 0 is
    /// the most significant bit of `words[0]`), as an integer whose MSB is the slot's first bit.
    @inline(__always) static func slotValue(_ w: SIMD4<UInt64>, _ s: Int) -> UInt32 {
        let width = Self.width(s)
        let start = s < 3 ? 24 * s : 72 + 23 * (s - 3)
        let wi = start &>> 6, off = start & 63
        var v = w[wi] &<< UInt64(off)
        if off + width > 64 { v |= w[wi + 1] &>> UInt64(64 - off) }
        return UInt32(truncatingIfNeeded: v &>> UInt64(64 - width))
    }

    /// Probe radius of slot `s` for search radius `r` (see the type's proof); −1 means skip.
    @inline(__always) static func probeRadius(slot s: Int, radius r: Int) -> Int {
        let k = (r + 1) / slots, a = (r + 1) % slots
        return s < a ? k : k - 1
    }

    /// All hashes within `radius` of `query`, ascending by index: the same set as `HammingScan`.
    /// With `invertAware`, also those within `radius` of the complement (see `HammingScan`).
    public func search(_ query: Hash256, radius: Int, invertAware: Bool = false) -> [HammingMatch] {
        guard radius >= 0 else { return [] }
        guard radius < 64 else { return HammingScan.search(hashes, query: query, radius: radius, invertAware: invertAware) }
        var out: [HammingMatch] = []
        var scratch = Scratch()
        collect(query, radius: radius, inverted: false, scratch: &scratch, into: &out)
        if invertAware {
            // d + d' = 256, so for r < 128 no hash is within reach of both query and complement.
            collect(query.inverted, radius: radius, inverted: true, scratch: &scratch, into: &out)
        }
        guard out.count > 1 else { return out }
        // A hash reached through several slots was verified (and appended) once per slot.
        out.sort()
        var unique = 1
        for i in 1..<out.count where out[i] != out[unique - 1] {
            out[unique] = out[i]
            unique += 1
        }
        out.removeLast(out.count - unique)
        return out
    }

    /// Per-search working buffers, reused across the slots and both orientations of one search.
    struct Scratch {
        var buckets: [MIHProbe.Bucket] = []
        /// Entry positions that passed the suffix filter (a buffer, not a list: see `collect`).
        var positions = [Int](repeating: 0, count: 4096)
        var candidates: [UInt32] = []
    }

    /// Collects the slot candidates of `q` phase by phase (directory, suffix filter, ids), then
    /// verifies them with the full distance in one tight loop over the hashes.
    private func collect(_ q: Hash256, radius r: Int, inverted: Bool,
                         scratch: inout Scratch, into out: inout [HammingMatch]) {
        let n = hashes.count
        guard n > 0 else { return }
        scratch.buckets.removeAll(keepingCapacity: true)
        scratch.candidates.removeAll(keepingCapacity: true)
        let stride = Self.bucketsPerSlot + 1
        offsets.withUnsafeBufferPointer { off in
            guard let off = off.baseAddress else { return }
            for s in 0..<Self.slots {
                let pr = Self.probeRadius(slot: s, radius: r)
                if pr < 0 { continue }
                let v = Self.slotValue(q.words, s), e = UInt32(Self.suffixBits(s))
                MIHProbe.buckets(prefix: Int(v >> e), suffix: UInt8(truncatingIfNeeded: v & (1 << e - 1)), radius: pr,
                                 offsets: off + s * stride, base: s * n, into: &scratch.buckets)
            }
        }
        // Positions are written through a pointer (no per-entry append checks); the buffer grows
        // only when the next bucket, if all of it passed, would not fit.
        var found = 0, next = 0
        let buckets = scratch.buckets
        suffixes.withUnsafeBufferPointer { sfx in
            guard let sfx = sfx.baseAddress else { return }
            while next < buckets.count {
                let need = found + buckets[next].hi - buckets[next].lo
                if need > scratch.positions.count {
                    scratch.positions += repeatElement(0, count: max(need, 2 * scratch.positions.count) - scratch.positions.count)
                }
                scratch.positions.withUnsafeMutableBufferPointer { pos in
                    guard let out = pos.baseAddress else { return }
                    while next < buckets.count, found + buckets[next].hi - buckets[next].lo <= pos.count {
                        MIHProbe.scan(buckets[next], suffixes: sfx, into: out, count: &found)
                        next += 1
                    }
                }
            }
        }
        ids.withUnsafeBytes { idb in
            scratch.positions.withUnsafeBufferPointer { pos in
                guard let idb = idb.baseAddress else { return }
                MIHProbe.ids(UnsafeBufferPointer(rebasing: pos[..<found]), ids: idb, idBytes: idBytes,
                             into: &scratch.candidates)
            }
        }
        hashes.withUnsafeBufferPointer { h in
            for c in scratch.candidates {
                let id = Int(c)
                let d = h[id].distance(to: q)
                if d <= r { out.append(HammingMatch(index: id, distance: d, inverted: inverted)) }
            }
        }
    }
}
