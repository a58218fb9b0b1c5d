import Foundation

/// Audio landmark evidence (`audio-landmarks`, schema `/5`): where the work is heard in the
/// submission, which part of the work, and how many landmark hashes agree on that alignment.
///
/// Times are seconds from the start of each recording. The alignment maps submission time `t` to
/// work time `offsetSeconds + speed · t`; `speed` above 1 means the copy plays the work faster
/// (sped up, or pitched up by resampling).
public struct AudioEvidence: Sendable, Equatable {
    /// A stretch of one recording, in seconds.
    public struct Segment: Sendable, Equatable {
        public var start: Double
        public var end: Double
        public init(start: Double, end: Double) { self.start = start; self.end = end }
        public var duration: Double { end - start }
    }

    /// Submission landmarks whose hash and time agree with the alignment.
    public var alignedHashes: Int
    /// Different hashes among them: repetition (a loop, a held chord) aligns one hash many times,
    /// and counts once here (`nil` in reports written before it was counted).
    public var distinctHashes: Int?
    /// Landmarks taken from the whole submission.
    public var queryHashes: Int
    /// The fewest aligned hashes that count as a match.
    public var threshold: Int
    /// The fewest distinct hashes that count as a match (`nil`: not part of the rule).
    public var distinctThreshold: Int?
    /// Aligned hashes of the work's next best alignment, away from this one (`nil`: not counted,
    /// as in reports before it was). A copy's alignment stands far above it; chance alignments
    /// and sounds two recordings share at a period do not.
    public var sidelobeHashes: Int?
    /// A match by isolation needs at least `isolatedThreshold` distinct hashes standing
    /// `isolationMargin` above `sidelobeHashes` (`nil`: not part of the rule).
    public var isolatedThreshold: Int?
    public var isolationMargin: Int?
    /// The matched stretch of the submission and of the work (first to last aligned landmark).
    public var submitted: Segment
    public var source: Segment
    public var offsetSeconds: Double
    public var speed: Double
    /// Duration of the work, for context.
    public var workSeconds: Double?
    /// The fingerprint algorithm (`landmark-pairs-v1`).
    public var algorithm: String

    public init(alignedHashes: Int, distinctHashes: Int? = nil, queryHashes: Int, threshold: Int,
                distinctThreshold: Int? = nil, submitted: Segment, source: Segment,
                offsetSeconds: Double, speed: Double, workSeconds: Double? = nil, algorithm: String,
                sidelobeHashes: Int? = nil, isolatedThreshold: Int? = nil, isolationMargin: Int? = nil) {
        self.alignedHashes = alignedHashes; self.queryHashes = queryHashes; self.threshold = threshold
        self.distinctHashes = distinctHashes; self.distinctThreshold = distinctThreshold
        self.submitted = submitted; self.source = source; self.offsetSeconds = offsetSeconds; self.speed = speed
        self.workSeconds = workSeconds; self.algorithm = algorithm
        self.sidelobeHashes = sidelobeHashes; self.isolatedThreshold = isolatedThreshold; self.isolationMargin = isolationMargin
    }
}

/// What was decoded from a submitted recording (`/5`).
public struct AudioInfo: Sendable, Equatable {
    /// The file's own duration, sample rate and channels (before the mono downmix and resampling).
    public var durationSeconds: Double
    public var sampleRate: Int
    public var channels: Int
    public init(durationSeconds: Double, sampleRate: Int, channels: Int) {
        self.durationSeconds = durationSeconds; self.sampleRate = sampleRate; self.channels = channels
    }
}

// MARK: - JSON (schema `/5` only)

extension AudioEvidence {
    func jsonValue() -> JSONValue {
        var m: [String: JSONValue] = [
            "alignedHashes": .int(Int64(alignedHashes)), "queryHashes": .int(Int64(queryHashes)),
            "threshold": .int(Int64(threshold)), "submitted": submitted.jsonValue(), "source": source.jsonValue(),
            "offsetSeconds": .double(offsetSeconds), "speed": .double(speed), "algorithm": .string(algorithm),
        ]
        if let workSeconds { m["workSeconds"] = .double(workSeconds) }
        if let distinctHashes { m["distinctHashes"] = .int(Int64(distinctHashes)) }
        if let distinctThreshold { m["distinctThreshold"] = .int(Int64(distinctThreshold)) }
        if let sidelobeHashes { m["sidelobeHashes"] = .int(Int64(sidelobeHashes)) }
        if let isolatedThreshold { m["isolatedThreshold"] = .int(Int64(isolatedThreshold)) }
        if let isolationMargin { m["isolationMargin"] = .int(Int64(isolationMargin)) }
        return .object(m)
    }

    init(_ ev: Obj) throws {
        guard ev.version >= 5 else { throw ReportError(.schema, "\(ev.path): audio-landmarks evidence needs hashmark.verdict/5") }
        try ev.keys(required: ["alignedHashes", "queryHashes", "threshold", "submitted", "source", "offsetSeconds",
                               "speed", "algorithm"], optional: ["workSeconds", "distinctHashes", "distinctThreshold",
                                                                "sidelobeHashes", "isolatedThreshold", "isolationMargin"])
        self.init(alignedHashes: try ev.int("alignedHashes", 0...Int.max),
                  distinctHashes: ev.has("distinctHashes") ? try ev.int("distinctHashes", 0...Int.max) : nil,
                  queryHashes: try ev.int("queryHashes", 0...Int.max), threshold: try ev.int("threshold", 0...Int.max),
                  distinctThreshold: ev.has("distinctThreshold") ? try ev.int("distinctThreshold", 0...Int.max) : nil,
                  submitted: try Segment(ev.object("submitted")),
                  source: try Segment(ev.object("source")), offsetSeconds: try ev.number("offsetSeconds", -1e7...1e7),
                  speed: try ev.number("speed", 0.5...2), workSeconds: ev.has("workSeconds") ? try ev.number("workSeconds", 0...1e7) : nil,
                  algorithm: try ev.string("algorithm", nonEmpty: true),
                  sidelobeHashes: ev.has("sidelobeHashes") ? try ev.int("sidelobeHashes", 0...Int.max) : nil,
                  isolatedThreshold: ev.has("isolatedThreshold") ? try ev.int("isolatedThreshold", 0...Int.max) : nil,
                  isolationMargin: ev.has("isolationMargin") ? try ev.int("isolationMargin", 0...Int.max) : nil)
    }
}

extension AudioEvidence.Segment {
    func jsonValue() -> JSONValue { .object(["start": .double(start), "end": .double(end)]) }

    init(_ o: Obj) throws {
        try o.keys(required: ["start", "end"])
        let start = try o.number("start", 0...1e7), end = try o.number("end", 0...1e7)
        guard end >= start else { throw o.fail("end", "must not be before start") }
        self.init(start: start, end: end)
    }
}

extension AudioInfo {
    func jsonValue() -> JSONValue {
        .object(["durationSeconds": .double(durationSeconds), "sampleRate": .int(Int64(sampleRate)),
                 "channels": .int(Int64(channels))])
    }

    init(_ o: Obj) throws {
        try o.keys(required: ["durationSeconds", "sampleRate", "channels"])
        self.init(durationSeconds: try o.number("durationSeconds", 0...1e7), sampleRate: try o.int("sampleRate", 1...10_000_000),
                  channels: try o.int("channels", 1...1024))
    }
}

extension AudioInfo {
    /// E.g. `212.4 s, 44100 Hz, 2 channels`.
    public var summary: String {
        String(format: "%.1f s, %d Hz, %d channel%@", durationSeconds, sampleRate, channels, channels == 1 ? "" : "s")
    }
}
