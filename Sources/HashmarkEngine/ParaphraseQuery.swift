import HashmarkFingerprint
import HashmarkReport

/// One submission's side of the paraphrase matcher: its sentences, their static vectors and the
/// transformer embeddings computed so far (each sentence at most once). Not shared across threads.
final class ParaphraseQuery {
    /// A place to verify: the submission's window `query` against work `work`'s window `source`.
    struct Region: Equatable {
        var work: Int
        var query: Range<Int>
        var source: Range<Int>
        var score: Float
    }

    /// Window lookups per submission at most (a 1,000-word text has about 50).
    static let maxWindows = 1_000

    let semantic: SemanticCorpus
    let text: String
    let utf8: [UInt8]
    let sentences: [SentenceSpan]
    /// Each sentence's static vector (unnormalised sums) and word count.
    let staticVectors: [[Float]]
    let words: [Int]
    private var embeddings: [Int: [Float]] = [:]

    init(text: String, semantic: SemanticCorpus) {
        self.semantic = semantic
        self.text = text
        utf8 = Array(text.utf8)
        sentences = SentenceSplitter.split(text)
        staticVectors = sentences.map { [utf8] in semantic.model.staticVector(SemanticCorpus.substring(utf8, $0)) }
        words = sentences.map { [utf8] in Self.words(utf8[$0.range]) }
    }

    /// The best `maxRegions` regions by static cosine. Each submission window keeps its
    /// `candidatesPerWindow` nearest corpus windows (works in `skipping` passed over); candidates
    /// of one work on one diagonal (the source position minus the submission position agrees
    /// within `diagonalSlack` sentences, and they lie within `contextSentences` of each other) are
    /// chained into one region whose score is the sum of theirs. A paraphrased passage lines its
    /// windows up along a diagonal; text that merely reads like a work scatters its best windows
    /// over it, so this ranks the copy above a closer-sounding single window.
    func regions(rule: ParaphraseRule, skipping: Set<String> = []) -> [Region] {
        let size = semantic.windowSentences
        var candidates: [Region] = []
        // A long submission is searched with every k-th window, so the scan stays within
        // `maxWindows` lookups (one batched pass over the corpus windows) whatever its length.
        let windows = SemanticCorpus.windowVectors(staticVectors, size: size)
        let step = max(1, (windows.count + Self.maxWindows - 1) / Self.maxWindows)
        let searched = stride(from: 0, to: windows.count, by: step).map { windows[$0] }
        let hits = semantic.windows.nearest(batch: searched.map(\.1), k: rule.candidatesPerWindow)
        for ((first, _), windowHits) in zip(searched, hits) {
            for hit in windowHits {
                let start = semantic.windowStart[hit.row]
                if !skipping.isEmpty, skipping.contains(semantic.works[Int(start.work)].id) { continue }
                let workCount = semantic.works[Int(start.work)].sentences.count
                let s = Int(start.sentence)
                candidates.append(Region(work: Int(start.work), query: first..<min(sentences.count, first + size),
                                         source: s..<min(workCount, s + size), score: hit.score))
            }
        }
        candidates.sort { $0.score > $1.score }
        var chains: [(region: Region, diagonal: Int)] = []
        let c = rule.contextSentences, slack = rule.diagonalSlack
        for r in candidates {
            let diagonal = r.source.lowerBound - r.query.lowerBound
            if let i = chains.firstIndex(where: { chain in
                chain.region.work == r.work && abs(chain.diagonal - diagonal) <= slack
                    && r.query.lowerBound <= chain.region.query.upperBound + c
                    && r.query.upperBound + c >= chain.region.query.lowerBound
            }) {
                let old = chains[i].region
                chains[i].region = Region(work: r.work,
                                          query: min(old.query.lowerBound, r.query.lowerBound)..<max(old.query.upperBound, r.query.upperBound),
                                          source: min(old.source.lowerBound, r.source.lowerBound)..<max(old.source.upperBound, r.source.upperBound),
                                          score: old.score + r.score)
            } else {
                chains.append((r, diagonal))
            }
        }
        return Array(chains.map(\.region).filter { $0.score >= Float(rule.minRegionScore) }
            .sorted { $0.score > $1.score }.prefix(rule.maxRegions))
    }

    /// The oracle's regions: every work not in `skipping`, whole, against the whole submission.
    func everyWork(skipping: Set<String>) -> [Region] {
        semantic.works.indices.filter { !skipping.contains(semantic.works[$0].id) }.map {
            Region(work: $0, query: 0..<sentences.count, source: 0..<semantic.works[$0].sentences.count, score: 0)
        }
    }

    /// Whether one of the region's `gatePairs` sentence pairs most alike by static vector reaches
    /// `gateSimilarity` by transformer; the others are not looked at when the first is below
    /// `gateFloor` (one query embedding, not up to four, for most regions of unrelated text), and
    /// none is embedded when the first is below `gateStaticFloor` by static vector.
    func passesGate(_ region: Region, rule: ParaphraseRule) -> Bool {
        let pairs = gatePairs(region, rule: rule)
        guard let first = pairs.first, first.score >= Float(rule.gateStaticFloor) else { return false }
        for (rank, p) in pairs.enumerated() {
            guard let a = embedding(p.q), let b = semantic.embedding(work: region.work, sentence: p.s) else { continue }
            let similarity = Self.dot(a, b)
            if similarity >= Float(rule.gateSimilarity) { return true }
            // The pair most alike by static vector is plainly unrelated: so is the region.
            if rank == 0, similarity < Float(rule.gateFloor) { return false }
        }
        return false
    }

    /// The region's `gatePairs` sentence pairs most alike by static vector, most alike first
    /// (sentences of fewer than `minSentenceWords` words left out).
    func gatePairs(_ region: Region, rule: ParaphraseRule) -> ArraySlice<(q: Int, s: Int, score: Float)> {
        let work = semantic.works[region.work], d = semantic.model.table.dimension, minWords = rule.minSentenceWords
        var pairs: [(q: Int, s: Int, score: Float)] = []
        for q in region.query where words[q] >= minWords {
            let a = SemanticCorpus.unit(staticVectors[q])
            for s in region.source where work.sentenceWords[s] >= minWords {
                pairs.append((q, s, Self.dot(a, Array(work.unitVectors[(s * d)..<((s + 1) * d)]))))
            }
        }
        pairs.sort { $0.score > $1.score }
        return pairs.prefix(max(1, rule.gatePairs))
    }

    /// Embeds, as one batch, the submission sentence of each region's first gate pair (what
    /// `passesGate` embeds first for every region above the static floor, one region at a time).
    func prefetchGate(_ regions: [Region], rule: ParaphraseRule) {
        prefetch(regions.compactMap { region in
            gatePairs(region, rule: rule).first.flatMap { $0.score >= Float(rule.gateStaticFloor) ? $0.q : nil }
        })
    }

    /// Verifies a region: nil unless one of its `gatePairs` sentence pairs most similar by
    /// static vector reaches `gateSimilarity` by transformer (one or two embeddings a region for
    /// most unrelated texts); then, if a first alignment with `narrowContext` sentences of context
    /// finds anything, the passages `SentenceAligner` finds with `contextSentences` more on every
    /// side. `exhaustive` (the oracle) skips the gate, the first look and the context.
    func verify(_ region: Region, rule: ParaphraseRule, exhaustive: Bool = false) -> [AlignedRegion]? {
        guard exhaustive || passesGate(region, rule: rule) else { return nil }
        if exhaustive { return align(region, rule: rule, context: 0) }
        // A first look with little context: most regions of unrelated text that pass the gate
        // align nothing there, and are dropped at a third of the embeddings. One that aligns
        // anything is aligned again with the full context, so what is reported is unchanged.
        let narrow = min(Self.narrowContext, rule.contextSentences)
        if narrow < rule.contextSentences, align(region, rule: rule, context: narrow)?.isEmpty ?? true { return [] }
        return align(region, rule: rule, context: rule.contextSentences)
    }

    /// Sentences of context in `verify`'s first look.
    static let narrowContext = 4

    /// The passages `SentenceAligner` finds in `region` widened by `context` sentences on every side.
    private func align(_ region: Region, rule: ParaphraseRule, context c: Int) -> [AlignedRegion]? {
        let work = semantic.works[region.work], minWords = rule.minSentenceWords
        let workCount = semantic.works[region.work].sentences.count
        // Short sentences are left out of the matrix (skipping them costs nothing).
        let qs = (max(0, region.query.lowerBound - c)..<min(sentences.count, region.query.upperBound + c))
            .filter { words[$0] >= minWords }
        let ss = (max(0, region.source.lowerBound - c)..<min(workCount, region.source.upperBound + c))
            .filter { work.sentenceWords[$0] >= minWords }
        var matrix = [Float](repeating: 0, count: qs.count * ss.count)
        let workVectors = semantic.embeddings(work: region.work, sentences: ss)
        prefetch(qs)
        for (i, q) in qs.enumerated() {
            guard let a = embedding(q) else { continue }
            for (j, b) in workVectors.enumerated() { if let b { matrix[i * ss.count + j] = Self.dot(a, b) } }
        }
        let distinct = SentenceMargin.capped(matrix, rows: qs.count, columns: ss.count, neighbours: rule.marginNeighbours,
                                             minMargin: Float(rule.minMargin), seed: rule.alignment.seedThreshold)
        guard let passages = try? SentenceAligner.align(similarity: distinct, queryCount: qs.count, workCount: ss.count,
                                                          parameters: rule.alignment) else { return nil }
        return passages.map { p in
            var mapped = p
            // Pairs carry their true similarity; `isSeed` in the evidence comes from the aligner's view.
            mapped.pairs = p.pairs.map {
                SentencePair(query: qs[$0.query], work: ss[$0.work],
                             similarity: $0.similarity >= rule.alignment.seedThreshold ? matrix[$0.query * ss.count + $0.work]
                                 : min($0.similarity, matrix[$0.query * ss.count + $0.work]))
            }
            mapped.queryRange = qs[p.queryRange.lowerBound]..<(qs[p.queryRange.upperBound - 1] + 1)
            let w = mapped.pairs.map(\.work)
            mapped.workRange = (w.min() ?? 0)..<((w.max() ?? 0) + 1)
            return AlignedRegion(work: region.work, passage: mapped)
        }
    }

    /// The report's evidence for one work's passages; nil when there are none.
    func evidence(work: Int, passages: [AlignedRegion], rule: ParaphraseRule) -> ParaphraseEvidence? {
        guard !passages.isEmpty else { return nil }
        let w = semantic.works[work], seed = rule.alignment.seedThreshold
        func range(_ s: SentenceSpan) -> TextEvidence.Range { .init(offset: s.offset, length: s.length) }
        var seeds: [Float] = [], totalWords = 0, spanned = 0
        let minWords = rule.minSentenceWords
        let out = passages.compactMap { r -> ParaphraseEvidence.Passage? in
            let p = r.passage
            guard let spans = p.byteSpans(query: sentences, work: w.sentences) else { return nil }
            let pairs = p.pairs.map { pair in
                ParaphraseEvidence.SentencePair(submitted: range(sentences[pair.query]), source: range(w.sentences[pair.work]),
                                                similarity: Double(pair.similarity), isSeed: pair.similarity >= seed)
            }
            seeds += p.pairs.map(\.similarity).filter { $0 >= seed }
            spanned += max(p.queryRange.filter { self.words[$0] >= minWords }.count,
                           p.workRange.filter { w.sentenceWords[$0] >= minWords }.count)
            let words = Self.words(w.utf8[spans.work])
            totalWords += words
            return ParaphraseEvidence.Passage(
                submitted: .init(offset: spans.query.lowerBound, length: spans.query.count),
                source: .init(offset: spans.work.lowerBound, length: spans.work.count), pairs: pairs,
                swaps: p.swapCount, sourceWords: words,
                submittedExcerpt: Excerpt.cut(text, offset: spans.query.lowerBound, length: spans.query.count),
                sourceExcerpt: Excerpt.cut(String(decoding: w.utf8, as: UTF8.self), offset: spans.work.lowerBound,
                                           length: spans.work.count))
        }
        guard !out.isEmpty else { return nil }
        let mean = seeds.isEmpty ? 0 : Double(seeds.reduce(0, +)) / Double(seeds.count)
        return ParaphraseEvidence(passages: out, seedPairs: seeds.count, meanSimilarity: mean,
                                  minSimilarity: Double(seeds.min() ?? 0), sourceWords: totalWords, spannedSentences: spanned,
                                  seedThreshold: (Double(seed) * 1e4).rounded() / 1e4, embeddingModel: semantic.model.modelID,
                                  embeddingModelSha256: semantic.model.weightsSha256)
    }

    /// The transformer embedding of submission sentence `i`, computed once.
    func embedding(_ i: Int) -> [Float]? {
        prefetch([i])
        return embeddings[i]
    }

    /// Computes the embeddings of those of `indices` not computed yet, in one batch.
    private func prefetch(_ indices: [Int]) {
        let missing = Array(Set(indices.filter { embeddings[$0] == nil })).sorted()
        guard !missing.isEmpty else { return }
        let vectors = semantic.model.embeddings(missing.map { SemanticCorpus.substring(utf8, sentences[$0]) })
        for (i, e) in zip(missing, vectors) { embeddings[i] = e }
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Float {
        var s: Float = 0
        for i in 0..<min(a.count, b.count) { s += a[i] * b[i] }
        return s
    }

    /// Whitespace-separated words of some UTF-8 bytes.
    static func words(_ bytes: ArraySlice<UInt8>) -> Int {
        var n = 0, inWord = false
        for b in bytes {
            let space = b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D
            if !space, !inWord { n += 1 }
            inWord = !space
        }
        return n
    }
}
