import Foundation
import HashmarkEngine
import HashmarkReport
import HashmarkMedia

/// The result of one case through `Engine.check(bytes:fileName:)`.
public struct CaseOutcome: Sendable, Codable, Equatable {
    public var id: String
    public var modality: Modality
    public var label: CaseLabel
    public var split: Split
    public var expectedWork: String?
    public var family: String
    public var kind: String
    public var transform: String
    public var strength: Double
    /// `infringing`, `clear` or `error`.
    public var verdict: String
    public var errorCode: String?
    /// Positives: the copied work was matched (any work when the case names none).
    /// Negatives: anything was matched (a false positive).
    public var detected: Bool
    /// The strongest matched work, if any.
    public var matchedWork: String?
    /// Wall time of the engine call.
    public var milliseconds: Double
    /// The ROC variable: the best match score for the expected work (positives that name one),
    /// else for any work; 0 when nothing came close. ≥ 0.5 is the model's decision.
    public var score: Double
    /// The paraphrase matcher's strongest finding (the expected work's for positives that name
    /// one, else any work's), for calibrating its thresholds from `cases.json`.
    public var paraphrase: ParaphraseSummary?

    init(_ plan: CasePlan, verdict: VerdictReport, milliseconds: Double) {
        let matched = verdict.decisiveMatches
        let detected: Bool
        let score: Double
        if plan.label == .positive, let expected = plan.expectedWork, !expected.isEmpty {
            detected = matched.contains { $0.work.id == expected }
            score = verdict.matches.filter { $0.work.id == expected }.map(\.score).max() ?? 0
        } else {
            detected = !matched.isEmpty
            score = verdict.matches.map(\.score).max() ?? 0
        }
        self.init(plan, verdict: verdict.verdict.rawValue, errorCode: verdict.error?.code, detected: detected,
                  matchedWork: matched.first?.work.id, milliseconds: milliseconds, score: score)
        let expected = plan.label == .positive ? plan.expectedWork : nil
        paraphrase = verdict.matches.compactMap { m -> ParaphraseSummary? in
            guard expected.map({ m.work.id == $0 }) ?? true,
                  case .paraphrase(let p) = DecisionModel.Features(m.evidence) else { return nil }
            return p
        }.max { $0.seedPairs < $1.seedPairs }
    }

    init(_ plan: CasePlan, failure code: String) {
        self.init(plan, verdict: "error", errorCode: code, detected: false, matchedWork: nil, milliseconds: 0, score: 0)
    }

    /// The plan's own fields, then the outcome.
    private init(_ plan: CasePlan, verdict: String, errorCode: String?, detected: Bool, matchedWork: String?,
                 milliseconds: Double, score: Double) {
        id = plan.id
        modality = plan.modality
        label = plan.label
        split = plan.split
        expectedWork = plan.expectedWork
        family = plan.family
        kind = plan.kind
        transform = plan.transform
        strength = plan.strength
        self.verdict = verdict
        self.errorCode = errorCode
        self.detected = detected
        self.matchedWork = matchedWork
        self.milliseconds = milliseconds
        self.score = score
    }
}

/// Runs case plans on `jobs` concurrent workers. Plans are grouped by source work so each source
/// is read and decoded once, and at most `jobs` sources are in memory at a time.
enum Runner {
    typealias Body<R: Sendable> = @Sendable (CasePlan, Result<[UInt8], any Error>) -> R

    static func run<R: Sendable>(_ plans: [CasePlan], jobs: Int, progress: (@Sendable (Int) -> Void)?,
                                 body: @escaping Body<R>) async -> [R] {
        var order: [String] = []
        var groups: [String: [Int]] = [:]
        for (i, p) in plans.enumerated() {
            if groups[p.source.id] == nil { order.append(p.source.id) }
            groups[p.source.id, default: []].append(i)
        }
        let units = order.map { id in groups[id, default: []].map { (index: $0, plan: plans[$0]) } }
        var results = [R?](repeating: nil, count: plans.count)
        var done = 0
        await withTaskGroup(of: [(Int, R)].self) { group in
            var next = 0
            func submit() {
                guard next < units.count else { return }
                let unit = units[next]
                next += 1
                group.addTask { runUnit(unit, body: body) }
            }
            for _ in 0..<max(1, jobs) { submit() }
            for await finished in group {
                for (i, r) in finished { results[i] = r }
                done += finished.count
                progress?(done)
                submit()
            }
        }
        return results.compactMap { $0 }
    }

    private static func runUnit<R>(_ unit: [(index: Int, plan: CasePlan)], body: Body<R>) -> [(Int, R)] {
        guard let first = unit.first?.plan else { return [] }
        let source = Result<[UInt8], any Error> { try MediaFile.read(first.source.path, maxBytes: 512 << 20) }
        switch first.modality {
        case .image:
            // Decoded once per source, and only when some case edits it.
            let needsPixels = unit.contains { if case .original = $0.plan.operation { false } else { true } }
            let decoded = needsPixels ? source.flatMap { bytes in
                Result<DecodedImage, any Error> { try ImageDecoder.decode(bytes) }
            } : .failure(EvalError(code: "not-decoded", message: "originals only"))
            var photos: [String: RGBImage] = [:]
            return unit.map { item in
                var photo: RGBImage?
                if let f = item.plan.filler {
                    if let cached = photos[f.id] {
                        photo = cached
                    } else if let decoded = try? ImageDecoder.decode(contentsOfFile: f.path) {
                        photo = decoded.image
                        photos[f.id] = decoded.image
                    }
                }
                let bytes = Result<[UInt8], any Error> {
                    try Materialiser.image(item.plan, source: try decoded.get(), photo: photo, originalBytes: try source.get())
                }
                return (item.index, body(item.plan, bytes))
            }
        case .audio:
            // Decoded once per source (and per filler), and only when some case edits it.
            let limits = AudioLimits(targetRate: Materialiser.audioRate)
            let needsSamples = unit.contains { if case .original = $0.plan.operation { false } else { true } }
            let samples = needsSamples ? source.flatMap { bytes in
                Result<[Float], any Error> { try AudioDecoder.decode(bytes, limits: limits).samples }
            } : .failure(EvalError(code: "not-decoded", message: "originals only"))
            var others: [String: [Float]] = [:]
            return unit.map { item in
                var other: [Float] = []
                if let f = item.plan.filler {
                    if let cached = others[f.id] {
                        other = cached
                    } else if let bytes = try? MediaFile.read(f.path, maxBytes: 512 << 20),
                              let decoded = try? AudioDecoder.decode(bytes, limits: limits) {
                        other = decoded.samples
                        others[f.id] = other
                    }
                }
                let bytes = Result<[UInt8], any Error> {
                    try Materialiser.audio(item.plan, source: try samples.get(), other: other, originalBytes: try source.get())
                }
                return (item.index, body(item.plan, bytes))
            }
        case .text:
            let text = source.flatMap { bytes in Result<String, any Error> { try decodeText(bytes) } }
            var fillers: [String: String] = [:]
            return unit.map { item in
                var filler = ""
                if let f = item.plan.filler {
                    if let cached = fillers[f.id] {
                        filler = cached
                    } else if let bytes = try? MediaFile.read(f.path, maxBytes: 512 << 20),
                              let t = try? decodeText(bytes) {
                        filler = t
                        fillers[f.id] = t
                    }
                }
                let bytes = Result<[UInt8], any Error> {
                    try Materialiser.text(item.plan, source: try text.get(), filler: filler)
                }
                return (item.index, body(item.plan, bytes))
            }
        }
    }

    static func decodeText(_ bytes: [UInt8]) throws -> String {
        try TextDecoder.decode(bytes).text
    }

    /// One engine call, timed.
    static func check(_ engine: Engine, _ plan: CasePlan, _ bytes: [UInt8]) -> (VerdictReport, Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let verdict = engine.check(bytes: bytes, fileName: Materialiser.fileName(plan))
        let d = clock.now - start
        return (verdict, Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
    }
}

import HashmarkFingerprint
