import HashmarkFingerprint
import HashmarkIndex
import HashmarkMedia

extension Engine {
    /// Dihedral variant `v` of the submission's hash matched the work: the submission is the work
    /// with the inverse of variant `v` applied (pdqhash order: original, rotated 90° counter-
    /// clockwise, 180°, 90° clockwise, mirrored top–bottom, left–right, transposed, transversed).
    /// Named as the edit that turns the work into the submission, in the report's vocabulary
    /// (`rot90` = 90° clockwise).
    static let transformNames = ["identity", "rot90", "rot180", "rot270", "flipV", "flipH", "transpose", "transverse"]

    /// `decoded`: the pixels the fingerprint was made from (possibly a DCT-scaled JPEG, see
    /// `Fingerprinter.analyseKeepingPixels`), which the keypoint step reuses.
    func imageMatches(_ image: ImageFingerprint, decoded: DecodedImage) -> [WorkMatch] {
        let rule = model.model.image
        var best: [String: WorkMatch] = [:]
        func keep(_ m: WorkMatch) {
            if let old = best[m.work.id], old.score >= m.score { return }
            best[m.work.id] = m
        }
        // PDQ: the submission's 8 dihedral hashes against every corpus hash, inverted copies too.
        for (variant, hash) in image.dihedral.enumerated() {
            for hit in pdqSearch(hash, radius: rule.pdqCandidateRadius) {
                let workID = index.pdq.workIDs[Int(index.pdq.workIndex[hit.index])]
                let workQuality = Int(index.pdq.quality[hit.index])
                let qualityOK = image.pdq.quality >= rule.pdqMinQuality && workQuality >= rule.pdqMinQuality
                let isMatch = qualityOK && hit.distance <= rule.pdqMaxDistance
                let score = max(0, min(1, 1 - Double(hit.distance) / Double(2 * max(1, rule.pdqMaxDistance))))
                keep(WorkMatch(work: index.ref(workID), evidence: .pdq(PDQEvidence(
                    distance: hit.distance, quality: image.pdq.quality, workQuality: workQuality,
                    transform: Self.transformNames[variant], inverted: hit.inverted)),
                    score: qualityOK ? score : min(score, 0.49), isMatch: isMatch))
            }
        }
        // Local features decide what PDQ cannot: crops, pads, rotations, perspective.
        if !best.values.contains(where: \.isMatch), let local = localMatches(decoded) {
            for m in local { keep(m) }
        }
        return Array(best.values)
    }

    private func pdqSearch(_ hash: Hash256, radius: Int) -> [HammingMatch] {
        if let mih = index.pdqIndex { return mih.search(hash, radius: radius, invertAware: true) }
        return HammingScan.search(index.pdq.hashes, query: hash, radius: radius, invertAware: true)
    }

    /// Keypoint matching against the shortlisted works; `nil` when the corpus has no local features.
    private func localMatches(_ decoded: DecodedImage) -> [WorkMatch]? {
        guard let shortlist = index.localIndex, !index.localFeatures.isEmpty else { return nil }
        let rule = model.model.image
        let query = Fingerprinter.localFeatures(of: decoded, includeMirrored: true)
        let candidates = shortlist.candidates(for: query.descriptors + (query.mirroredDescriptors ?? []),
                                              minVotes: rule.localMinVotes)
        let matcher = LocalMatcher(parameters: LocalMatchParameters(minInliers: rule.localMinInliers))
        var out: [WorkMatch] = []
        for candidate in candidates.prefix(rule.localMaxCandidates) {
            let i = Int(candidate.work)
            // Near misses under half the threshold are noise (unrelated pairs reach ~6): not evidence.
            guard let e = try? matcher.match(query: query, candidate: index.localFeatures[i]),
                  2 * e.inliers >= rule.localMinInliers else { continue }
            let n = Double(e.inliers)
            out.append(WorkMatch(work: index.ref(index.localWorkIDs[i]), evidence: .localFeatures(LocalEvidence(
                inliers: e.inliers, tentativeMatches: e.tentativeMatches, scale: e.copyScale.map(Double.init),
                rotationDegrees: e.copyRotationDegrees.map(Double.init), mirrored: e.mirrored,
                workRegion: e.candidateRegion.map(Region.init), submissionRegion: e.queryRegion.map(Region.init))),
                score: n / (n + Double(max(1, rule.localMinInliers))), isMatch: e.inliers >= rule.localMinInliers))
        }
        return out
    }
}

extension Region {
    init(_ r: LocalRect) {
        self.init(x: Double(r.minX), y: Double(r.minY), width: Double(r.width), height: Double(r.height))
    }
}
