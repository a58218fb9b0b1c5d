import HashmarkFingerprint

/// Multi-index hashing (Norouzi, Punjani & Fleet) over 256-bit hashes: 16 tables, one per
/// 16-bit slot, answering "every hash within Hamming distance r" EXACTLY for any r.
///
/// Why it is exact. Split the 256 bits into 16 disjoint 16-bit slots, so
/// `d = d_0 + … + d_15`. Write `r = 16k + a` with `0 <= a < 16` and probe slot `s` at radius
/// `k` when `s <= a` and at radius `k - 1` otherwise (skipping it when that is negative). If a
/// hash were missed, every slot would exceed its probe radius: `d >= (a+1)(k+1) + (15-a)k =
/// 16k + a + 1 > r`. So every hash with `d <= r` lies in a probed bucket; each candidate is
/// then verified with the full distance, so nothing beyond `r` is returned. A hash is reported
/// only from the FIRST slot whose probe reaches it, so no result appears twice.
///
/// Memory: the hashes (32 B each) plus 16 `UInt32` ids (64 B each) in CSR layout — one sorted
/// id array per slot and a 65,537-entry offset table per slot (4 MiB in all, fixed).
/// For r >= 64 the probe count explodes (radius 4 in 16 bits), so those fall back to a scan.
public struct MultiIndexHash256: Sendable {
    /// The indexed hashes, in the caller's order: match indices point into this.
    public let hashes: [Hash256]
    /// `offsets[s * 65537 + v] ..< offsets[s * 65537 + v + 1]` is slot `s`, value `v` in `ids`.
    let offsets: [UInt32]
    /// Slot `s` occupies `ids[s * count ..< (s + 1) * count]`; ids ascending within a bucket.
    let ids: [UInt32]

    static let slots = 16
    static let bucketsPerSlot = 65_536

    /// Builds the tables with one counting sort per slot: O(n) time, no per-bucket allocation.
    /// Returns `nil` beyond `UInt32.max - 1` hashes (ids are 32-bit).
    public init?(hashes: [Hash256]) {
        guard hashes.count < Int(UInt32.max) else { return nil }
        self.hashes = hashes
        let n = hashes.count
        let stride = Self.bucketsPerSlot + 1
        var offsets = [UInt32](repeating: 0, count: Self.slots * stride)
        var ids = [UInt32](repeating: 0, count: Self.slots * n)
        hashes.withUnsafeBufferPointer { h in
            offsets.withUnsafeMutableBufferPointer { off in
                ids.withUnsafeMutableBufferPointer { idb in
                    var cursor = [UInt32](repeating: 0, count: Self.bucketsPerSlot)
                    for s in 0..<Self.slots {
                        let base = s * stride
                        for i in 0..<n { off[base + Int(Self.slot(h[i], s)) + 1] += 1 }
                        for v in 0..<Self.bucketsPerSlot { off[base + v + 1] += off[base + v] }
                        for v in 0..<Self.bucketsPerSlot { cursor[v] = off[base + v] }
                        let idBase = s * n
                        for i in 0..<n {
                            let v = Int(Self.slot(h[i], s))
                            idb[idBase + Int(cursor[v])] = UInt32(i)
                            cursor[v] += 1
                        }
                    }
                }
            }
        }
        self.offsets = offsets
        self.ids = ids
    }

    /// Number of indexed hashes.
    public var count: Int { hashes.count }

    /// Bytes held by the index, hashes included.
    public var memoryBytes: Int { hashes.count * 32 + offsets.count * 4 + ids.count * 4 }

    /// Slot `s` (0…15) of `h`: bits `16s ..< 16s + 16` in ThreatExchange bit order.
    @inline(__always) static func slot(_ h: Hash256, _ s: Int) -> UInt16 {
        UInt16(truncatingIfNeeded: h.words[s >> 2] >> UInt64(48 - 16 * (s & 3)))
    }

    /// Probe radius of slot `s` for search radius `r` (see the type's proof); −1 means skip.
    @inline(__always) static func probeRadius(slot s: Int, radius r: Int) -> Int {
        let k = r >> 4, a = r & 15
        return s <= a ? k : k - 1
    }

    /// All hashes within `radius` of `query`, ascending by index: the same set as `HammingScan`.
    /// With `invertAware`, also those within `radius` of the complement (see `HammingScan`).
    public func search(_ query: Hash256, radius: Int, invertAware: Bool = false) -> [HammingMatch] {
        guard radius >= 0 else { return [] }
        guard radius < 64 else { return HammingScan.search(hashes, query: query, radius: radius, invertAware: invertAware) }
        var out: [HammingMatch] = []
        collect(query, radius: radius, inverted: false, into: &out)
        if invertAware {
            // d + d' = 256, so for r < 128 no hash is within reach of both query and complement.
            collect(query.inverted, radius: radius, inverted: true, into: &out)
            out.sort()
        } else {
            out.sort { $0.index < $1.index }
        }
        return out
    }

    private func collect(_ q: Hash256, radius r: Int, inverted: Bool, into out: inout [HammingMatch]) {
        let n = hashes.count
        guard n > 0 else { return }
        let stride = Self.bucketsPerSlot + 1
        hashes.withUnsafeBufferPointer { h in
            offsets.withUnsafeBufferPointer { off in
                ids.withUnsafeBufferPointer { idb in
                    for s in 0..<Self.slots {
                        let pr = Self.probeRadius(slot: s, radius: r)
                        if pr < 0 { continue }
                        let qv = Self.slot(q, s)
                        let base = s * stride, idBase = s * n
                        // Visit every 16-bit value within `pr` (≤ 3) of `qv`.
                        Self.forEachNeighbour(of: qv, within: pr) { v in
                            let lo = Int(off[base + Int(v)]), hi = Int(off[base + Int(v) + 1])
                            var j = lo
                            while j < hi {
                                let id = Int(idb[idBase + j])
                                j += 1
                                let cand = h[id]
                                let d = cand.distance(to: q)
                                guard d <= r else { continue }
                                // Report once: skip if an earlier slot's probe reaches it too.
                                var earlier = false
                                for t in 0..<s where Self.probeRadius(slot: t, radius: r) >= 0 {
                                    let dt = (Self.slot(cand, t) ^ Self.slot(q, t)).nonzeroBitCount
                                    if dt <= Self.probeRadius(slot: t, radius: r) { earlier = true; break }
                                }
                                if !earlier { out.append(HammingMatch(index: id, distance: d, inverted: inverted)) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Calls `body` for each 16-bit value at Hamming distance 0…`radius` (≤ 3) from `v`.
    @inline(__always)
    static func forEachNeighbour(of v: UInt16, within radius: Int, _ body: (UInt16) -> Void) {
        body(v)
        guard radius >= 1 else { return }
        for i in 0..<16 {
            let vi = v ^ (1 << UInt16(i))
            body(vi)
            guard radius >= 2 else { continue }
            for j in (i + 1)..<16 {
                let vij = vi ^ (1 << UInt16(j))
                body(vij)
                guard radius >= 3 else { continue }
                for k in (j + 1)..<16 { body(vij ^ (1 << UInt16(k))) }
            }
        }
    }
}
