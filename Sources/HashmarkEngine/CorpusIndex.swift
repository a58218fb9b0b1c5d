import HashmarkFingerprint
import HashmarkIndex
import HashmarkReport
import HashmarkStore

/// Everything matching needs, loaded once from the store: an immutable snapshot that workers
/// share and that a reload replaces as a whole (reports cite `snapshot`).
public final class CorpusIndex: Sendable {
    /// `v<version>-<digest prefix>` of the store at load time.
    public let snapshot: CorpusSnapshot
    let store: CorpusStore
    let works: [String: Work]
    let pdq: PDQTable
    let pdqIndex: MultiIndexHash256?
    let textWorkIDs: [String]
    let textIndex: TextShingleIndex
    let localWorkIDs: [String]
    let localFeatures: [LocalFeatures]
    let localIndex: LocalShortlistIndex?

    /// Below this many PDQ hashes a SIMD linear scan (same results: the MIH oracle tests) beats
    /// the multi-index hash, whose ~1,400 mostly empty bucket visits per query are a fixed cost
    /// (Benchmarks/MIH.md); a 4,096-hash scan is ~0.03 ms.
    static let multiIndexMinimum = 4_096

    /// Loads every work, PDQ hash, text posting and local-feature set from `store`.
    public init(store: CorpusStore) throws(EngineError) {
        do {
            self.store = store
            snapshot = try store.snapshot()
            works = Dictionary(try store.list().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            pdq = try store.allPDQ()
            pdqIndex = pdq.hashes.count >= Self.multiIndexMinimum ? MultiIndexHash256(hashes: pdq.hashes) : nil
            let postings = try store.allPostings()
            textWorkIDs = postings.workIDs
            textIndex = TextShingleIndex(postings: postings.hashes.indices.lazy.map {
                HashmarkIndex.TextPosting(work: Int32(postings.workIndex[$0]), hash: postings.hashes[$0],
                                          position: UInt32(clamping: postings.positions[$0]))
            })
            var ids: [String] = []
            var features: [LocalFeatures] = []
            for (id, data) in try store.allFingerprints(algorithm: LocalFeatures.algorithm) {
                guard let decoded = LocalFeatureCodec.decode(data) else { continue }
                ids.append(id)
                features.append(decoded)
            }
            localWorkIDs = ids
            localFeatures = features
            localIndex = LocalShortlistIndex(works: features.indices.map {
                (work: Int64($0), descriptors: features[$0].descriptors)
            })
        } catch {
            throw EngineError(code: EngineError.Code.corpusUnavailable, message: "\(error)")
        }
    }

    /// Number of works, PDQ hashes, text postings and local-feature sets (for logs and metrics).
    public var counts: (works: Int, pdqHashes: Int, textPostings: Int, localFeatureSets: Int) {
        (works.count, pdq.count, textIndex.count, localFeatures.count)
    }

    func ref(_ id: String) -> VerdictReport.Work {
        let w = works[id]
        return VerdictReport.Work(id: id, title: w?.title ?? "", owner: w?.owner ?? "", license: w?.license ?? "",
                                  mediaType: w.map(\.mediaType))
    }

    /// The stored plain text of a work, normalised (evidence spans index into that text).
    func workText(_ id: String) -> (text: String, normalized: NormalizedText)? {
        guard let text = try? store.text(of: id) else { return nil }
        return (text, TextNormalizer.normalize(text))
    }
}
