import HashmarkFingerprint
import HashmarkTestSupport
import Testing
import HashmarkIndex

/// A submission paired wider than the stored works (`AudioFingerprint(queryFanOut:)`): it forms
/// every pair the stored pairing forms, and under louder music mixed over the work it finds more
/// of the work's stored pairs.
@Suite("AudioQueryFanOut")
struct AudioQueryFanOutTests {
    @Test func aWiderQueryHoldsEveryStoredPair() {
        let song = AudioSynth.recording(seed: 41, seconds: 15)
        let stored = AudioFingerprint(samples: song), query = AudioFingerprint(samples: song, queryFanOut: 10)
        #expect(query.parameters == stored.parameters, "the same hash function: an index accepts the query")
        #expect(query.landmarks.count > stored.landmarks.count)
        #expect(Set(stored.landmarks).isSubset(of: Set(query.landmarks)))
        #expect(AudioFingerprint(samples: song, queryFanOut: 5).landmarks == stored.landmarks)
    }

    @Test func underLouderMusicAWiderQueryAlignsMoreStoredPairs() throws {
        let song = AudioMatchTests.song
        let index = try AudioLandmarkIndex(recordings: [AudioFingerprint(samples: song)])
        var mix = AudioSynth.recording(seed: 42, seconds: 20, voices: 6).map { $0 * 1.4 }
        for i in song.indices where i < mix.count { mix[i] += song[i] }
        let narrow = try #require(try index.query(AudioFingerprint(samples: mix), limit: 1).first)
        let wide = try #require(try index.query(AudioFingerprint(samples: mix, queryFanOut: 10), limit: 1).first)
        #expect(wide.offsetFrames == narrow.offsetFrames)
        #expect(wide.votes > narrow.votes, "\(wide.votes) vs \(narrow.votes)")
        print("song under louder music: \(narrow.votes) aligned pairs at fan-out 5, \(wide.votes) at 10")
    }
}
