// VerdictReport <-> JSONValue. Decoding validates everything the JSON Schema file states
// (required and unknown keys, types, enums, ranges, patterns), so `verify` does not need a
// general JSON Schema engine.

import HashmarkPrimitives

extension VerdictReport {
    public func jsonValue() -> JSONValue {
        var root: [String: JSONValue] = [
            "schema": .string(Self.schemaId),
            "reportId": .string(reportId),
            "subject": .object([
                "fileName": .string(subject.fileName), "size": .int(Int64(subject.size)),
                "sha256": .string(subject.sha256), "mediaType": .string(subject.mediaType),
            ]),
            "verdict": .string(verdict.rawValue),
            "matches": .array(matches.map { $0.jsonValue() }),
            "decision": .object([
                "rule": .string(decision.rule),
                "thresholds": .object(decision.thresholds.mapValues { .double($0) }),
                "modelId": .string(decision.modelId), "modelSha256": .string(decision.modelSha256),
            ]),
            "engine": .object(["name": .string(engine.name), "version": .string(engine.version)]),
            "corpus": .object(["snapshot": .string(corpus.snapshot)]),
            "createdAt": .string(createdAt),
            "previousReportSha256": .string(previousReportSha256),
            "signer": .object(["algorithm": .string(signer.algorithm), "keyId": .string(signer.keyId)]),
        ]
        if let score { root["score"] = .double(score) }
        if let error { root["error"] = .object(["code": .string(error.code), "message": .string(error.message)]) }
        return .object(root)
    }

    /// Canonical bytes after checking the report against the schema (so nothing invalid is signed).
    public func canonicalBytes() throws -> [UInt8] {
        let value = jsonValue()
        _ = try VerdictReport(json: value)
        return try value.canonicalBytes()
    }

    /// Parses and validates report bytes (strict JSON, then the schema).
    public init(bytes: [UInt8]) throws {
        try self.init(json: JSONValue.parse(bytes))
    }

    public init(json: JSONValue) throws {
        let root = try Obj(json, "$")
        try root.keys(required: ["schema", "reportId", "subject", "verdict", "matches", "decision", "engine",
                                 "corpus", "createdAt", "previousReportSha256", "signer"],
                      optional: ["score", "error"])
        guard try root.string("schema") == Self.schemaId else {
            throw root.fail("schema", "must be \"\(Self.schemaId)\"")
        }
        reportId = try root.string("reportId")
        guard ReportID.isValid(reportId) else { throw root.fail("reportId", "is not a valid report id") }
        let s = try root.object("subject")
        try s.keys(required: ["fileName", "size", "sha256", "mediaType"])
        subject = Subject(fileName: try s.string("fileName", nonEmpty: true), size: try s.int("size", 0...Int.max),
                          sha256: try s.hash("sha256"), mediaType: try s.string("mediaType", nonEmpty: true))
        guard let verdict = Verdict(rawValue: try root.string("verdict")) else {
            throw root.fail("verdict", "must be one of infringing, clear, error")
        }
        self.verdict = verdict
        score = root.has("score") ? try root.number("score", 0...1) : nil
        if root.has("error") {
            let e = try root.object("error")
            try e.keys(required: ["code", "message"])
            let code = try e.string("code")
            guard isSlug(code) else { throw e.fail("code", "must match ^[a-z][a-z0-9-]*$") }
            error = ErrorInfo(code: code, message: try e.string("message"))
        } else {
            error = nil
        }
        matches = try root.array("matches").enumerated().map { index, item in
            try Match(json: item, path: "$.matches[\(index)]")
        }
        switch verdict {
        case .error:
            guard error != nil, score == nil, matches.isEmpty else {
                throw root.fail("verdict", "an error verdict needs \"error\", no \"score\" and no matches")
            }
        case .infringing, .clear:
            guard error == nil, score != nil else {
                throw root.fail("verdict", "an \(verdict.rawValue) verdict needs \"score\" and no \"error\"")
            }
            if verdict == .infringing, matches.isEmpty {
                throw root.fail("matches", "an infringing verdict needs at least one match")
            }
        }
        let d = try root.object("decision")
        try d.keys(required: ["rule", "thresholds", "modelId", "modelSha256"])
        let thresholdObject = try d.object("thresholds")
        var thresholds: [String: Double] = [:]
        for key in thresholdObject.members.keys {
            thresholds[key] = try thresholdObject.number(key, -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude)
        }
        decision = Decision(rule: try d.string("rule", nonEmpty: true), thresholds: thresholds,
                            modelId: try d.string("modelId", nonEmpty: true), modelSha256: try d.hash("modelSha256"))
        let en = try root.object("engine")
        try en.keys(required: ["name", "version"])
        engine = Engine(name: try en.string("name", nonEmpty: true), version: try en.string("version", nonEmpty: true))
        let c = try root.object("corpus")
        try c.keys(required: ["snapshot"])
        corpus = Corpus(snapshot: try c.string("snapshot", nonEmpty: true))
        createdAt = try root.string("createdAt")
        guard RFC3339.isValid(createdAt) else { throw root.fail("createdAt", "must be RFC 3339 UTC ending in Z") }
        previousReportSha256 = try root.hash("previousReportSha256")
        let sg = try root.object("signer")
        try sg.keys(required: ["algorithm", "keyId"])
        guard try sg.string("algorithm") == Signer.ed25519 else { throw sg.fail("algorithm", "must be \"ed25519\"") }
        signer = Signer(keyId: try sg.hash("keyId"))
    }
}

extension VerdictReport.Match {
    func jsonValue() -> JSONValue {
        let evidenceValue: JSONValue
        switch evidence {
        case .image(let e):
            var members: [String: JSONValue] = [
                "pdqDistance": .int(Int64(e.pdqDistance)), "quality": .int(Int64(e.quality)),
                "threshold": .int(Int64(e.threshold)),
                "transform": .object(["name": .string(e.transform.rawValue), "inverted": .bool(e.inverted)]),
            ]
            if let region = e.region {
                members["region"] = .object(["submitted": region.submitted.jsonValue(), "source": region.source.jsonValue()])
            }
            evidenceValue = .object(members)
        case .localFeatures(let e):
            var members: [String: JSONValue] = [
                "inliers": .int(Int64(e.inliers)), "tentativeMatches": .int(Int64(e.tentativeMatches)),
                "threshold": .int(Int64(e.threshold)), "mirrored": .bool(e.mirrored),
            ]
            if let scale = e.scale { members["scale"] = .double(scale) }
            if let rotation = e.rotationDegrees { members["rotationDegrees"] = .double(rotation) }
            if let region = e.region {
                members["region"] = .object(["submitted": region.submitted.jsonValue(), "source": region.source.jsonValue()])
            }
            evidenceValue = .object(members)
        case .text(let e):
            var members: [String: JSONValue] = [
                "spans": .array(e.spans.map { span in
                    .object([
                        "submitted": span.submitted.jsonValue(), "source": span.source.jsonValue(),
                        "alignedWords": .int(Int64(span.alignedWords)),
                        "submittedExcerpt": .string(span.submittedExcerpt), "sourceExcerpt": .string(span.sourceExcerpt),
                    ])
                }),
                "alignedWords": .int(Int64(e.alignedWords)), "coverage": .double(e.coverage),
                "longestRun": .int(Int64(e.longestRun)),
            ]
            if let matched = e.matchedWords { members["matchedWords"] = .int(Int64(matched)) }
            evidenceValue = .object(members)
        }
        return .object([
            "work": .object(["id": .string(work.id), "title": .string(work.title), "owner": .string(work.owner),
                             "license": .string(work.license)]),
            "modality": .string(modality.rawValue), "matcher": .string(matcher), "score": .double(score),
            "evidence": evidenceValue,
        ])
    }

    init(json: JSONValue, path: String) throws {
        let m = try Obj(json, path)
        try m.keys(required: ["work", "modality", "matcher", "score", "evidence"])
        let w = try m.object("work")
        try w.keys(required: ["id", "title", "owner", "license"])
        work = VerdictReport.Work(id: try w.string("id", nonEmpty: true), title: try w.string("title"),
                                  owner: try w.string("owner"), license: try w.string("license"))
        matcher = try m.string("matcher")
        guard isSlug(matcher) else { throw m.fail("matcher", "must match ^[a-z][a-z0-9-]*$") }
        score = try m.number("score", 0...1)
        let ev = try m.object("evidence")
        switch try m.string("modality") {
        case "image" where matcher == "local-features":
            try ev.keys(required: ["inliers", "tentativeMatches", "threshold", "mirrored"],
                        optional: ["scale", "rotationDegrees", "region"])
            var region: ImageEvidence.RegionPair?
            if ev.has("region") {
                let r = try ev.object("region")
                try r.keys(required: ["submitted", "source"])
                region = .init(submitted: try .init(r.object("submitted")), source: try .init(r.object("source")))
            }
            evidence = .localFeatures(LocalFeatureEvidence(
                inliers: try ev.int("inliers", 0...Int.max), tentativeMatches: try ev.int("tentativeMatches", 0...Int.max),
                threshold: try ev.int("threshold", 0...Int.max),
                scale: ev.has("scale") ? try ev.number("scale", 0...1e6) : nil,
                rotationDegrees: ev.has("rotationDegrees") ? try ev.number("rotationDegrees", -360...360) : nil,
                mirrored: try ev.bool("mirrored"), region: region))
        case "image":
            try ev.keys(required: ["pdqDistance", "quality", "threshold", "transform"], optional: ["region"])
            let t = try ev.object("transform")
            try t.keys(required: ["name", "inverted"])
            guard let name = ImageEvidence.Dihedral(rawValue: try t.string("name")) else {
                throw t.fail("name", "must be a dihedral name (identity, rot90, …, transverse)")
            }
            var region: ImageEvidence.RegionPair?
            if ev.has("region") {
                let r = try ev.object("region")
                try r.keys(required: ["submitted", "source"])
                region = .init(submitted: try .init(r.object("submitted")), source: try .init(r.object("source")))
            }
            evidence = .image(ImageEvidence(
                pdqDistance: try ev.int("pdqDistance", 0...256), quality: try ev.int("quality", 0...100),
                threshold: try ev.int("threshold", 0...256), transform: name, inverted: try t.bool("inverted"),
                region: region))
        case "text":
            try ev.keys(required: ["spans", "alignedWords", "coverage", "longestRun"], optional: ["matchedWords"])
            let spans = try ev.array("spans").enumerated().map { index, item -> TextEvidence.Span in
                let s = try Obj(item, "\(ev.path).spans[\(index)]")
                try s.keys(required: ["submitted", "source", "alignedWords", "submittedExcerpt", "sourceExcerpt"])
                return .init(submitted: try .init(s.object("submitted")), source: try .init(s.object("source")),
                             alignedWords: try s.int("alignedWords", 0...Int.max),
                             submittedExcerpt: try s.string("submittedExcerpt"), sourceExcerpt: try s.string("sourceExcerpt"))
            }
            guard !spans.isEmpty else { throw ev.fail("spans", "must not be empty") }
            evidence = .text(TextEvidence(spans: spans, alignedWords: try ev.int("alignedWords", 0...Int.max),
                                          matchedWords: ev.has("matchedWords") ? try ev.int("matchedWords", 0...Int.max) : nil,
                                          coverage: try ev.number("coverage", 0...1),
                                          longestRun: try ev.int("longestRun", 0...Int.max)))
        default:
            throw m.fail("modality", "must be \"image\" or \"text\"")
        }
    }
}

extension ImageEvidence.Rect {
    func jsonValue() -> JSONValue {
        .object(["x": .int(Int64(x)), "y": .int(Int64(y)), "width": .int(Int64(width)), "height": .int(Int64(height))])
    }
    init(_ o: Obj) throws {
        try o.keys(required: ["x", "y", "width", "height"])
        self.init(x: try o.int("x", 0...Int.max), y: try o.int("y", 0...Int.max),
                  width: try o.int("width", 1...Int.max), height: try o.int("height", 1...Int.max))
    }
}

extension TextEvidence.Range {
    func jsonValue() -> JSONValue { .object(["offset": .int(Int64(offset)), "length": .int(Int64(length))]) }
    init(_ o: Obj) throws {
        try o.keys(required: ["offset", "length"])
        self.init(offset: try o.int("offset", 0...Int.max), length: try o.int("length", 0...Int.max))
    }
}

func isSlug(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard let first = bytes.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else { return false }
    return bytes.allSatisfy {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
            || $0 == UInt8(ascii: "-")
    }
}

/// A JSON object being validated, with the JSONPath used in error messages.
struct Obj {
    let members: [String: JSONValue]
    let path: String

    init(_ value: JSONValue?, _ path: String) throws {
        guard case .object(let members)? = value else { throw ReportError(.schema, "\(path): expected an object") }
        self.members = members
        self.path = path
    }

    func fail(_ key: String, _ message: String) -> ReportError {
        ReportError(.schema, "\(path).\(key): \(message)")
    }

    func has(_ key: String) -> Bool { members[key] != nil }

    func keys(required: [String], optional: [String] = []) throws {
        for key in required where members[key] == nil { throw fail(key, "is required") }
        let allowed = Set(required + optional)
        if let extra = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw fail(extra, "is not allowed by the schema")
        }
    }

    func string(_ key: String, nonEmpty: Bool = false) throws -> String {
        guard case .string(let value)? = members[key] else { throw fail(key, "expected a string") }
        if nonEmpty, value.isEmpty { throw fail(key, "must not be empty") }
        return value
    }

    func hash(_ key: String) throws -> String {
        let value = try string(key)
        guard Hex.isSHA256(value) else { throw fail(key, "expected 64 lowercase hex digits") }
        return value
    }

    func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
        guard case .int(let raw)? = members[key], let value = Int(exactly: raw) else { throw fail(key, "expected an integer") }
        guard range.contains(value) else { throw fail(key, "\(value) is out of range") }
        return value
    }

    func number(_ key: String, _ range: ClosedRange<Double>) throws -> Double {
        let value: Double
        switch members[key] {
        case .double(let d)?: value = d
        case .int(let i)?: value = Double(i)
        default: throw fail(key, "expected a number")
        }
        guard range.contains(value) else { throw fail(key, "\(value) is out of range") }
        return value
    }

    func bool(_ key: String) throws -> Bool {
        guard case .bool(let value)? = members[key] else { throw fail(key, "expected true or false") }
        return value
    }

    func object(_ key: String) throws -> Obj { try Obj(members[key], "\(path).\(key)") }

    func array(_ key: String) throws -> [JSONValue] {
        guard case .array(let items)? = members[key] else { throw fail(key, "expected an array") }
        return items
    }
}
