import Foundation
import HashmarkFingerprint
import HashmarkNeural
import HashmarkPrimitives
import HashmarkStore
import Synchronization

/// The paraphrase matcher's models, loaded from one folder (`Models/minilm-l6-v2`): the
/// transformer (`model.json`, `weights.bin`), its vocabulary and the static first-stage table
/// (`static.json`, `static.bin`). Each file's SHA-256 is checked against its manifest, so a report
/// that cites `weightsSha256` names the bytes that computed it. Immutable and shared by threads.
public struct SemanticModel: FolderModel {
    public let transformer: MiniLM
    public let tokenizer: WordPieceTokenizer
    public let table: StaticTokenTable
    public let folder: String

    /// Model id and weight-file hash, as reports cite them.
    public var modelID: String { transformer.modelID }
    public var weightsSha256: String { transformer.weightsSha256 }

    public init(folder: String) throws(EngineError) {
        func read(_ name: String) throws(EngineError) -> Data {
            try ModelFolder.read(name, in: folder, missing: EngineError.Code.semanticModelUnavailable)
        }
        let manifest = try read("model.json"), weights = try read("weights.bin")
        let vocab = try read("vocab.txt"), info = try read("static.json"), tableBytes = try read("static.bin")
        do {
            transformer = try MiniLM(manifest: manifest, weights: weights, dequantiseOnce: Self.dequantiseOnce)
            tokenizer = try WordPieceTokenizer(vocabularyUTF8: Array(vocab))
            table = try StaticTokenTable(info: info, table: tableBytes)
        } catch {
            throw EngineError(code: EngineError.Code.semanticModelInvalid, message: "\(folder): \(error)")
        }
        for (name, bytes, want) in [("weights.bin", weights, transformer.weightsSha256),
                                    ("static.bin", tableBytes, table.sha256)] where SHA256.hex(Array(bytes)) != want {
            throw EngineError(code: EngineError.Code.semanticModelInvalid,
                              message: "\(folder)/\(name) does not match the SHA-256 its manifest records (\(want)).")
        }
        guard tokenizer.vocabularySize == table.vocabularySize, tokenizer.vocabularySize == transformer.vocabularySize else {
            throw EngineError(code: EngineError.Code.semanticModelInvalid,
                              message: "\(folder): vocabulary, static table and transformer disagree on the vocabulary size.")
        }
        self.folder = folder
    }

    /// Whether the transformer's matrices are turned into float32 once, at load: where the CPU has
    /// no AVX-512 VNNI (so the int16 path is off and each linear layer would dequantise its int8
    /// panels again for every sentence). Same embeddings, bit for bit; 56.6 MB held instead of
    /// 26.0 MB; on an AVX2-only machine `minilm-bench` gave 22.9 ms a 30-token sentence against
    /// 26.1 (10 tokens: 10.0 against 12.6; Benchmarks/MINILM.md).
    public static var dequantiseOnce: Bool { !MiniLM.int16Supported }

    // Where its folder is looked for, and what is said when it is found nowhere: `FolderModel`.
    public static let environment = "HASHMARK_SEMANTIC_MODEL"
    public static let folderName = MiniLMModelFiles.folder
    public static let missing = (model: "sentence-embedding model",
                                 consequence: "paraphrased texts are not searched (only verbatim and edited ones)")

    /// The algorithm of the stored sentence embeddings this model makes and reads: another
    /// model's (or other weights') are never used.
    public var embeddingsAlgorithm: FingerprintAlgorithm {
        .sentenceEmbeddings(model: modelID, weightsSha256: weightsSha256)
    }

    /// Every distinct sentence of `text`, as `SentenceSplitter` splits it, embedded on up to
    /// `threads` threads: what registration stores so that matching reads a corpus sentence's
    /// embedding instead of computing it. nil for a text without sentences.
    public func sentenceEmbeddings(of text: String,
                                   threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> StoredSentenceEmbeddings? {
        let utf8 = Array(text.utf8)
        var seen = Set<UInt64>()
        let jobs: [(key: UInt64, span: SentenceSpan)] = SentenceSplitter.split(text).compactMap { span in
            let key = StoredSentenceEmbeddings.key(of: utf8[span.range])
            return seen.insert(key).inserted ? (key, span) : nil
        }
        guard !jobs.isEmpty else { return nil }
        // Threads take runs of `chunk` sentences, each embedded as one batch.
        let chunk = 16, next = Atomic<Int>(0), done = Mutex<[(Int, [Float])]>([])
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, (jobs.count + chunk - 1) / chunk))) { _ in
            var mine: [(Int, [Float])] = []
            while case let first = next.add(chunk, ordering: .relaxed).oldValue, first < jobs.count {
                let run = first..<min(jobs.count, first + chunk)
                for (i, e) in zip(run, embeddings(run.map { SemanticCorpus.substring(utf8, jobs[$0].span) })) {
                    if let e { mine.append((i, e)) }
                }
            }
            done.withLock { $0 += mine }
        }
        let rows = done.withLock { $0 }.sorted { $0.0 < $1.0 }
        return StoredSentenceEmbeddings(dimension: transformer.dimension, keys: rows.map { jobs[$0.0].key },
                                        vectors: rows.flatMap(\.1))
    }

    /// The unnormalised static vector of `text` (sum of its tokens' rows).
    func staticVector(_ text: Substring) -> [Float] {
        var sum = [Float](repeating: 0, count: table.dimension)
        let ids = tokenizer.encode(String(text), maxTokens: transformer.maxTokens)
        table.accumulate(ids, skip: [tokenizer.classifierID, tokenizer.separatorID], into: &sum)
        return sum
    }

    /// Tokens a batch of `embeddings(_:)` holds at most (its scratch: ~15 KB a token).
    static let batchTokens = 512

    /// The transformer's unit embedding of each text (nil for one it cannot embed), the texts going
    /// through it together in batches of up to `batchTokens` tokens (each gets the vector it gets
    /// alone, with fewer passes over the weights).
    func embeddings(_ texts: [Substring]) -> [[Float]?] {
        let ids = texts.map { tokenizer.encode(String($0), maxTokens: transformer.maxTokens) }
        var out: [[Float]?] = [], batch: [[Int32]] = [], tokens = 0
        func flush() {
            // A batch the model refuses (it never should: the tokenizer made the ids) is retried
            // a sentence at a time, so only the one it refuses gets nil.
            if let vectors = try? transformer.embed(batch: batch) {
                out += vectors.map { Optional($0) }
            } else {
                out += batch.map { try? transformer.embed(tokenIDs: $0) }
            }
            batch = []
            tokens = 0
        }
        for sentence in ids {
            if !batch.isEmpty, tokens + sentence.count > Self.batchTokens { flush() }
            batch.append(sentence)
            tokens += sentence.count
        }
        if !batch.isEmpty { flush() }
        return out
    }
}
