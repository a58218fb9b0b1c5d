import HashmarkFingerprint
import HashmarkReport

extension Engine {
    /// Works whose passages the submission paraphrases, sentence by sentence; works in `skipping`
    /// (already matched verbatim by the passage aligner) are not searched again.
    func paraphraseMatches(_ text: TextContent, skipping: Set<String>) -> [VerdictReport.Match] {
        guard let semantic, model.model.paraphrase.enabled else { return [] }
        let rule = model.model.paraphrase
        let query = ParaphraseQuery(text: text.text, semantic: semantic)
        guard !query.sentences.isEmpty else { return [] }
        var byWork: [Int: [AlignedRegion]] = [:]
        let regions = exhaustiveParaphraseSearch ? query.everyWork(skipping: skipping) : query.regions(rule: rule, skipping: skipping)
        // Every region's first gate pair is embedded anyway: as one batch, up front.
        if !exhaustiveParaphraseSearch { query.prefetchGate(regions, rule: rule) }
        for region in regions {
            if let aligned = query.verify(region, rule: rule, exhaustive: exhaustiveParaphraseSearch) {
                byWork[region.work, default: []].append(contentsOf: aligned)
            }
        }
        return byWork.keys.sorted().compactMap { w -> VerdictReport.Match? in
            let evidence = query.evidence(work: w, passages: AlignedRegion.disjoint(byWork[w] ?? []), rule: rule)
            guard let evidence else { return nil }
            return match(index.ref(semantic.works[w].id), .paraphrase(evidence))
        }
    }
}

/// One verified passage: sentence indices into the submission's and the work's sentence lists.
struct AlignedRegion {
    var work: Int
    var passage: SentencePassage

    /// Passages that overlap none kept before them, best score first.
    static func disjoint(_ all: [AlignedRegion]) -> [AlignedRegion] {
        var kept: [AlignedRegion] = []
        for r in all.sorted(by: { $0.passage.score > $1.passage.score }) where !kept.contains(where: {
            $0.passage.queryRange.overlaps(r.passage.queryRange) || $0.passage.workRange.overlaps(r.passage.workRange)
        }) { kept.append(r) }
        return kept.sorted { $0.passage.queryRange.lowerBound < $1.passage.queryRange.lowerBound }
    }
}
