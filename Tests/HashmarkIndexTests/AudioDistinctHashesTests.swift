import HashmarkFingerprint
import HashmarkTestSupport
import Testing
import HashmarkIndex

/// Distinct hashes tell a copy from two recordings that merely repeat one sound at one period
/// (two tracks on one stock drum sample at one tempo): the repeats line up at once, so that
/// pair aligns many votes of few different hashes, where a copy's aligned hashes mostly differ.
@Suite("AudioDistinctHashes")
struct AudioDistinctHashesTests {
    /// `voices` (new music of its own) with `hit` added every `period` seconds.
    static func track(_ voices: [Float], hit: [Float], period: Double) -> [Float] {
        var out = voices
        var at = 0.0
        while Int(at * AudioSynth.rate) < out.count {
            let s = Int(at * AudioSynth.rate)
            for (i, v) in hit.enumerated() where s + i < out.count { out[s + i] += 4 * v }
            at += period
        }
        return out
    }

    @Test func repetitionAlignsManyVotesOfFewHashes() throws {
        let hit = AudioSynth.recording(seed: 30, seconds: 0.15, voices: 2)
        let work = Self.track(AudioSynth.recording(seed: 31, seconds: 20, voices: 2), hit: hit, period: 0.5)
        let other = Self.track(AudioSynth.recording(seed: 32, seconds: 20, voices: 2), hit: hit, period: 0.5)
        let index = try AudioLandmarkIndex(recordings: [AudioFingerprint(samples: work)])
        let copy = try #require(try index.query(AudioFingerprint(samples: AudioSynth.noisy(work, snr: 15, seed: 33))).first)
        let shared = try #require(try index.query(AudioFingerprint(samples: other)).first)
        print("copy: \(copy.votes) votes, \(copy.distinctHashes) distinct; shared hit: \(shared.votes) votes, \(shared.distinctHashes) distinct")
        #expect(copy.distinctHashes <= copy.votes && shared.distinctHashes <= shared.votes)
        // The shared sample aligns a lot of votes, but they are repeats ...
        #expect(shared.votes >= 3 * shared.distinctHashes, "\(shared.votes) votes, \(shared.distinctHashes) distinct")
        // ... so by distinct hashes the copy stands much further above it than by votes.
        let byVotes = Double(copy.votes) / Double(shared.votes)
        let byDistinct = Double(copy.distinctHashes) / Double(max(1, shared.distinctHashes))
        #expect(byDistinct >= 2 * byVotes, "votes ratio \(byVotes), distinct ratio \(byDistinct)")
    }
}
