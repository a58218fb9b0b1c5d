import Foundation
import HashmarkEngine
import HashmarkMedia
import HashmarkReport
import Testing

/// Audio through the real binary: a registered recording heard inside a new one (an excerpt over
/// another recording with noise, re-encoded as Ogg; or sped up) is found with the right work,
/// segments and speed in a signed `/5` report that `verify` accepts and `show --html` draws; an
/// unregistered recording is clear; a cut file is an error verdict.
@Suite(.serialized, .timeLimit(.minutes(15))) struct AudioCheckTests {
    static let registered = ["ufoai-music__David01", "lomiri-sounds__Entropy", "espeak-ng__tts_0_sword-text-web__WEB_Ruth"]
    /// Bundled recordings NOT registered: the beds and the unrelated control.
    static let bed = "wesnoth-1.16-music__battle"
    static let unrelated = "singularity-music__A_New_Journey"
    static let rate = 22_050

    static func path(_ id: String) -> String { Corpus.root.appendingPathComponent("audio/\(id).flac").path }

    static func samples(_ id: String) throws -> [Float] {
        try AudioDecoder.decode(Array(Data(contentsOf: URL(fileURLWithPath: path(id)))),
                                limits: AudioLimits(targetRate: rate)).samples
    }

    /// The suite's folder (in the temporary directory, like `RegisteredCorpus`'s), corpus and keys.
    struct Setup: Sendable {
        let dir: Folder
        let db: String
        struct Folder: Sendable {
            let url: URL
            func path(_ name: String) -> String { url.appendingPathComponent(name).path }
        }
        init() throws {
            dir = Folder(url: FileManager.default.temporaryDirectory.appendingPathComponent("hashmark-audio-\(UUID().uuidString)"))
            try FileManager.default.createDirectory(at: dir.url, withIntermediateDirectories: true)
            db = dir.path("corpus.sqlite")
            for id in AudioCheckTests.registered {
                let r = try CLI.run(["corpus", "add", "--db", db, "--id", id, "--owner", "Test Records", "--license", "CC-BY-4.0",
                                     AudioCheckTests.path(id)])
                guard r.status == 0 else { throw CLIFailure(result: r) }
            }
            #expect(try CLI.run(["keygen", "--out", dir.path("keys")]).status == 0)
        }

        /// `check` with a signed report: exit status, the report, its path; `verify --file` must accept it.
        func check(_ name: String, _ bytes: [UInt8]) throws -> (Int32, VerdictReport, String) {
            let file = dir.path(name)
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            let reports = dir.path("reports-" + name)
            let r = try CLI.run(["check", "--json", "--db", db, "--report-dir", reports, "--key", dir.path("keys/hashmark.key.pem"), file])
            let report = try #require(try FileManager.default.contentsOfDirectory(atPath: reports).first { $0.hasSuffix(".json") },
                                      "\(r.stdout)\(r.stderr)")
            let verify = try CLI.run(["verify", reports + "/" + report, "--pubkey", dir.path("keys/hashmark.pub.pem"), "--file", file])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            return (r.status, try VerdictReport(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: reports + "/" + report)))),
                    reports + "/" + report)
        }
    }

    static let setup = Result { try Setup() }

    /// Seeded uniform noise at `snr` dB below the signal's RMS.
    static func addNoise(_ x: [Float], snr: Float) -> [Float] {
        let rms = (x.reduce(0) { $0 + $1 * $1 } / Float(max(1, x.count))).squareRoot()
        let amplitude = rms / pow(10, snr / 20) * Float(3).squareRoot()   // uniform on ±a has RMS a/√3
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        return x.map { v in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return v + amplitude * (Float(state >> 40) / Float(1 << 24) * 2 - 1)
        }
    }

    /// Linear-interpolation resampling that plays `x` `factor` times faster (tempo and pitch together).
    static func speedUp(_ x: [Float], by factor: Double) -> [Float] {
        let n = Int(Double(x.count) / factor)
        return (0..<n).map { i in
            let t = Double(i) * factor, k = Int(t), f = Float(t - Double(k))
            return k + 1 < x.count ? x[k] * (1 - f) + x[k + 1] * f : x[min(k, x.count - 1)]
        }
    }

    @Test func anExcerptOverAnotherRecordingIsFoundWithItsSegments() throws {
        let s = try Self.setup.get()
        let work = try Self.samples("ufoai-music__David01"), bed = try Self.samples(Self.bed)
        // 8 s of the work from 4 s, at 5 s into 15 s of the bed (the bed at half level under it), noise at 20 dB.
        var mix = Array(bed.prefix(15 * Self.rate)).map { $0 * 0.5 }
        for i in 0..<(8 * Self.rate) { mix[5 * Self.rate + i] += work[4 * Self.rate + i] }
        let peak = max(1, mix.map(abs).max() ?? 1)
        let ogg = try AudioEncoder.encode(interleaved: Self.addNoise(mix.map { $0 / peak }, snr: 20), channels: 1,
                                          sampleRate: Self.rate, as: .ogg, quality: 0.3)
        let (status, report, path) = try s.check("excerpt.ogg", ogg)
        #expect(status == 1 && report.verdict == .infringing)
        #expect(report.schema == VerdictReport.audioSchemaId)
        #expect(report.subject.audio?.channels == 1 && report.subject.mediaType == "audio/ogg")
        let m = try #require(report.decisiveMatches.first)
        #expect(report.decisiveMatches.count == 1 && m.work.id == "ufoai-music__David01" && m.matcher == "audio-landmarks")
        guard case .audio(let e) = m.evidence else { Issue.record("not audio evidence"); return }
        #expect(abs(e.submitted.start - 5) < 0.5 && abs(e.submitted.end - 13) < 0.5, "\(e.submitted)")
        #expect(abs(e.source.start - 4) < 0.5 && abs(e.source.end - 12) < 0.5, "\(e.source)")
        #expect(abs(e.offsetSeconds - -1) < 0.05 && e.speed == 1 && e.alignedHashes >= e.threshold, "\(e)")
        // The signed report carries the distinct count and the rule's minimum for it.
        let distinct = try #require(e.distinctHashes)
        let distinctThreshold = try #require(e.distinctThreshold)
        #expect(distinct >= distinctThreshold && distinct <= e.alignedHashes, "\(e)")
        // … and the sidelobe: the copy's alignment stands far above the work's next best one.
        let sidelobe = try #require(e.sidelobeHashes)
        #expect(sidelobe < e.alignedHashes / 2 && e.isolatedThreshold == 20 && e.isolationMargin == 15, "\(e)")
        let html = s.dir.path("excerpt.html")
        let show = try CLI.run(["show", path, "--html", html, "--db", s.db, "--file", s.dir.path("excerpt.ogg"),
                                "--pubkey", s.dir.path("keys/hashmark.pub.pem")])
        #expect(show.status == 0, "\(show.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        // Both recordings as spectrograms (the work's stored at `corpus add`), the segment outlined.
        #expect(page.contains("Aligned landmark hashes") && page.contains("Different hashes among them")
                && page.contains("Next best alignment of the work")
                && page.contains("Submitted recording (spectrogram)")
                && page.contains("Corpus work ufoai-music__David01 (spectrogram)"))
        #expect(page.components(separatedBy: "<rect class=\"region\"").count == 3)
        #expect(!page.contains("not drawn") && !page.contains("landmark density"))
        #expect(page.contains("15.0 s, 22050 Hz, 1 channel"))
        let text = try CLI.run(["show", path])
        #expect(text.stdout.contains("aligned landmark hashes") && text.stdout.contains("\(distinct) distinct (threshold")
                && text.stdout.contains("next best alignment \(sidelobe)")
                && text.stdout.contains("audio:     15.0 s, 22050 Hz, 1 channel"), "\(text.stdout)")
    }

    /// A work buried under a much louder recording keeps too few landmarks for the plain rule
    /// (fewer than 35 aligned hashes) but its alignment stands alone: a match by isolation, which
    /// a model without that route leaves clear.
    @Test func aWorkBuriedUnderLouderMusicIsFoundByIsolation() throws {
        let s = try Self.setup.get()
        let work = try Self.samples("lomiri-sounds__Entropy"), bed = try Self.samples(Self.bed)
        let n = 15 * Self.rate
        var mix = (0..<n).map { work[$0] + 3.4 * bed[$0] }
        let peak = max(1, mix.map(abs).max() ?? 1)
        mix = mix.map { $0 / peak }
        let wav = try AudioEncoder.encode(interleaved: mix, channels: 1, sampleRate: Self.rate, as: .wav)
        let (status, report, _) = try s.check("buried.wav", wav)
        #expect(status == 1 && report.verdict == .infringing)
        let m = try #require(report.decisiveMatches.first)
        #expect(m.work.id == "lomiri-sounds__Entropy")
        guard case .audio(let e) = m.evidence else { Issue.record("not audio evidence"); return }
        let distinct = try #require(e.distinctHashes), sidelobe = try #require(e.sidelobeHashes)
        #expect(e.alignedHashes < e.threshold && distinct >= 20 && distinct - sidelobe >= 15, "\(e)")
        // Without matches by isolation the same file is clear.
        var model = DecisionModel.defaults
        model.audio.minIsolatedHashes = 0
        let plain = s.dir.path("plain-model.json")
        try ModelFile.encoder.encode(model).write(to: URL(fileURLWithPath: plain))
        let r = try CLI.run(["check", "--json", "--db", s.db, "--model", plain, s.dir.path("buried.wav")])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }

    @Test func aSpedUpCopyIsFoundWithItsSpeed() throws {
        let s = try Self.setup.get()
        let work = try Self.samples("lomiri-sounds__Entropy")
        let wav = try AudioEncoder.encode(interleaved: Self.speedUp(work, by: 1.04), channels: 1, sampleRate: Self.rate, as: .wav)
        let (status, report, _) = try s.check("faster.wav", wav)
        #expect(status == 1)
        let m = try #require(report.decisiveMatches.first)
        #expect(m.work.id == "lomiri-sounds__Entropy")
        guard case .audio(let e) = m.evidence else { Issue.record("not audio evidence"); return }
        #expect(abs(e.speed - 1.04) <= 0.0051, "\(e.speed)")
        #expect(e.source.duration > 10, "\(e.source)")
    }

    @Test func unregisteredRecordingsAreClearAndCutFilesAreErrors() throws {
        let s = try Self.setup.get()
        let flac = Array(try Data(contentsOf: URL(fileURLWithPath: Self.path(Self.unrelated))))
        let (status, report, _) = try s.check("unrelated.flac", flac)
        #expect(status == 0 && report.verdict == .clear && report.decisiveMatches.isEmpty, "\(report.matches)")
        #expect(report.schema == VerdictReport.audioSchemaId)
        let (cutStatus, cut, _) = try s.check("cut.flac", Array(flac.prefix(flac.count / 3)))
        #expect(cutStatus == 2 && cut.verdict == .error && ["truncated", "corrupt-audio"].contains(cut.error?.code ?? ""),
                "\(String(describing: cut.error))")
    }

    @Test func hashPrintsTheLandmarksOfARecording() throws {
        let r = try CLI.run(["hash", "--json", Self.path(Self.unrelated)])
        #expect(r.status == 0, "\(r.stderr)")
        let line = try JSONValue.parse(Array(r.stdout.utf8.filter { $0 != 10 }))
        #expect(line["audio"]?["algorithm"] == .string("landmark-pairs-v1"))
        #expect(line["audio"]?["sampleRate"] == .int(22_050))
        guard case .int(let n)? = line["audio"]?["landmarks"] else { Issue.record("no landmark count: \(r.stdout)"); return }
        #expect(n > 500)
    }
}
