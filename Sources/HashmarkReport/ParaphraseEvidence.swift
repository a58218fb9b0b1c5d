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
    /// Sentences the passages span, summed over passages, on the side (submission or source)
    /// with more; sentences too short to be compared are not counted. `seedPairs /
    /// spannedSentences` is near 1 for a sentence-by-sentence rewrite.
    public var spannedSentences: Int
    /// The similarity at which a sentence pair becomes a seed.
    public var seedThreshold: Double
    /// The sentence-embedding model (e.g. `all-MiniLM-L6-v2`) and the SHA-256 of its weight file.
    public var embeddingModel: String
    public var embeddingModelSha256: String

    public init(passages: [Passage], seedPairs: Int, meanSimilarity: Double, minSimilarity: Double, sourceWords: Int,
                spannedSentences: Int, seedThreshold: Double, embeddingModel: String, embeddingModelSha256: String) {
        self.passages = passages; self.seedPairs = seedPairs; self.meanSimilarity = meanSimilarity
        self.minSimilarity = minSimilarity; self.sourceWords = sourceWords; self.spannedSentences = spannedSentences
        self.seedThreshold = seedThreshold
        self.embeddingModel = embeddingModel; self.embeddingModelSha256 = embeddingModelSha256
    }
}

// MARK: - JSON (`sentence-align` evidence, schema `/3` only)

extension ParaphraseEvidence {
    func jsonValue() -> JSONValue {
        .object([
            "passages": .array(passages.map { $0.jsonValue() }),
            "seedPairs": .int(Int64(seedPairs)), "meanSimilarity": .double(meanSimilarity),
            "minSimilarity": .double(minSimilarity), "sourceWords": .int(Int64(sourceWords)),
            "spannedSentences": .int(Int64(spannedSentences)), "seedThreshold": .double(seedThreshold),
            "embeddingModel": .string(embeddingModel), "embeddingModelSha256": .string(embeddingModelSha256),
        ])
    }

    init(_ ev: Obj) throws {
        guard ev.version >= 3 else { throw ReportError(.schema, "\(ev.path): sentence-align evidence needs hashmark.verdict/3") }
        try ev.keys(required: ["passages", "seedPairs", "meanSimilarity", "minSimilarity", "sourceWords", "spannedSentences",
                               "seedThreshold", "embeddingModel", "embeddingModelSha256"])
        let passages = try ev.array("passages").enumerated().map { index, item in
            try Passage(Obj(item, "\(ev.path).passages[\(index)]", version: ev.version))
        }
        guard !passages.isEmpty else { throw ev.fail("passages", "must not be empty") }
        self.init(passages: passages, seedPairs: try ev.int("seedPairs", 0...Int.max),
                  meanSimilarity: try ev.number("meanSimilarity", -1...1), minSimilarity: try ev.number("minSimilarity", -1...1),
                  sourceWords: try ev.int("sourceWords", 0...Int.max), spannedSentences: try ev.int("spannedSentences", 0...Int.max),
                  seedThreshold: try ev.number("seedThreshold", -1...1),
                  embeddingModel: try ev.string("embeddingModel", nonEmpty: true),
                  embeddingModelSha256: try ev.hash("embeddingModelSha256"))
    }
}

extension ParaphraseEvidence.Passage {
    func jsonValue() -> JSONValue {
        .object([
            "submitted": submitted.jsonValue(), "source": source.jsonValue(),
            "pairs": .array(pairs.map { $0.jsonValue() }), "swaps": .int(Int64(swaps)),
            "sourceWords": .int(Int64(sourceWords)),
            "submittedExcerpt": .string(submittedExcerpt), "sourceExcerpt": .string(sourceExcerpt),
        ])
    }

    init(_ p: Obj) throws {
        try p.keys(required: ["submitted", "source", "pairs", "swaps", "sourceWords", "submittedExcerpt", "sourceExcerpt"])
        let pairs = try p.array("pairs").enumerated().map { index, item in
            try ParaphraseEvidence.SentencePair(Obj(item, "\(p.path).pairs[\(index)]", version: p.version))
        }
        guard !pairs.isEmpty else { throw p.fail("pairs", "must not be empty") }
        self.init(submitted: try .init(p.object("submitted")), source: try .init(p.object("source")), pairs: pairs,
                  swaps: try p.int("swaps", 0...Int.max), sourceWords: try p.int("sourceWords", 0...Int.max),
                  submittedExcerpt: try p.string("submittedExcerpt"), sourceExcerpt: try p.string("sourceExcerpt"))
    }
}

extension ParaphraseEvidence.SentencePair {
    func jsonValue() -> JSONValue {
        .object(["submitted": submitted.jsonValue(), "source": source.jsonValue(),
                 "similarity": .double(similarity), "isSeed": .bool(isSeed)])
    }

    init(_ o: Obj) throws {
        try o.keys(required: ["submitted", "source", "similarity", "isSeed"])
        self.init(submitted: try .init(o.object("submitted")), source: try .init(o.object("source")),
                  similarity: try o.number("similarity", -1...1), isSeed: try o.bool("isSeed"))
    }
}
