import HashmarkFingerprint
import HashmarkIndex
import HashmarkReport

extension Engine {
    /// Offset voting against every audio work at each speed of the model's sweep; each work keeps
    /// its best alignment, and the `maxCandidates` best become matches or near misses.
    func audioMatches(_ audio: AudioContent) -> [VerdictReport.Match] {
        let rule = model.model.audio
        let layout = audio.fingerprint.parameters.layout
        let found = (try? index.audioIndex.query(audio.fingerprint, limit: rule.maxCandidates, speeds: rule.speeds,
                                                 minVotes: rule.searchFloor, boundFloor: rule.nearMissFloor,
                                                 settled: max(rule.minAlignedHashes, rule.minDistinctHashes))) ?? []
        let spf = layout.secondsPerFrame
        // A landmark's anchor frame starts at its time; the frame itself lasts this much longer.
        let frameSeconds = Double(layout.frameSize) / Double(layout.sampleRate)
        return found.compactMap { m -> VerdictReport.Match? in
            guard m.recording < index.audioWorkIDs.count else { return nil }
            let submitted = AudioEvidence.Segment(start: Double(m.queryFrames.lowerBound) * spf,
                                                  end: Double(m.queryFrames.upperBound) * spf + frameSeconds)
            let source = AudioEvidence.Segment(start: Double(m.recordingFrames.lowerBound) * spf,
                                               end: Double(m.recordingFrames.upperBound) * spf + frameSeconds)
            let evidence = AudioEvidence(
                alignedHashes: m.votes, distinctHashes: m.distinctHashes, queryHashes: audio.fingerprint.landmarks.count,
                threshold: rule.minAlignedHashes, distinctThreshold: rule.minDistinctHashes > 0 ? rule.minDistinctHashes : nil,
                submitted: submitted, source: source, offsetSeconds: m.offsetSeconds, speed: m.speed,
                workSeconds: Double(index.audioIndex.recordingFrames[m.recording]) * spf,
                algorithm: AudioFingerprint.algorithm, sidelobeHashes: m.sidelobeVotes,
                isolatedThreshold: rule.minIsolatedHashes > 0 ? rule.minIsolatedHashes : nil,
                isolationMargin: rule.minIsolatedHashes > 0 ? rule.minIsolationMargin : nil)
            let reported = match(index.ref(index.audioWorkIDs[m.recording]), .audio(evidence))
            // Below the near-miss floor (searched for matches by isolation) only a match is reported.
            return m.votes >= rule.nearMissFloor || reported.isMatch == true ? reported : nil
        }
    }
}
