import HashmarkFingerprint

/// The postings of a run of recordings, packed: every landmark is 4 bytes, its position on one
/// frame line that holds the shard's recordings end to end (recording `r` from `bases[r]`), listed
/// by hash, recording after recording (compressed sparse rows: no per-hash arrays, no growth
/// slack); within a recording in its landmarks' order, which is time order for fingerprints.
///
/// A position names its recording through `blockRecording` (the recording holding the first frame
/// of each block of `1 << blockShift` frames) and a short walk over `bases`.
struct AudioPostingShard: Sendable {
    /// Number of the shard's first recording in the index.
    let firstRecording: Int
    /// Start of each recording on the shard's frame line, ascending, then the line's end.
    let bases: [UInt32]
    /// Distinct hashes, ascending; positions of `keys[k]` are `positions[starts[k]..<starts[k + 1]]`.
    let keys: [UInt32]
    let starts: [Int]
    let positions: [UInt32]
    let blockRecording: [Int32]
    static let blockShift = 10

    var recordings: Int { bases.count - 1 }

    /// The range of `positions` that holds `hash`, or `nil` when no recording has it.
    func range(of hash: UInt32) -> Range<Int>? {
        let k = keys.firstIndex(atLeast: hash, in: keys.indices)
        return k < keys.count && keys[k] == hash ? starts[k]..<starts[k + 1] : nil
    }

    /// The shard-local recording whose stretch of the frame line holds `position`.
    func recording(at position: UInt32) -> Int {
        var r = Int(blockRecording[Int(position >> UInt32(Self.blockShift))])
        while bases[r + 1] <= position { r += 1 }
        return r
    }
}

extension AudioPostingShard {
    /// Gathers a shard in two passes over the same recordings: `count` sizes every hash's list,
    /// then `fill` places each landmark at its hash's next free slot (so lists stay in position
    /// order). Peak memory is the shard itself plus one counter per hash (a flat table of 4-byte
    /// counters below `denseLimit`).
    struct Builder {
        let firstRecording: Int
        private(set) var bases: [UInt32] = [0]
        private var dense: [Int32]
        private var sparse: [UInt32: Int] = [:]
        private var keys: [UInt32] = []
        private var starts: [Int] = []
        private var next: [Int] = []
        private var positions: [UInt32] = []
        /// Hashes below this are counted in a flat array, others in a dictionary.
        let denseLimit: UInt32

        /// `denseBits`: the flat counter table's size (pair hashes have 19 bits; combined keys
        /// `LandmarkCombiner.keyBits`).
        init(firstRecording: Int, denseBits: Int = 20) {
            self.firstRecording = firstRecording
            denseLimit = UInt32(1) << UInt32(min(max(denseBits, 1), 28))
            dense = [Int32](repeating: 0, count: Int(denseLimit))
        }

        var recordings: Int { bases.count - 1 }
        var end: UInt64 { UInt64(bases[bases.count - 1]) }

        /// First pass: one recording's landmarks, taking `extent` frames of the line.
        mutating func count(_ landmarks: [Landmark], extent: Int) {
            bases.append(UInt32(end + UInt64(extent)))
            for l in landmarks {
                if l.hash < denseLimit { dense[Int(l.hash)] += 1 } else { sparse[l.hash, default: 0] += 1 }
            }
        }

        /// Between the passes: the lists' starts; the counters become each hash's list number.
        mutating func layOut() {
            var total = 0
            for h in dense.indices where dense[h] > 0 {
                let n = Int(dense[h])
                dense[h] = Int32(keys.count)
                keys.append(UInt32(h))
                starts.append(total)
                total += n
            }
            for h in sparse.keys.sorted() {
                let n = sparse[h]!
                sparse[h] = keys.count
                keys.append(h)
                starts.append(total)
                total += n
            }
            starts.append(total)
            next = Array(starts.dropLast())
            positions = [UInt32](repeating: 0, count: total)
        }

        /// Second pass: recording `local` (in first-pass order) again; `false` when it holds a
        /// hash the first pass did not count or more landmarks of one than counted.
        mutating func fill(_ landmarks: [Landmark], local: Int) -> Bool {
            let base = bases[local]
            for l in landmarks {
                let k = l.hash < denseLimit ? Int(dense[Int(l.hash)]) : sparse[l.hash] ?? -1
                guard k >= 0, k < keys.count, keys[k] == l.hash, next[k] < starts[k + 1] else { return false }
                positions[next[k]] = base + UInt32(l.time)
                next[k] += 1
            }
            return true
        }

        /// Whether the second pass placed every landmark the first counted (every list is full).
        var complete: Bool { zip(next, starts.dropFirst()).allSatisfy { $0 == $1 } }

        /// The finished shard (after the second pass).
        func shard() -> AudioPostingShard {
            let blocks = Int(end >> UInt64(AudioPostingShard.blockShift)) + 1
            var table = [Int32](repeating: 0, count: blocks)
            var r = 0
            for b in 0..<blocks {
                let first = UInt64(b) << UInt64(AudioPostingShard.blockShift)
                while r + 1 < recordings, UInt64(bases[r + 1]) <= first { r += 1 }
                table[b] = Int32(r)
            }
            return AudioPostingShard(firstRecording: firstRecording, bases: bases, keys: keys, starts: starts,
                                     positions: positions, blockRecording: table)
        }
    }
}
