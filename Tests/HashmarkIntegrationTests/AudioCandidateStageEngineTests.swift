import Foundation
import HashmarkEngine
import HashmarkMedia
import HashmarkReport
import HashmarkStore
import HashmarkTransforms
import Testing

/// The engine with the audio candidate stage forced on (`CorpusIndex(audioCandidateMinimum: 0)`,
/// what `hashmark eval --audio-candidate-stage` measures) on real Corpus recordings: edited copies
/// get the same verdicts and the same evidence as through the exhaustive search.
struct AudioCandidateStageEngineTests {
    static let registered = ["ufoai-music__David01", "lomiri-sounds__Entropy", "espeak-ng__tts_0_sword-text-web__WEB_Ruth",
                             "warzone2100-music__aftermath_soundtrack_menu_enhanced", "lomiri-sounds__Call_me"]
    static let other = "wesnoth-1.16-music__battle"
    static let rate = 22_050

    static func path(_ id: String) -> String { Corpus.root.appendingPathComponent("audio/\(id).flac").path }
    static func samples(_ id: String) throws -> [Float] {
        try AudioDecoder.decode(Array(Data(contentsOf: URL(fileURLWithPath: path(id)))), limits: AudioLimits(targetRate: rate)).samples
    }

    @Test func stagedAndExhaustiveEnginesAgreeOnEditedCopies() throws {
        let dir = try TempDir()
        let store = try CorpusStore(path: dir.path("corpus.sqlite"))
        for id in Self.registered { _ = try Ingest(store: store).add(path: Self.path(id), metadata: .init(id: id)) }
        let exhaustive = Engine(index: try CorpusIndex(store: store), model: .defaults)
        let staged = Engine(index: try CorpusIndex(store: store, audioCandidateMinimum: 0), model: .defaults)
        #expect(exhaustive.index.audioCounts.recordings == Self.registered.count)

        let work = try Self.samples("ufoai-music__David01"), other = try Self.samples(Self.other)
        let edits: [(String, AudioEdit)] = [("excerpt", .excerpt(seconds: 10, trackSeconds: 40)), ("tempo", .tempo(1.05)),
                                            ("mix", .mix(gainDB: 0)), ("noise", .noise(snrDB: 10))]
        for (name, edit) in edits {
            var rng = SeededGenerator(seed: 3)
            let bytes = try edit.deliver(work, rate: Self.rate, other: other, rng: &rng)
            let want = exhaustive.check(bytes: bytes, fileName: "\(name).wav")
            let got = staged.check(bytes: bytes, fileName: "\(name).wav")
            #expect(want.verdict == .infringing, "\(name)")
            #expect(got.verdict == want.verdict, "\(name)")
            #expect(got.matches.map(\.work.id) == want.matches.map(\.work.id), "\(name)")
            for (g, w) in zip(got.matches, want.matches) {
                guard case .audio(let ge) = g.evidence, case .audio(let we) = w.evidence else {
                    Issue.record("\(name): not audio evidence"); continue
                }
                #expect(ge == we, "\(name): \(g.work.id)")
            }
        }
        // An unregistered recording stays clear.
        let bed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.path(Self.other))))
        #expect(staged.check(bytes: bed, fileName: "bed.flac").verdict == .clear)
    }
}
