import HashmarkFingerprint
import HashmarkIndex
import HashmarkReport
import HashmarkStore

/// Everything matching needs, loaded once from the store: an immutable snapshot that workers
/// share and that a reload replaces as a whole (reports cite `snapshot`).
public final class CorpusIndex: Sendable {
    /// `v<version>-<digest prefix>` of the store at load time.
    public let snapshot: CorpusSnapshot
    let works: [String: Work]
    let pdq: PDQTable
    let pdqIndex: MultiIndexHash256?
    let textWorkIDs: [String]
    let textIndex: TextShingleIndex
    /// Each text work's stored plain text and its normalised form, read and normalised once at
    /// load, so matching never reads the store.
    let texts: [String: (text: String, normalized: NormalizedText)]
    let localWorkIDs: [String]
    /// `WorkVariant` of each local-feature set (a transparent work has one per background).
    let localVariants: [Int]
    let localFeatures: [LocalFeatures]
    let localIndex: LocalShortlistIndex?
    /// Registered ignore-elements' local features (`WorkRole.ignoreElement`; one set per
    /// background for a transparent one): keypoints of a submission on them do not count.
    let ignoreElements: [(id: String, features: LocalFeatures)]
    /// Audio works' landmarks, recording number `i` being `audioWorkIDs[i]`.
    let audioWorkIDs: [String]
    let audioIndex: AudioLandmarkIndex
    /// Image descriptor vectors by stored algorithm id (`descriptor/<model>`): the engine reads
    /// the table of the model it has loaded, never another model's.
    let descriptors: [String: DescriptorTable]
    /// Text works' stored sentence embeddings by algorithm id (`sentence-embeddings/<model>`),
    /// then by work id: the paraphrase matcher reads those of the model it has loaded.
    let sentenceEmbeddings: [String: [String: StoredSentenceEmbeddings]]

    /// One model's descriptors: row `i` is work `workIDs[i]`, registered as `variants[i]`;
    /// searched by an exact scan, or from `ivfMinimum` rows on by an inverted file.
    @_spi(Testing) public struct DescriptorTable: Sendable {
        let workIDs: [String]
        let variants: [Int]
        let dimension: Int
        let scan: VectorScan?
        let ivf: IVFIndex?
        public var isApproximate: Bool { ivf != nil }

        /// From this many rows the table is an inverted file (the exact scan: ~3 ms a query at
        /// 100k 256-d rows, ~34 ms at 1M; Benchmarks/VECTORS.md).
        public static let ivfMinimum = 100_000
        /// Cells probed per query, of about √rows: at 1M rows (1,000 cells) the exact scan's top
        /// row for 199 of 200 near-duplicate queries, 2.1 ms a query (Benchmarks/VECTORS.md).
        static let ivfProbes = 64

        /// `vectors` row-major, `dimension` each.
        public init(workIDs: [String], variants: [Int], vectors: [Float], dimension: Int, ivfMinimum: Int = Self.ivfMinimum) {
            self.workIDs = workIDs
            self.variants = variants
            self.dimension = dimension
            if workIDs.count >= ivfMinimum {
                // √rows cells of about √rows rows: 1,000 of ~1,000 at 1M rows.
                let lists = max(1, Int(Double(workIDs.count).squareRoot()))
                ivf = IVFIndex(vectors: vectors, dimension: dimension, lists: lists)
                scan = nil
            } else {
                var table = VectorScan(dimension: dimension)
                for r in 0..<workIDs.count { table.append(Array(vectors[(r * dimension)..<((r + 1) * dimension)])) }
                scan = table
                ivf = nil
            }
        }

        /// The `k` rows closest to `query` (exact below `ivfMinimum` rows, approximate from there).
        public func nearest(_ query: [Float], k: Int) -> [(row: Int, score: Float)] {
            if let ivf { return ivf.nearest(query, k: k, probes: Self.ivfProbes) }
            return scan?.nearest(query, k: k) ?? []
        }
    }

    /// `corpus-stale` when the store holds fingerprints or postings of an algorithm or version
    /// other than the current one (`FingerprintAlgorithm`): every check then reports it instead
    /// of matching against a corpus it cannot read.
    public let stale: EngineError?

    /// Below this many PDQ hashes a SIMD linear scan (same results: the MIH oracle tests) beats
    /// the multi-index hash, whose ~1,400 mostly empty bucket visits per query are a fixed cost
    /// (Benchmarks/MIH.md); a 4,096-hash scan is ~0.03 ms.
    static let multiIndexMinimum = 4_096

    /// From this many stored audio landmarks (about 190 hours of music) the audio index gets its
    /// candidate stage (`AudioCandidateStage`): an exhaustive 10 s query there passes ~40 ms and
    /// grows with the catalogue (~250 ms at 1,000 hours), the staged one ~13 ms at 1,000 hours
    /// and ~24 ms at 10,000 when it matches (~42 ms when it does not; Benchmarks/AUDIO.md).
    public static let audioCandidateMinimum = 50_000_000

    /// Loads every work, PDQ hash, text posting, work text, local-feature set, image descriptor
    /// and stored sentence embedding from `store`,
    /// all from one snapshot (`CorpusStore.pinnedView`: writes by other processes or hosts
    /// meanwhile are not half seen, and `snapshot` names exactly what was loaded).
    /// Any read failure, or a work with postings but no stored text, fails the load
    /// (`corpus-unavailable`); a corpus made by older algorithms loads with `stale` set.
    ///
    /// `audioCandidateMinimum`: stored audio landmarks from which the audio index shortlists by
    /// its candidate stage (0: always, as `hashmark eval --audio-candidate-stage` measures it).
    public init(store given: CorpusStore, audioCandidateMinimum: Int = CorpusIndex.audioCandidateMinimum) throws(EngineError) {
        do {
            let store = try given.pinnedView()
            snapshot = try store.snapshot()
            let staleContent = try store.staleContent()
            stale = staleContent.isEmpty ? nil : EngineError(
                code: EngineError.Code.corpusStale,
                message: "The corpus at \(store.displayName) was indexed by older fingerprint algorithms (\(staleContent)); "
                    + "the current ones are \(FingerprintAlgorithm.current.map(\.description).joined(separator: ", ")). "
                    + "Re-add the works (`hashmark corpus add` with the same files) or rebuild the database "
                    + "(`make run` rebuilds var/hashmark.sqlite), then reload.")
            works = Dictionary(try store.list().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            pdq = try store.allPDQ()
            pdqIndex = pdq.hashes.count >= Self.multiIndexMinimum ? MultiIndexHash256(hashes: pdq.hashes) : nil
            let postings = try store.allPostings()
            textWorkIDs = postings.workIDs
            textIndex = TextShingleIndex(postings: postings.hashes.indices.lazy.map {
                TextPosting(work: Int32(postings.workIndex[$0]), hash: postings.hashes[$0],
                            position: UInt32(clamping: postings.positions[$0]))
            })
            var loaded: [String: (text: String, normalized: NormalizedText)] = [:]
            for (id, text) in try store.allTexts() { loaded[id] = (text, TextNormalizer.normalize(text)) }
            if let missing = textWorkIDs.first(where: { loaded[$0] == nil }) {
                throw EngineError(code: EngineError.Code.corpusUnavailable,
                                  message: "work '\(missing)' has text postings but no stored text")
            }
            texts = loaded
            var ids: [String] = [], variants: [Int] = []
            var features: [LocalFeatures] = []
            var elements: [(id: String, features: LocalFeatures)] = []
            for (id, data, variant) in try store.allFingerprints(algorithm: FingerprintAlgorithm.localFeatures.id) {
                guard let decoded = LocalFeatureCodec.decode(data) else {
                    throw EngineError(code: EngineError.Code.corpusUnavailable,
                                      message: "the local features of work '\(id)' are malformed")
                }
                if works[id]?.role == .ignoreElement {
                    elements.append((id, decoded))
                    continue
                }
                ids.append(id)
                variants.append(variant)
                features.append(decoded)
            }
            localWorkIDs = ids
            localVariants = variants
            localFeatures = features
            ignoreElements = elements
            localIndex = LocalShortlistIndex(works: features.indices.map {
                (work: Int64($0), descriptors: features[$0].descriptors)
            })
            var audioIDs: [String] = [], recordings: [AudioFingerprint] = []
            for (id, data, _) in try store.allFingerprints(algorithm: FingerprintAlgorithm.audioLandmarks.id) {
                guard let decoded = AudioLandmarkCodec.decode(data), decoded.parameters == AudioFingerprint.Parameters() else {
                    throw EngineError(code: EngineError.Code.corpusUnavailable,
                                      message: "the audio landmarks of work '\(id)' are malformed")
                }
                audioIDs.append(id)
                recordings.append(decoded)
            }
            do {
                let landmarks = recordings.reduce(0) { $0 + $1.landmarks.count }
                audioIndex = try AudioLandmarkIndex(candidateStage: landmarks >= audioCandidateMinimum ? AudioCandidateStage() : nil,
                                                    recordings: recordings)
            } catch {
                throw EngineError(code: EngineError.Code.corpusUnavailable, message: "the audio landmarks: \(error)")
            }
            audioWorkIDs = audioIDs
            var tables: [String: DescriptorTable] = [:]
            for algorithm in try store.fingerprintAlgorithms(family: FingerprintAlgorithm.descriptorFamily) {
                var ids: [String] = [], variants: [Int] = [], vectors: [Float] = [], dimension = 0
                for (id, data, variant) in try store.allFingerprints(algorithm: algorithm) {
                    guard let v = DescriptorCodec.decode(data), v.count % 8 == 0, v.count > 0,
                          dimension == 0 || dimension == v.count else {
                        throw EngineError(code: EngineError.Code.corpusUnavailable,
                                          message: "the image descriptor (\(algorithm)) of work '\(id)' is malformed")
                    }
                    dimension = v.count
                    ids.append(id)
                    variants.append(variant)
                    vectors += v
                }
                if dimension > 0 {
                    tables[algorithm] = DescriptorTable(workIDs: ids, variants: variants, vectors: vectors, dimension: dimension)
                }
            }
            descriptors = tables
            var embeddings: [String: [String: StoredSentenceEmbeddings]] = [:]
            for algorithm in try store.fingerprintAlgorithms(family: FingerprintAlgorithm.sentenceEmbeddingsFamily) {
                for (id, data, _) in try store.allFingerprints(algorithm: algorithm) {
                    guard let decoded = StoredSentenceEmbeddings(encoded: data) else {
                        throw EngineError(code: EngineError.Code.corpusUnavailable,
                                          message: "the sentence embeddings (\(algorithm)) of work '\(id)' are malformed")
                    }
                    embeddings[algorithm, default: [:]][id] = decoded
                }
            }
            sentenceEmbeddings = embeddings
        } catch let error as EngineError {
            throw error
        } catch {
            throw EngineError(code: EngineError.Code.corpusUnavailable, message: "\(error)")
        }
    }

    /// Number of works, PDQ hashes, text postings and local-feature sets (for logs and metrics;
    /// a transparent work counts once per background).
    public var counts: (works: Int, pdqHashes: Int, textPostings: Int, localFeatureSets: Int) {
        (works.count - ignoreElementCount, pdq.count, textIndex.count, localFeatures.count)
    }

    /// Registered ignore-elements (not counted among the works).
    public var ignoreElementCount: Int { works.values.filter { $0.role == .ignoreElement }.count }

    /// Image works with a descriptor of `algorithm` (the loaded model's), and image works in all.
    public func descriptorCounts(algorithm: String) -> (described: Int, images: Int) {
        (Set(descriptors[algorithm]?.workIDs ?? []).count, works.values.filter { $0.role == .work && $0.mediaType.hasPrefix("image/") }.count)
    }

    /// Number of audio works and of their stored landmarks (for logs and metrics).
    public var audioCounts: (recordings: Int, landmarks: Int) { (audioIndex.count, audioIndex.landmarkCount) }

    func ref(_ id: String) -> VerdictReport.Work {
        let w = works[id]
        return VerdictReport.Work(id: id, title: w?.title ?? "", owner: w?.owner ?? "", license: w?.license ?? "",
                                  mediaType: w.map(\.mediaType))
    }

    /// The stored plain text of a work and its normalised form (evidence spans index into the
    /// text), from memory; `nil` only for an id that is not a text work.
    func workText(_ id: String) -> (text: String, normalized: NormalizedText)? {
        texts[id]
    }
}
