// VerdictReport <-> JSONValue. Decoding validates everything the JSON Schema file states
// (required and unknown keys, types, enums, ranges, patterns), so `verify` does not need a
// general JSON Schema engine.

import HashmarkPrimitives

extension VerdictReport {
    public func jsonValue() -> JSONValue {
        var root: [String: JSONValue] = [
            "schema": .string(schema),
            "reportId": .string(reportId),
            "subject": subject.jsonValue(),
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
        guard case .string(let schema)? = json["schema"], let index = Self.readableSchemas.firstIndex(of: schema) else {
            throw ReportError(.schema, "$.schema: must be one of \(Self.readableSchemas.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        let root = try Obj(json, "$", version: index + 1)
        try root.keys(required: ["schema", "reportId", "subject", "verdict", "matches", "decision", "engine",
                                 "corpus", "createdAt", "previousReportSha256", "signer"],
                      optional: ["score", "error"])
        self.schema = schema
        reportId = try root.string("reportId")
        guard ReportID.isValid(reportId) else { throw root.fail("reportId", "is not a valid report id") }
        let s = try root.object("subject")
        try s.keys(required: ["fileName", "size", "sha256", "mediaType"], since4: ["document"], since5: ["audio"])
        subject = Subject(fileName: try s.string("fileName", nonEmpty: true), size: try s.int("size", 0...Int.max),
                          sha256: try s.hash("sha256"), mediaType: try s.string("mediaType", nonEmpty: true),
                          document: s.has("document") ? try DocumentInfo(s.object("document")) : nil,
                          audio: s.has("audio") ? try AudioInfo(s.object("audio")) : nil)
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
            try Match(Obj(item, "$.matches[\(index)]", version: root.version))
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
    /// The match as reports and `check --json` write it.
    public func jsonValue() -> JSONValue {
        let evidenceValue: JSONValue = switch evidence {
        case .image(let e): e.jsonValue()
        case .localFeatures(let e): e.jsonValue()
        case .text(let e): e.jsonValue()
        case .paraphrase(let e): e.jsonValue()
        case .audio(let e): e.jsonValue()
        case .descriptor(let e): e.jsonValue()
        }
        var w: [String: JSONValue] = ["id": .string(work.id), "title": .string(work.title),
                                      "owner": .string(work.owner), "license": .string(work.license)]
        if let mediaType = work.mediaType { w["mediaType"] = .string(mediaType) }
        var m: [String: JSONValue] = [
            "work": .object(w), "modality": .string(modality.rawValue), "matcher": .string(matcher),
            "score": .double(score), "evidence": evidenceValue,
        ]
        if let isMatch { m["isMatch"] = .bool(isMatch) }
        if let location { m["location"] = location.jsonValue() }
        return .object(m)
    }

    init(_ m: Obj) throws {
        try m.keys(required: ["work", "modality", "matcher", "score", "evidence"], since2: ["isMatch"], since4: ["location"])
        location = m.has("location") ? try DocumentLocation(m.object("location")) : nil
        let w = try m.object("work")
        try w.keys(required: ["id", "title", "owner", "license"], since2: ["mediaType"])
        work = VerdictReport.Work(id: try w.string("id", nonEmpty: true), title: try w.string("title"),
                                  owner: try w.string("owner"), license: try w.string("license"),
                                  mediaType: w.has("mediaType") ? try w.string("mediaType", nonEmpty: true) : nil)
        score = try m.number("score", 0...1)
        isMatch = m.has("isMatch") ? try m.bool("isMatch") : nil
        let ev = try m.object("evidence")
        switch (try m.string("modality"), try m.string("matcher")) {
        case ("image", "pdq"): evidence = .image(try ImageEvidence(ev))
        case ("image", "local-features"): evidence = .localFeatures(try LocalFeatureEvidence(ev))
        case ("text", "text-align"): evidence = .text(try TextEvidence(ev))
        case ("text", "sentence-align") where m.version >= 3: evidence = .paraphrase(try ParaphraseEvidence(ev))
        case ("audio", "audio-landmarks") where m.version >= 5: evidence = .audio(try AudioEvidence(ev))
        case ("image", "descriptor") where m.version >= 6: evidence = .descriptor(try DescriptorEvidence(ev))
        case ("image", _), ("text", _):
            throw m.fail("matcher", "must be pdq, local-features" + (m.version >= 6 ? " or descriptor" : "") + " (image) or text-align"
                         + (m.version >= 3 ? " or sentence-align (text)" : " (text; sentence-align needs hashmark.verdict/3)"))
        case ("audio", _) where m.version >= 5:
            throw m.fail("matcher", "must be audio-landmarks (audio)")
        default:
            throw m.fail("modality", m.version >= 5 ? "must be \"image\", \"text\" or \"audio\""
                         : "must be \"image\" or \"text\" (audio needs hashmark.verdict/5)")
        }
    }
}

extension VerdictReport.Subject {
    func jsonValue() -> JSONValue {
        var m: [String: JSONValue] = ["fileName": .string(fileName), "size": .int(Int64(size)),
                                      "sha256": .string(sha256), "mediaType": .string(mediaType)]
        if let document { m["document"] = document.jsonValue() }
        if let audio { m["audio"] = audio.jsonValue() }
        return .object(m)
    }
}

extension VerdictReport.DocumentInfo {
    func jsonValue() -> JSONValue {
        var m: [String: JSONValue] = ["format": .string(format), "extractor": .string(extractor),
                                      "textBytes": .int(Int64(textBytes)), "images": .int(Int64(images)),
                                      "skippedImages": .int(Int64(skippedImages))]
        if let pages { m["pages"] = .int(Int64(pages)) }
        return .object(m)
    }

    init(_ d: Obj) throws {
        try d.keys(required: ["format", "extractor", "textBytes", "images", "skippedImages"], optional: ["pages"])
        let format = try d.string("format")
        guard ["pdf", "epub", "docx", "odt"].contains(format) else { throw d.fail("format", "must be pdf, epub, docx or odt") }
        self.init(format: format, extractor: try d.string("extractor", nonEmpty: true),
                  textBytes: try d.int("textBytes", 0...Int.max), pages: d.has("pages") ? try d.int("pages", 0...Int.max) : nil,
                  images: try d.int("images", 0...Int.max), skippedImages: try d.int("skippedImages", 0...Int.max))
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
    /// The report's schema version (1–9): members added in `/2` are refused in `/1`,
    /// `sentence-align` evidence before `/3`, document members before `/4`, audio before `/5`,
    /// `descriptor` evidence before `/6`, `workBackground` before `/7`, the matched area before
    /// `/8`, ignore-elements before `/9`.
    let version: Int

    init(_ value: JSONValue?, _ path: String, version: Int = 2) throws {
        guard case .object(let members)? = value else { throw ReportError(.schema, "\(path): expected an object") }
        self.members = members
        self.path = path
        self.version = version
    }

    func fail(_ key: String, _ message: String) -> ReportError {
        ReportError(.schema, "\(path).\(key): \(message)")
    }

    func has(_ key: String) -> Bool { members[key] != nil }

    /// An image evidence's optional `workBackground` (`/7`): `"black"` or `"grey"`, or nil when absent.
    func workBackground() throws -> String? {
        guard has("workBackground") else { return nil }
        let value = try string("workBackground")
        guard ["black", "grey"].contains(value) else { throw fail("workBackground", "must be \"black\" or \"grey\"") }
        return value
    }

    /// `since2` … `since9`: optional members that schema `/2`, `/4`, `/5`, `/7`, `/8` and `/9` added.
    func keys(required: [String], optional: [String] = [], since2: [String] = [], since4: [String] = [],
              since5: [String] = [], since7: [String] = [], since8: [String] = [], since9: [String] = []) throws {
        for key in required where members[key] == nil { throw fail(key, "is required") }
        let allowed = Set(required + optional + (version >= 2 ? since2 : []) + (version >= 4 ? since4 : [])
                          + (version >= 5 ? since5 : []) + (version >= 7 ? since7 : []) + (version >= 8 ? since8 : [])
                          + (version >= 9 ? since9 : []))
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

    func object(_ key: String) throws -> Obj { try Obj(members[key], "\(path).\(key)", version: version) }

    func array(_ key: String) throws -> [JSONValue] {
        guard case .array(let items)? = members[key] else { throw fail(key, "expected an array") }
        return items
    }
}
