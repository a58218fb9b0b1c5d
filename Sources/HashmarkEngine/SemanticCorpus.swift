import HashmarkFingerprint
import HashmarkIndex
import HashmarkNeural
import Synchronization

/// The corpus side of the paraphrase matcher, built from a `CorpusIndex` at engine start: every
/// text work split into sentences, each run of `windowSentences` consecutive sentences indexed by
/// its static vector (`StaticTokenTable`). A corpus sentence's transformer embedding is read from
/// what registration stored (`StoredSentenceEmbeddings`, when the work was registered with this
/// model), else computed on first use and cached (~3.5 ms a sentence with VNNI, ~20 without).
public final class SemanticCorpus: Sendable {
    struct WorkText: Sendable {
        let id: String
        let utf8: [UInt8]
        let sentences: [SentenceSpan]
        /// Each sentence's static vector, normalised, row-major [sentences × dimension].
        let unitVectors: [Float]
        let sentenceWords: [Int]
        /// What registration stored for the work, and each sentence's row there (-1: none).
        let stored: StoredSentenceEmbeddings?
        let storedRows: [Int32]
    }

    struct Key: Hashable { let work: Int32, sentence: Int32 }

    public let model: SemanticModel
    let windowSentences: Int
    let works: [WorkText]
    let windows: VectorScan
    /// For each window row: its work and first sentence.
    let windowStart: [(work: Int32, sentence: Int32)]
    private let cache = Mutex<[Key: [Float]]>([:])
    private let computed = Atomic<Int>(0)
    /// Cached embeddings kept at most (then the cache starts again): ~1.5 KB each.
    static let cacheLimit = 200_000

    /// Sentences and windows of every text work of `index`, in a stable (sorted id) order, and
    /// the sentence embeddings `model` stored for them.
    init(index: CorpusIndex, model: SemanticModel, windowSentences: Int) {
        self.model = model
        self.windowSentences = max(1, windowSentences)
        var works: [WorkText] = [], scan = VectorScan(dimension: model.table.dimension, quantised: true)
        var starts: [(Int32, Int32)] = []
        let storedByWork = index.sentenceEmbeddings[model.embeddingsAlgorithm.id] ?? [:]
        for id in index.texts.keys.sorted() {
            guard let text = index.texts[id]?.text else { continue }
            let utf8 = Array(text.utf8), spans = SentenceSplitter.split(text)
            let stored = storedByWork[id].flatMap { $0.dimension == model.transformer.dimension ? $0 : nil }
            var storedRows = [Int32](repeating: -1, count: spans.count)
            if let stored {
                let rowOf = Dictionary(stored.keys.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { a, _ in a })
                for (i, span) in spans.enumerated() { storedRows[i] = rowOf[StoredSentenceEmbeddings.key(of: utf8[span.range])] ?? -1 }
            }
            let vectors = spans.map { model.staticVector(Self.substring(utf8, $0)) }
            let w = Int32(works.count)
            for (first, v) in Self.windowVectors(vectors, size: self.windowSentences) {
                scan.append(v)
                starts.append((w, Int32(first)))
            }
            works.append(WorkText(id: id, utf8: utf8, sentences: spans, unitVectors: vectors.flatMap(Self.unit),
                                  sentenceWords: spans.map { ParaphraseQuery.words(utf8[$0.range]) },
                                  stored: stored, storedRows: storedRows))
        }
        self.works = works
        windows = scan
        windowStart = starts.map { (work: $0.0, sentence: $0.1) }
    }

    /// Unit vectors of each run of `size` consecutive sentence vectors (one run of all of them
    /// when there are fewer), with the index of its first sentence.
    static func windowVectors(_ vectors: [[Float]], size: Int) -> [(Int, [Float])] {
        guard let d = vectors.first?.count else { return [] }
        let n = vectors.count, w = min(size, n)
        return (0...(n - w)).map { first in
            var sum = [Float](repeating: 0, count: d)
            for v in vectors[first..<first + w] { for i in 0..<d { sum[i] += v[i] } }
            return (first, unit(sum))
        }
    }

    static func unit(_ v: [Float]) -> [Float] {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? v.map { $0 / norm } : v
    }

    static func substring(_ utf8: [UInt8], _ span: SentenceSpan) -> Substring {
        Substring(String(decoding: utf8[span.range], as: UTF8.self))
    }

    /// The transformer embedding of a corpus sentence: stored, cached or computed now.
    func embedding(work: Int, sentence: Int) -> [Float]? {
        embeddings(work: work, sentences: [sentence])[0]
    }

    /// The transformer embeddings of several sentences of one work: stored, cached, or (the
    /// others) computed now in one batch and cached.
    func embeddings(work: Int, sentences: [Int]) -> [[Float]?] {
        let w = works[work]
        var out = [[Float]?](repeating: nil, count: sentences.count), missing: [Int] = []
        cache.withLock { cache in
            for (i, s) in sentences.enumerated() {
                if let stored = w.stored, case let row = Int(w.storedRows[s]), row >= 0 {
                    out[i] = stored.vector(row)
                } else if let hit = cache[Key(work: Int32(work), sentence: Int32(s))] {
                    out[i] = hit
                } else {
                    missing.append(i)
                }
            }
        }
        guard !missing.isEmpty else { return out }
        let vectors = model.embeddings(missing.map { Self.substring(w.utf8, w.sentences[sentences[$0]]) })
        computed.add(missing.count, ordering: .relaxed)
        cache.withLock { cache in
            for (i, e) in zip(missing, vectors) {
                out[i] = e
                guard let e else { continue }
                if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
                cache[Key(work: Int32(work), sentence: Int32(sentences[i]))] = e
            }
        }
        return out
    }

    /// Sentences indexed over all works (for logs and metrics).
    public var sentenceCount: Int { works.reduce(0) { $0 + $1.sentences.count } }

    /// Sentences whose embedding registration stored for this model (read, never computed).
    public var storedSentenceCount: Int { works.reduce(0) { $0 + $1.storedRows.count { $0 >= 0 } } }

    /// Corpus-sentence embeddings computed so far (not stored, not yet cached).
    public var computedEmbeddings: Int { computed.load(ordering: .relaxed) }
}
