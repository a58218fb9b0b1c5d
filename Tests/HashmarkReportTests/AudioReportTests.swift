import Foundation
import HashmarkReport
import Testing

/// A report on a recording (`hashmark.verdict/5`): the subject says what was decoded, the match
/// where the work is heard in the submission and which part of the work.
func sampleAudioReport() -> VerdictReport {
    var report = sampleReport()
    report.subject.fileName = "new track (final mix).mp3"
    report.subject.mediaType = "audio/mpeg"
    report.subject.audio = AudioInfo(durationSeconds: 212.35, sampleRate: 44_100, channels: 2)
    report.matches = [
        VerdictReport.Match(
            work: .init(id: "rec-0042", title: "Battle Theme", owner: "Example Records", license: "CC BY-SA 3.0",
                        mediaType: "audio/flac"),
            score: 0.9, isMatch: true,
            evidence: .audio(AudioEvidence(alignedHashes: 270, queryHashes: 15_480, threshold: 30,
                                           submitted: .init(start: 61.25, end: 71.5), source: .init(start: 3.5, end: 14.25),
                                           offsetSeconds: -60.75, speed: 1.05, workSeconds: 15, algorithm: "landmark-pairs-v1"))),
        VerdictReport.Match(
            work: .init(id: "rec-0007", title: "Menu", owner: "Example Records", license: "CC0-1.0", mediaType: "audio/ogg"),
            score: 0.35, isMatch: false,
            evidence: .audio(AudioEvidence(alignedHashes: 16, queryHashes: 15_480, threshold: 30,
                                           submitted: .init(start: 0.5, end: 3), source: .init(start: 10, end: 12.5),
                                           offsetSeconds: 9.5, speed: 1, algorithm: "landmark-pairs-v1"))),
    ]
    report.score = 0.9
    report.schema = VerdictReport.audioSchemaId
    return report
}

@Suite("Audio evidence in reports")
struct AudioReportTests {
    @Test func goldenReportBytesAndSignature() throws {
        let text = String(decoding: try checkGoldenReport(sampleAudioReport(), file: "sample-report-5.json"), as: UTF8.self)
        #expect(text.contains(#""audio":{"channels":2,"durationSeconds":212.35,"sampleRate":44100}"#))
        #expect(text.contains(#""matcher":"audio-landmarks""#))
        #expect(text.contains(#""modality":"audio""#))
        #expect(text.contains(#""submitted":{"end":71.5,"start":61.25}"#))
    }

    @Test func audioIsRefusedBeforeSchema5() throws {
        let older = ["hashmark.verdict/4", "hashmark.verdict/3", "hashmark.verdict/2"]
        expectRefused(sampleAudioReport(), under: older, "a recording")
        var evidenceOnly = sampleAudioReport()
        evidenceOnly.subject.audio = nil
        expectRefused(evidenceOnly, under: older, "audio evidence alone")
    }

    /// `/5` exactly for a recording or audio evidence: the writer follows the content, not the label.
    @Test func theWriterSignsSchema5ExactlyForAudio() throws {
        var clear = sampleAudioReport()
        clear.matches = []
        clear.verdict = .clear
        clear.score = 0
        try expectWriterSigns([
            (sampleAudioReport(), "audio", VerdictReport.schemaId, VerdictReport.audioSchemaId),
            (clear, "clear-audio", clear.schema, VerdictReport.audioSchemaId),
            (sampleReport(), "image", VerdictReport.audioSchemaId, VerdictReport.schemaId),
        ]) { written throws in
            #expect(try VerdictReport(bytes: readBytes(written[0].reportPath)).subject.audio?.channels == 2)
        }
    }

    /// `distinctHashes` and `distinctThreshold` are optional members of `/5` audio evidence:
    /// written when known, read back as written, absent (nil) in reports from before them.
    @Test func distinctHashesRoundTripAndMayBeAbsent() throws {
        var report = sampleAudioReport()
        guard case .audio(var e) = report.matches[0].evidence else { Issue.record("not audio"); return }
        #expect(e.distinctHashes == nil && e.distinctThreshold == nil)
        #expect(!String(decoding: try report.canonicalBytes(), as: UTF8.self).contains("distinct"))
        e.distinctHashes = 181
        e.distinctThreshold = 28
        report.matches[0].evidence = .audio(e)
        let text = String(decoding: try report.canonicalBytes(), as: UTF8.self)
        #expect(text.contains(#""distinctHashes":181"#) && text.contains(#""distinctThreshold":28"#))
        let back = try VerdictReport(bytes: Array(text.utf8))
        #expect(back == report)
        let bad = Array(text.replacingOccurrences(of: #""distinctHashes":181"#, with: #""distinctHashes":-3"#).utf8)
        #expect(throws: ReportError.self) { try VerdictReport(bytes: bad) }
    }

    /// The sidelobe and the isolation rule's thresholds: optional, round-trip, refused negative.
    @Test func sidelobeAndIsolationRoundTripAndMayBeAbsent() throws {
        var report = sampleAudioReport()
        guard case .audio(var e) = report.matches[0].evidence else { Issue.record("not audio"); return }
        #expect(e.sidelobeHashes == nil && e.isolatedThreshold == nil && e.isolationMargin == nil)
        #expect(!String(decoding: try report.canonicalBytes(), as: UTF8.self).contains("sidelobe"))
        e.sidelobeHashes = 7
        e.isolatedThreshold = 20
        e.isolationMargin = 15
        report.matches[0].evidence = .audio(e)
        let text = String(decoding: try report.canonicalBytes(), as: UTF8.self)
        #expect(text.contains(#""sidelobeHashes":7"#) && text.contains(#""isolatedThreshold":20"#)
                && text.contains(#""isolationMargin":15"#))
        #expect(try VerdictReport(bytes: Array(text.utf8)) == report)
        let bad = Array(text.replacingOccurrences(of: #""sidelobeHashes":7"#, with: #""sidelobeHashes":-1"#).utf8)
        #expect(throws: ReportError.self) { try VerdictReport(bytes: bad) }
    }

    @Test func malformedAudioMembersAreRefused() throws {
        let text = String(decoding: try sampleAudioReport().canonicalBytes(), as: UTF8.self)
        for (from, to) in [(#""matcher":"audio-landmarks""#, #""matcher":"pdq""#),
                           (#""submitted":{"end":71.5,"start":61.25}"#, #""submitted":{"end":60,"start":61.25}"#),
                           (#""speed":1.05"#, #""speed":3"#),
                           (#""channels":2"#, #""channels":0"#),
                           (#","sampleRate":44100"#, ""),
                           (#""alignedHashes":270"#, #""alignedHashes":-1"#)] {
            #expect(text.contains(from), "\(from)")
            let bad = Array(text.replacingOccurrences(of: from, with: to).utf8)
            #expect(throws: ReportError.self, "\(to)") { try VerdictReport(bytes: bad) }
        }
    }
}
