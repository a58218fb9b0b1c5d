import HashmarkFingerprint
import HashmarkTestSupport
import Testing
import HashmarkIndex

/// A submission's landmarks taken denser and wider than the stored works'
/// (`AudioFingerprint.Query`): paired wider it forms every pair the stored pairing forms, and
/// under louder music mixed over the work, wider and denser each find more of the work's stored pairs.
@Suite("AudioQuery")
struct AudioQueryTests {
    @Test func aWiderQueryHoldsEveryStoredPair() {
        let song = AudioSynth.recording(seed: 41, seconds: 15)
        let stored = AudioFingerprint(samples: song), query = AudioFingerprint(samples: song, query: .init(fanOut: 10))
        #expect(query.parameters == stored.parameters, "the same hash function: an index accepts the query")
        #expect(query.landmarks.count > stored.landmarks.count)
        #expect(Set(stored.landmarks).isSubset(of: Set(query.landmarks)))
        #expect(AudioFingerprint(samples: song, query: .init(fanOut: 5)).landmarks == stored.landmarks)
    }

    @Test func underLouderMusicAWiderQueryAlignsMoreStoredPairs() throws {
        let song = AudioMatchTests.song
        let index = try AudioLandmarkIndex(recordings: [AudioFingerprint(samples: song)])
        var mix = AudioSynth.recording(seed: 42, seconds: 20, voices: 6).map { $0 * 1.4 }
        for i in song.indices where i < mix.count { mix[i] += song[i] }
        let narrow = try #require(try index.query(AudioFingerprint(samples: mix), limit: 1).first)
        let wide = try #require(try index.query(AudioFingerprint(samples: mix, query: .init(fanOut: 10)), limit: 1).first)
        #expect(wide.offsetFrames == narrow.offsetFrames)
        #expect(wide.votes > narrow.votes, "\(wide.votes) vs \(narrow.votes)")
        print("song under louder music: \(narrow.votes) aligned pairs at fan-out 5, \(wide.votes) at 10")
    }

    /// More peaks per window keep every peak the stored picker keeps (a superset: a peak is kept
    /// when fewer than the budget of stronger ones surround it), so a denser query's landmarks
    /// are hashed from the same peaks plus more; under music mixed over the work it aligns more.
    @Test func aDenserQueryKeepsTheStoredPeaksAndAlignsMoreUnderMusic() throws {
        let song = AudioMatchTests.song
        let spectrogram = Spectrogram(samples: song, layout: Spectrogram.Layout())
        var dense = PeakPicker()
        dense.peaksPerWindow = 40
        let stored = PeakPicker().peaks(spectrogram), denser = dense.peaks(spectrogram)
        #expect(denser.count > stored.count)
        #expect(Set(stored).isSubset(of: Set(denser)))
        #expect(AudioFingerprint(samples: song, query: .init(fanOut: 10, peaksPerWindow: 40)).parameters
                == AudioFingerprint(samples: song).parameters)

        let index = try AudioLandmarkIndex(recordings: [AudioFingerprint(samples: song)])
        var mix = AudioSynth.recording(seed: 42, seconds: 20, voices: 6).map { $0 * 1.4 }
        for i in song.indices where i < mix.count { mix[i] += song[i] }
        let wide = try #require(try index.query(AudioFingerprint(samples: mix, query: .init(fanOut: 10)), limit: 1).first)
        let denseWide = try #require(try index.query(AudioFingerprint(samples: mix, query: .init(fanOut: 10, peaksPerWindow: 40)),
                                                     limit: 1).first)
        #expect(abs(denseWide.offsetFrames) <= 1 && abs(wide.offsetFrames) <= 1, "the song starts with the mix")
        #expect(denseWide.distinctHashes > wide.distinctHashes, "\(denseWide.distinctHashes) vs \(wide.distinctHashes)")
        print("song under louder music, fan-out 10: \(wide.distinctHashes) distinct aligned hashes at 30 peaks, \(denseWide.distinctHashes) at 40")
    }
}
