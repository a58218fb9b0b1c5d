import HashmarkFingerprint
import HashmarkIndex
import HashmarkMedia
import HashmarkReport
import HashmarkStore

extension Engine {
    /// `decoded`: the pixels the fingerprint was made from (possibly a DCT-scaled JPEG, see
    /// `Fingerprinter.analyseKeepingPixels`), which the keypoint step reuses.
    func imageMatches(_ image: ImageFingerprint, decoded: DecodedImage) -> [VerdictReport.Match] {
        let rule = model.model.image
        var best: [String: VerdictReport.Match] = [:]
        func keep(_ m: VerdictReport.Match) {
            if let old = best[m.work.id], old.score >= m.score { return }
            best[m.work.id] = m
        }
        // PDQ: the submission's 8 dihedral hashes against every corpus hash, inverted copies too.
        for (variant, hash) in image.dihedral.enumerated() {
            for hit in pdqSearch(hash, radius: rule.pdqCandidateRadius) {
                let workID = index.pdq.workIDs[Int(index.pdq.workIndex[hit.index])]
                let evidence = ImageEvidence(
                    pdqDistance: hit.distance, quality: image.pdq.quality, workQuality: Int(index.pdq.quality[hit.index]),
                    threshold: rule.pdqMaxDistance, transform: .init(pdqVariant: variant), inverted: hit.inverted,
                    workBackground: WorkVariant.background(Int(index.pdq.variant[hit.index])))
                keep(match(index.ref(workID), .image(evidence)))
            }
        }
        // Local features decide what PDQ cannot: crops, pads, rotations, perspective.
        if !best.values.contains(where: { $0.isMatch == true }), let local = localMatches(decoded) {
            for m in local { keep(m) }
        }
        // The learned descriptor decides what neither can: re-rendered, restyled, redrawn copies.
        if !best.values.contains(where: { $0.isMatch == true }) {
            for m in descriptorMatches(decoded.image) { keep(m) }
        }
        return Array(best.values)
    }

    private func pdqSearch(_ hash: Hash256, radius: Int) -> [HammingMatch] {
        if let mih = index.pdqIndex { return mih.search(hash, radius: radius, invertAware: true) }
        return HammingScan.search(index.pdq.hashes, query: hash, radius: radius, invertAware: true)
    }

    /// Keypoint matching against the shortlisted works; `nil` when the corpus has no local features.
    private func localMatches(_ decoded: DecodedImage) -> [VerdictReport.Match]? {
        guard let shortlist = index.localIndex, !index.localFeatures.isEmpty else { return nil }
        let rule = model.model.image
        let query = Fingerprinter.localFeatures(of: decoded, includeMirrored: true)
        let candidates = shortlist.candidates(for: query.descriptors + (query.mirroredDescriptors ?? []),
                                              minVotes: rule.localMinVotes)
        let matcher = LocalMatcher(parameters: LocalMatchParameters(minInliers: rule.localMinInliers))
        // Where registered ignore-elements show in the submission: found once, and only when a
        // candidate is worth deciding.
        var shownElements: [(id: String, region: LocalRect)]? = nil
        var out: [VerdictReport.Match] = []
        for candidate in candidates.prefix(rule.localMaxCandidates) {
            let i = Int(candidate.work)
            // Near misses under half the threshold are noise (unrelated pairs reach ~6): not evidence.
            guard let e = try? matcher.match(query: query, candidate: index.localFeatures[i]),
                  2 * e.inliers >= rule.localMinInliers else { continue }
            var region: ImageEvidence.RegionPair? = nil
            if let q = e.queryRegion, let w = e.candidateRegion { region = .init(submitted: .init(q), source: .init(w)) }
            if shownElements == nil { shownElements = elementsShown(in: query, matcher: matcher) }
            let split = Self.splitOnElements(e.inlierPairs, query: query, elements: shownElements ?? [])
            // Four decimals: what the report states is what the decision read.
            let area = (index.localFeatures[i].keypointExtentShare(of: split.counted.map { Int($0.y) }) * 1e4).rounded() / 1e4
            out.append(match(index.ref(index.localWorkIDs[i]), .localFeatures(LocalFeatureEvidence(
                inliers: e.inliers, tentativeMatches: e.tentativeMatches, threshold: rule.localMinInliers,
                scale: e.copyScale.map(Double.init), rotationDegrees: e.copyRotationDegrees.map(Double.init),
                mirrored: e.mirrored, region: region, workBackground: WorkVariant.background(index.localVariants[i]),
                matchedWorkArea: area, minMatchedWorkArea: rule.localMinMatchedWorkArea,
                elementInliers: split.ignored.isEmpty ? nil : e.inliers - split.counted.count,
                ignoredElements: split.ignored.isEmpty ? nil : split.ignored))))
        }
        return out
    }

    /// The registered ignore-elements that the submission shows (a keypoint match of its own,
    /// mirrored too), each with the region of the submission it covers.
    private func elementsShown(in query: LocalFeatures, matcher: LocalMatcher) -> [(id: String, region: LocalRect)] {
        index.ignoreElements.compactMap { element in
            guard let e = try? matcher.match(query: query, candidate: element.features), e.isMatch,
                  let region = e.queryRegion else { return nil }
            return (element.id, region)
        }
    }

    /// Inlier pairs (query keypoint, work keypoint) whose submission keypoint lies on none of
    /// `elements`, and the sorted ids of the elements that held the others.
    static func splitOnElements(_ pairs: [SIMD2<Int32>], query: LocalFeatures,
                                elements: [(id: String, region: LocalRect)]) -> (counted: [SIMD2<Int32>], ignored: [String]) {
        guard !elements.isEmpty else { return (pairs, []) }
        var counted: [SIMD2<Int32>] = []
        var ignored: Set<String> = []
        for pair in pairs {
            let k = query.keypoints[Int(pair.x)]
            let on = elements.filter { $0.region.contains(x: k.x, y: k.y) }
            if on.isEmpty { counted.append(pair) } else { ignored.formUnion(on.map(\.id)) }
        }
        return (counted, ignored.sorted())
    }

    /// The closest works by descriptor cosine whose similarity (cosine less the submission's
    /// background cosine) reaches the near-miss floor; empty without a descriptor model, with the
    /// rule disabled, or when no work has this model's vectors.
    func descriptorMatches(_ image: RGBImage) -> [VerdictReport.Match] {
        let rule = model.model.descriptor
        guard rule.enabled, let descriptor, let table = index.descriptors[descriptor.algorithm.id],
              let query = descriptor.embed(image), query.count == table.dimension else { return [] }
        let background = descriptor.backgroundCosine(query).map(Self.rounded)
        // A transparent work has a row per background (white, black, grey): its best one stands for it.
        var seen: Set<String> = []
        let nearest = table.nearest(query, k: 2 * (rule.maxCandidates + 1)).filter { seen.insert(table.workIDs[$0.row]).inserted }
        return nearest.prefix(rule.maxCandidates).enumerated().compactMap { rank, hit in
            let cosine = Self.rounded(Double(hit.score))
            guard cosine - (background ?? 0) >= min(rule.nearMissSimilarity, rule.minSimilarity) else { return nil }
            let others = nearest.prefix(rule.maxCandidates + 1).enumerated().filter { $0.offset != rank }.map { Double($0.element.score) }
            return match(index.ref(table.workIDs[hit.row]), .descriptor(DescriptorEvidence(
                cosine: cosine, backgroundCosine: background, threshold: rule.minSimilarity,
                nextBestCosine: others.max().map(Self.rounded), model: descriptor.modelID, modelSha256: descriptor.weightsSha256,
                workBackground: WorkVariant.background(table.variants[hit.row]))))
        }
    }

    /// Six decimals: what a report states, and what the decision reads.
    static func rounded(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }

    /// A match with the model's decision on its evidence.
    func match(_ work: VerdictReport.Work, _ evidence: VerdictReport.Evidence) -> VerdictReport.Match {
        let d = model.model.decide(.init(evidence))
        return .init(work: work, score: d.score, isMatch: d.isMatch, evidence: evidence)
    }
}

extension ImageEvidence.Rect {
    /// Whole pixels (rounded) of a keypoint region; at least 1 × 1.
    init(_ r: LocalRect) {
        self.init(x: max(0, Int(Double(r.minX).rounded())), y: max(0, Int(Double(r.minY).rounded())),
                  width: max(1, Int(Double(r.width).rounded())), height: max(1, Int(Double(r.height).rounded())))
    }
}
