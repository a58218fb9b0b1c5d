/// Keys for the candidate stage of a large audio catalogue: two landmarks of one anchor frame
/// hashed together.
///
/// A pair hash has 19 bits, but music fills its coarse cells so unevenly that a query landmark
/// meets about 1 in 26,000 stored ones (`Benchmarks/AUDIO.md`): at 10,000 hours a 10 s query
/// walks ~72 M postings. Two landmarks of the same anchor share its frame and anchor cell and add
/// a second frequency ratio and time gap, all as invariant under a speed change as the pair's
/// own, so their combination is far rarer while still surviving tempo and pitch changes (when
/// both pairs survive). Each landmark is combined with the next `reach` landmarks of its frame
/// (landmarks come anchor by anchor, targets in (frame, bin) order), so a lost target peak still
/// leaves its neighbours combined. The combination is folded into `keyBits` bits, and only 1 in
/// 2^`sampleBits` combinations is kept, chosen by its hash, so a query keeps the same ones as the
/// catalogue (the index stays at about 0.75 of the pair index's size at reach 2).
public struct LandmarkCombiner: Sendable, Hashable {
    public var reach = 2
    public var keyBits = 25
    public var sampleBits = 1

    public init(reach: Int = 2, keyBits: Int = 25, sampleBits: Int = 1) {
        self.reach = max(1, reach)
        self.keyBits = max(1, min(28, keyBits))
        self.sampleBits = max(0, min(8, sampleBits))
    }

    /// `landmarks` in anchor-time order, as `LandmarkHasher` returns them; the combined keys
    /// carry the anchor frame as their time.
    public func combined(_ landmarks: [Landmark]) -> [Landmark] {
        var out: [Landmark] = []
        out.reserveCapacity(landmarks.count * reach)
        var start = 0
        while start < landmarks.count {
            var end = start + 1
            while end < landmarks.count, landmarks[end].time == landmarks[start].time { end += 1 }
            for i in start..<end {
                for j in (i + 1)..<min(end, i + 1 + reach) {
                    if let k = key(landmarks[i].hash, landmarks[j].hash) { out.append(Landmark(hash: k, time: landmarks[i].time)) }
                }
            }
            start = end
        }
        return out
    }

    /// The folded key of an ordered pair of hashes (the top `keyBits` bits of `SplitMix64.mix`), or
    /// `nil` when the sample leaves it out (its low `sampleBits` bits are not all zero).
    public func key(_ a: UInt32, _ b: UInt32) -> UInt32? {
        let z = SplitMix64.mix(UInt64(a) << 32 | UInt64(b))
        guard z & ((1 << UInt64(sampleBits)) - 1) == 0 else { return nil }
        return UInt32(truncatingIfNeeded: z >> UInt64(64 - keyBits))
    }
}
