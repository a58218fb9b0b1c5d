import HashmarkFingerprint

extension AudioVoteTable {
    /// Frames a cell of `windowVotes`' coarse filter covers: a frame line of 10,000 hours (1.5 G
    /// frames) takes 190 KB of bits, in the core's cache.
    static let windowCellBits = 10

    /// For each of `windows` (a shard-local recording and a range of offsets `position − query
    /// frame` on the shard's frame line, as `offsetBounds` returns them), the votes of this
    /// table's lists that fall in the range and belong to the recording.
    ///
    /// One pass over every posting, without looking up recordings: a bit per cell of
    /// `1 << windowCellBits` offsets marks the cells that meet a window, and only the votes in
    /// marked cells (few, for a few thousand windows) are tested against the windows themselves.
    /// `stop`: asked before each list; once it says so, the counts so far.
    func windowVotes(_ windows: [(recording: Int, window: Range<Int>)], stop: () -> Bool = { false }) -> [Int] {
        var counts = [Int](repeating: 0, count: windows.count)
        guard !windows.isEmpty, let latest = lists.map({ Int($0.time) }).max() else { return counts }
        // Offsets shifted by `latest` (never negative) address the cells.
        let bits = Self.windowCellBits, cells = (Int(shard.bases[shard.recordings]) + latest) >> bits + 1
        var marked = [UInt64](repeating: 0, count: cells / 64 + 1)
        for w in windows where !w.window.isEmpty {
            let lo = max(0, w.window.lowerBound + latest), hi = min(w.window.upperBound - 1 + latest, (cells << bits) - 1)
            guard lo <= hi else { continue }
            for c in (lo >> bits)...(hi >> bits) { marked[c >> 6] |= 1 << (c & 63) }
        }
        let order = windows.indices.sorted { windows[$0].window.lowerBound < windows[$1].window.lowerBound }
        let lows = order.map { windows[$0].window.lowerBound }, widest = windows.map(\.window.count).max()!
        shard.positions.withUnsafeBufferPointer { positions in
            marked.withUnsafeBufferPointer { m in
                for l in lists {
                    if stop() { break }
                    let lead = latest - Int(l.time)
                    for i in l.range {
                        let c = (Int(positions[i]) + lead) >> bits
                        guard m[c >> 6] & (1 << (c & 63)) != 0 else { continue }
                        // The windows starting in (offset − widest, offset]: one may hold the vote.
                        let offset = Int(positions[i]) - Int(l.time)
                        var lo = 0, hi = lows.count
                        while lo < hi {
                            let mid = (lo + hi) / 2
                            if lows[mid] <= offset - widest { lo = mid + 1 } else { hi = mid }
                        }
                        var recording: Int? = nil
                        while lo < lows.count, lows[lo] <= offset {
                            let w = order[lo]
                            if windows[w].window.contains(offset) {
                                recording = recording ?? shard.recording(at: positions[i])
                                if recording == windows[w].recording { counts[w] += 1 }
                            }
                            lo += 1
                        }
                    }
                }
            }
        }
        return counts
    }
}

extension AudioLandmarkIndex {
    /// `AudioVoteTable.windowVotes` of every landmark of `fingerprint`, for windows of recordings
    /// numbered in the index, each on its own shard's frame line (tests).
    @_spi(Testing) public func windowVotes(_ fingerprint: AudioFingerprint, windows: [(recording: Int, window: Range<Int>)]) -> [Int] {
        var counts = [Int](repeating: 0, count: windows.count)
        for shard in shards {
            let mine = windows.indices.filter { (0..<shard.recordings).contains(windows[$0].recording - shard.firstRecording) }
            guard !mine.isEmpty else { continue }
            let local = mine.map { (recording: windows[$0].recording - shard.firstRecording, window: windows[$0].window) }
            for (i, n) in zip(mine, AudioVoteTable(fingerprint.landmarks, shard: shard, gathered: false).windowVotes(local)) { counts[i] = n }
        }
        return counts
    }
}
