/// Sentence-aligned paraphrase evidence (`/3`): passages of the submission whose sentences a
/// sentence-embedding model finds to say what the work's sentences say, in other words. Offsets
/// and lengths are UTF-8 bytes of each document's extracted plain text, as in `TextEvidence`.
public struct ParaphraseEvidence: Sendable, Equatable {
    /// One submitted sentence aligned with one source sentence.
    public struct SentencePair: Sendable, Equatable {
        public var submitted: TextEvidence.Range
        public var source: TextEvidence.Range
        /// Cosine similarity of the two sentences' embeddings (−1…1).
        public var similarity: Double
        /// At or above the seed threshold (a pair below is a substituted sentence the alignment
        /// carried across).
        public var isSeed: Bool
        public init(submitted: TextEvidence.Range, source: TextEvidence.Range, similarity: Double, isSeed: Bool) {
            self.submitted = submitted; self.source = source; self.similarity = similarity; self.isSeed = isSeed
        }
    }

    /// One aligned run of sentences.
    public struct Passage: Sendable, Equatable {
        /// From the first aligned sentence's start to the last one's end, in each text.
        public var submitted: TextEvidence.Range
        public var source: TextEvidence.Range
        /// Aligned sentence pairs in submission order.
        public var pairs: [SentencePair]
        /// Adjacent sentences aligned crosswise (reordered).
        public var swaps: Int
        /// Words of the source passage.
        public var sourceWords: Int
        /// Short excerpts (at most ~300 bytes each) so the report stands alone.
        public var submittedExcerpt: String
        public var sourceExcerpt: String
        public init(submitted: TextEvidence.Range, source: TextEvidence.Range, pairs: [SentencePair], swaps: Int,
                    sourceWords: Int, submittedExcerpt: String, sourceExcerpt: String) {
            self.submitted = submitted; self.source = source; self.pairs = pairs; self.swaps = swaps
            self.sourceWords = sourceWords; self.submittedExcerpt = submittedExcerpt; self.sourceExcerpt = sourceExcerpt
        }
    }

    public var passages: [Passage]
    /// Seed pairs (similarity ≥ `seedThreshold`) over all passages.
    public var seedPairs: Int
    /// Mean and minimum similarity of the seed pairs.
    public var meanSimilarity: Double
    public var minSimilarity: Double
    /// Words of the source spanned by the passages, summed.
    public var sourceWords: Int
    /// The similarity at which a sentence pair becomes a seed.
    public var seedThreshold: Double
    /// The sentence-embedding model (e.g. `all-MiniLM-L6-v2`) and the SHA-256 of its weight file.
    public var embeddingModel: String
    public var embeddingModelSha256: String

    public init(passages: [Passage], seedPairs: Int, meanSimilarity: Double, minSimilarity: Double, sourceWords: Int,
                seedThreshold: Double, embeddingModel: String, embeddingModelSha256: String) {
        self.passages = passages; self.seedPairs = seedPairs; self.meanSimilarity = meanSimilarity
        self.minSimilarity = minSimilarity; self.sourceWords = sourceWords; self.seedThreshold = seedThreshold
        self.embeddingModel = embeddingModel; self.embeddingModelSha256 = embeddingModelSha256
    }
}
