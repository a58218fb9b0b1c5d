import HashmarkFingerprint
import HashmarkTestSupport
import Testing
import HashmarkIndex

/// End to end on synthetic audio: a recording found inside a longer mix at the right offset, under
/// 10 dB SNR noise, and after a 1.03 resampling (tempo and pitch together).
@Suite("AudioMatch")
struct AudioMatchTests {
    static let spf = AudioFingerprint.Parameters().layout.secondsPerFrame
    static let song = AudioSynth.recording(seed: 11, seconds: 20)

    /// The song (recording 0) and three unrelated recordings.
    static func index() throws -> AudioLandmarkIndex {
        try AudioLandmarkIndex(recordings: [AudioFingerprint(samples: song)]
            + ([12, 13, 14] as [UInt64]).map { AudioFingerprint(samples: AudioSynth.recording(seed: $0, seconds: 20)) })
    }

    @Test func foundInsideALongerMixAtItsOffset() throws {
        // The whole song from 21.3 s on, over other material at a third of its level.
        var mix = AudioSynth.recording(seed: 15, seconds: 50).map { $0 * 0.3 }
        let at = 21.3
        for (i, v) in Self.song.enumerated() where Int(at * AudioSynth.rate) + i < mix.count { mix[Int(at * AudioSynth.rate) + i] += v }
        let got = try Self.index().query(AudioFingerprint(samples: mix))
        let top = try #require(got.first)
        #expect(top.recording == 0)
        // Song frame = mix frame + offset: the song starts 21.3 s = 917.2 frames into the mix.
        let want = -at / Self.spf
        #expect(abs(Double(top.offsetFrames) - want) <= 1.5, "offset \(top.offsetFrames), want \(want)")
        let runnerUp = got.count > 1 ? got[1].votes : 0
        #expect(top.votes >= 10 * max(runnerUp, 1), "votes \(top.votes) vs \(runnerUp)")
        // Evidence: the aligned stretch covers most of the song, in both time bases.
        #expect(top.recordingSeconds.lowerBound < 2 && top.recordingSeconds.upperBound > 17, "\(top.recordingSeconds)")
        #expect(abs(top.querySeconds.lowerBound - (top.recordingSeconds.lowerBound + at)) < 0.1, "\(top.querySeconds)")
        print("mix: votes \(top.votes), runner-up \(runnerUp), offset \(top.offsetFrames) frames (\(top.offsetSeconds) s)")
    }

    @Test func foundUnderNoiseAt10dBSNR() throws {
        // A 10-second excerpt from 6 s on, with white noise at 10 dB SNR.
        let start = 6 * Int(AudioSynth.rate)
        let excerpt = Array(Self.song[start..<(start + 10 * Int(AudioSynth.rate))])
        let got = try Self.index().query(AudioFingerprint(samples: AudioSynth.noisy(excerpt, snr: 10, seed: 16)))
        let top = try #require(got.first)
        #expect(top.recording == 0)
        #expect(abs(Double(top.offsetFrames) - 6 / Self.spf) <= 1.5, "offset \(top.offsetFrames)")
        let runnerUp = got.count > 1 ? got[1].votes : 0
        #expect(top.votes >= 5 * max(runnerUp, 1), "votes \(top.votes) vs \(runnerUp)")
        print("10 dB SNR: votes \(top.votes), runner-up \(runnerUp)")
    }

    /// Resampled by 1.03 (3 % faster and higher): the fraction of the query's landmarks whose hash
    /// a song landmark has at the transformed time (±2 frames), and the index still ranks it first.
    @Test func survivesA3PercentResample() throws {
        let query = AudioFingerprint(samples: AudioSynth.resample(Self.song, by: 1.03))
        let ref = AudioFingerprint(samples: Self.song)
        var byHash: [UInt32: [Int32]] = [:]
        for l in ref.landmarks { byHash[l.hash, default: []].append(l.time) }
        let kept = query.landmarks.filter { l in
            (byHash[l.hash] ?? []).contains { abs(Double($0) - 1.03 * Double(l.time)) <= 2 }
        }.count
        let fraction = Double(kept) / Double(max(query.landmarks.count, 1))
        print("resample 1.03: \(kept) of \(query.landmarks.count) landmarks kept (\(fraction))")
        #expect(fraction >= 0.10, "kept \(fraction)")
        let got = try Self.index().query(query)
        #expect(got.first?.recording == 0)
        let runnerUp = got.count > 1 ? got[1].votes : 0
        #expect((got.first?.votes ?? 0) >= 3 * max(runnerUp, 1), "votes \(got.first?.votes ?? 0) vs \(runnerUp)")
        print("resample 1.03: index votes \(got.first?.votes ?? 0), runner-up \(runnerUp)")
    }
}
