// The evidence of one match, by matcher: each type with its JSON form, so that adding a field
// touches this file, the schema (Schemas/), the HTML view and the golden report, nothing else.
// Members added in `/2` are optional and rejected in `/1` reports (`Obj.keys(since2:)`).

/// PDQ evidence: the dihedral-aware Hamming distance between the submission's and the work's hash.
public struct ImageEvidence: Sendable, Equatable {
    /// The eight symmetries of the square: the edit that turns the work into the submission.
    /// `rot90`/`rot180`/`rot270` rotate clockwise; `flipH` mirrors left–right, `flipV` top–bottom;
    /// `transpose` mirrors along the main diagonal, `transverse` along the anti-diagonal.
    public enum Dihedral: String, Sendable, CaseIterable {
        case identity, rot90, rot180, rot270, flipH, flipV, transpose, transverse

        /// The edit named by dihedral hash `variant` in `pdqhash.compute_dihedral` order (original,
        /// rotated 90° counter-clockwise, 180°, 90° clockwise, mirrored top–bottom, left–right,
        /// transposed, transversed): the submission is the work with the inverse applied.
        public init(pdqVariant variant: Int) {
            let order: [Dihedral] = [.identity, .rot90, .rot180, .rot270, .flipV, .flipH, .transpose, .transverse]
            self = order[variant & 7]
        }
    }

    /// Hamming distance (0–256) between the submitted hash and the work's hash.
    public var pdqDistance: Int
    /// PDQ quality (0–100) of the submitted image's hash.
    public var quality: Int
    /// PDQ quality of the work's hash (`/2`).
    public var workQuality: Int?
    /// The largest distance that counts as a match for this matcher.
    public var threshold: Int
    /// The symmetry (and colour inversion) under which the best distance was found.
    public var transform: Dihedral
    public var inverted: Bool
    /// Matched rectangle in both images, in pixels of each image, when known.
    public var region: RegionPair?
    /// `"black"` or `"grey"` when the work's hash that matched is of the transparent work
    /// composited over that background (`/7`); absent: the work as its file shows it, transparent
    /// pixels over white.
    public var workBackground: String?

    public init(pdqDistance: Int, quality: Int, workQuality: Int? = nil, threshold: Int, transform: Dihedral,
                inverted: Bool, region: RegionPair? = nil, workBackground: String? = nil) {
        self.pdqDistance = pdqDistance; self.quality = quality; self.workQuality = workQuality
        self.threshold = threshold; self.transform = transform; self.inverted = inverted; self.region = region
        self.workBackground = workBackground
    }

    public struct Rect: Sendable, Equatable {
        public var x: Int, y: Int, width: Int, height: Int
        public init(x: Int, y: Int, width: Int, height: Int) {
            self.x = x; self.y = y; self.width = width; self.height = height
        }
    }

    public struct RegionPair: Sendable, Equatable {
        public var submitted: Rect
        public var source: Rect
        public init(submitted: Rect, source: Rect) { self.submitted = submitted; self.source = source }
    }
}

/// Keypoint (local-feature) evidence: RANSAC-verified correspondences and the recovered geometry.
public struct LocalFeatureEvidence: Sendable, Equatable {
    /// Correspondences consistent with one affine transform.
    public var inliers: Int
    /// Ratio-tested correspondences offered to RANSAC.
    public var tentativeMatches: Int
    /// The fewest inliers that count as a match.
    public var threshold: Int
    /// Scale and clockwise rotation of the copy relative to the work, when a model was found.
    public var scale: Double?
    public var rotationDegrees: Double?
    /// The copy is mirrored (matched through mirrored descriptors).
    public var mirrored: Bool
    /// The matched rectangle in both images, in pixels of each image.
    public var region: ImageEvidence.RegionPair?
    /// `"black"` or `"grey"` when the keypoints that matched are of the transparent work over that
    /// background (`/7`).
    public var workBackground: String?
    /// The share (0…1) of the work's keypoint extent (the bounding box of all its keypoints: where
    /// its detail is) that the bounding box of its matched keypoints covers (`/8`): a copy spans
    /// most of it, a logo or emblem that the submission merely shares with the work a few per cent.
    public var matchedWorkArea: Double?
    /// The least `matchedWorkArea` that counts as a match on its own (`/8`).
    public var minMatchedWorkArea: Double?
    /// Of `inliers`, those on a registered ignore-element that the submission shows (a logo, a
    /// watermark): they do not count towards `threshold` or `matchedWorkArea` (`/9`; present only
    /// when some inlier lies on one).
    public var elementInliers: Int?
    /// The ids of those ignore-elements, sorted (`/9`, with `elementInliers`).
    public var ignoredElements: [String]?

    public init(inliers: Int, tentativeMatches: Int, threshold: Int, scale: Double?, rotationDegrees: Double?,
                mirrored: Bool, region: ImageEvidence.RegionPair?, workBackground: String? = nil,
                matchedWorkArea: Double? = nil, minMatchedWorkArea: Double? = nil,
                elementInliers: Int? = nil, ignoredElements: [String]? = nil) {
        self.inliers = inliers; self.tentativeMatches = tentativeMatches; self.threshold = threshold
        self.scale = scale; self.rotationDegrees = rotationDegrees; self.mirrored = mirrored; self.region = region
        self.workBackground = workBackground
        self.matchedWorkArea = matchedWorkArea; self.minMatchedWorkArea = minMatchedWorkArea
        self.elementInliers = elementInliers; self.ignoredElements = ignoredElements
    }

    /// The inliers that count: those not on an ignore-element.
    public var countedInliers: Int { inliers - (elementInliers ?? 0) }
}

/// Aligned-passage text evidence. Offsets and lengths are UTF-8 bytes of each document's
/// extracted plain text (after HTML/Markdown stripping).
public struct TextEvidence: Sendable, Equatable {
    public struct Range: Sendable, Equatable {
        public var offset: Int, length: Int
        /// In a submitted document (`/4`): where the range starts, and where it ends when that is
        /// another page, chapter or paragraph.
        public var location: DocumentLocation?
        public var endLocation: DocumentLocation?
        public init(offset: Int, length: Int, location: DocumentLocation? = nil, endLocation: DocumentLocation? = nil) {
            self.offset = offset; self.length = length; self.location = location; self.endLocation = endLocation
        }
    }

    /// One aligned passage.
    public struct Span: Sendable, Equatable {
        public var submitted: Range
        public var source: Range
        public var alignedWords: Int
        /// Identical words and the longest run of them inside this passage (`/2`).
        public var matchedWords: Int?
        public var longestRun: Int?
        /// Short excerpts (at most ~300 bytes each, cut at character boundaries) so the report
        /// stands alone.
        public var submittedExcerpt: String
        public var sourceExcerpt: String
        public init(submitted: Range, source: Range, alignedWords: Int, matchedWords: Int? = nil,
                    longestRun: Int? = nil, submittedExcerpt: String, sourceExcerpt: String) {
            self.submitted = submitted; self.source = source; self.alignedWords = alignedWords
            self.matchedWords = matchedWords; self.longestRun = longestRun
            self.submittedExcerpt = submittedExcerpt; self.sourceExcerpt = sourceExcerpt
        }
    }

    public var spans: [Span]
    /// Words of the work spanned by the aligned passages, summed.
    public var alignedWords: Int
    /// Identical words inside the aligned spans.
    public var matchedWords: Int?
    /// `matchedWords / alignedWords` (0–1): how much of the aligned source passage survived
    /// verbatim (1 for a verbatim copy, about 0.7 at 30 % word substitution).
    public var coverage: Double
    /// Longest run of consecutive identical words.
    public var longestRun: Int
    /// Words in the whole work, for context (`/2`).
    public var workWords: Int?

    public init(spans: [Span], alignedWords: Int, matchedWords: Int? = nil, coverage: Double, longestRun: Int,
                workWords: Int? = nil) {
        self.spans = spans; self.alignedWords = alignedWords; self.matchedWords = matchedWords
        self.coverage = coverage; self.longestRun = longestRun; self.workWords = workWords
    }
}

// MARK: - JSON

extension ImageEvidence {
    func jsonValue() -> JSONValue {
        var m: [String: JSONValue] = [
            "pdqDistance": .int(Int64(pdqDistance)), "quality": .int(Int64(quality)),
            "threshold": .int(Int64(threshold)),
            "transform": .object(["name": .string(transform.rawValue), "inverted": .bool(inverted)]),
        ]
        if let workQuality { m["workQuality"] = .int(Int64(workQuality)) }
        if let region { m["region"] = region.jsonValue() }
        if let workBackground { m["workBackground"] = .string(workBackground) }
        return .object(m)
    }

    init(_ ev: Obj) throws {
        try ev.keys(required: ["pdqDistance", "quality", "threshold", "transform"], optional: ["region"],
                    since2: ["workQuality"], since7: ["workBackground"])
        let t = try ev.object("transform")
        try t.keys(required: ["name", "inverted"])
        guard let name = Dihedral(rawValue: try t.string("name")) else {
            throw t.fail("name", "must be a dihedral name (identity, rot90, …, transverse)")
        }
        self.init(pdqDistance: try ev.int("pdqDistance", 0...256), quality: try ev.int("quality", 0...100),
                  workQuality: ev.has("workQuality") ? try ev.int("workQuality", 0...100) : nil,
                  threshold: try ev.int("threshold", 0...256), transform: name, inverted: try t.bool("inverted"),
                  region: ev.has("region") ? try RegionPair(ev.object("region")) : nil,
                  workBackground: try ev.workBackground())
    }
}

extension LocalFeatureEvidence {
    func jsonValue() -> JSONValue {
        var m: [String: JSONValue] = [
            "inliers": .int(Int64(inliers)), "tentativeMatches": .int(Int64(tentativeMatches)),
            "threshold": .int(Int64(threshold)), "mirrored": .bool(mirrored),
        ]
        if let scale { m["scale"] = .double(scale) }
        if let rotationDegrees { m["rotationDegrees"] = .double(rotationDegrees) }
        if let region { m["region"] = region.jsonValue() }
        if let workBackground { m["workBackground"] = .string(workBackground) }
        if let matchedWorkArea { m["matchedWorkArea"] = .double(matchedWorkArea) }
        if let minMatchedWorkArea { m["minMatchedWorkArea"] = .double(minMatchedWorkArea) }
        if let elementInliers { m["elementInliers"] = .int(Int64(elementInliers)) }
        if let ignoredElements { m["ignoredElements"] = .array(ignoredElements.map { .string($0) }) }
        return .object(m)
    }

    init(_ ev: Obj) throws {
        try ev.keys(required: ["inliers", "tentativeMatches", "threshold", "mirrored"],
                    optional: ["scale", "rotationDegrees", "region"], since7: ["workBackground"],
                    since8: ["matchedWorkArea", "minMatchedWorkArea"], since9: ["elementInliers", "ignoredElements"])
        let inliers = try ev.int("inliers", 0...Int.max)
        guard ev.has("elementInliers") == ev.has("ignoredElements") else {
            throw ev.fail("elementInliers", "and ignoredElements come together")
        }
        self.init(inliers: inliers, tentativeMatches: try ev.int("tentativeMatches", 0...Int.max),
                  threshold: try ev.int("threshold", 0...Int.max),
                  scale: ev.has("scale") ? try ev.number("scale", 0...1e6) : nil,
                  rotationDegrees: ev.has("rotationDegrees") ? try ev.number("rotationDegrees", -360...360) : nil,
                  mirrored: try ev.bool("mirrored"),
                  region: ev.has("region") ? try ImageEvidence.RegionPair(ev.object("region")) : nil,
                  workBackground: try ev.workBackground(),
                  matchedWorkArea: ev.has("matchedWorkArea") ? try ev.number("matchedWorkArea", 0...1) : nil,
                  minMatchedWorkArea: ev.has("minMatchedWorkArea") ? try ev.number("minMatchedWorkArea", 0...1) : nil,
                  elementInliers: ev.has("elementInliers") ? try ev.int("elementInliers", 1...inliers) : nil,
                  ignoredElements: ev.has("ignoredElements") ? try ev.array("ignoredElements").enumerated().map { i, item in
                      guard case .string(let id) = item, !id.isEmpty else { throw ev.fail("ignoredElements[\(i)]", "expected a non-empty string") }
                      return id
                  } : nil)
        if let ids = ignoredElements, ids.isEmpty || ids != ids.sorted() || Set(ids).count != ids.count {
            throw ev.fail("ignoredElements", "must be non-empty, sorted and without repeats")
        }
    }
}

extension TextEvidence {
    func jsonValue() -> JSONValue {
        var m: [String: JSONValue] = [
            "spans": .array(spans.map { $0.jsonValue() }),
            "alignedWords": .int(Int64(alignedWords)), "coverage": .double(coverage),
            "longestRun": .int(Int64(longestRun)),
        ]
        if let matchedWords { m["matchedWords"] = .int(Int64(matchedWords)) }
        if let workWords { m["workWords"] = .int(Int64(workWords)) }
        return .object(m)
    }

    init(_ ev: Obj) throws {
        try ev.keys(required: ["spans", "alignedWords", "coverage", "longestRun"], optional: ["matchedWords"],
                    since2: ["workWords"])
        let spans = try ev.array("spans").enumerated().map { index, item in
            try Span(Obj(item, "\(ev.path).spans[\(index)]", version: ev.version))
        }
        guard !spans.isEmpty else { throw ev.fail("spans", "must not be empty") }
        self.init(spans: spans, alignedWords: try ev.int("alignedWords", 0...Int.max),
                  matchedWords: ev.has("matchedWords") ? try ev.int("matchedWords", 0...Int.max) : nil,
                  coverage: try ev.number("coverage", 0...1), longestRun: try ev.int("longestRun", 0...Int.max),
                  workWords: ev.has("workWords") ? try ev.int("workWords", 0...Int.max) : nil)
    }
}

extension TextEvidence.Span {
    func jsonValue() -> JSONValue {
        var m: [String: JSONValue] = [
            "submitted": submitted.jsonValue(), "source": source.jsonValue(),
            "alignedWords": .int(Int64(alignedWords)),
            "submittedExcerpt": .string(submittedExcerpt), "sourceExcerpt": .string(sourceExcerpt),
        ]
        if let matchedWords { m["matchedWords"] = .int(Int64(matchedWords)) }
        if let longestRun { m["longestRun"] = .int(Int64(longestRun)) }
        return .object(m)
    }

    init(_ s: Obj) throws {
        try s.keys(required: ["submitted", "source", "alignedWords", "submittedExcerpt", "sourceExcerpt"],
                   since2: ["matchedWords", "longestRun"])
        self.init(submitted: try .init(s.object("submitted")), source: try .init(s.object("source")),
                  alignedWords: try s.int("alignedWords", 0...Int.max),
                  matchedWords: s.has("matchedWords") ? try s.int("matchedWords", 0...Int.max) : nil,
                  longestRun: s.has("longestRun") ? try s.int("longestRun", 0...Int.max) : nil,
                  submittedExcerpt: try s.string("submittedExcerpt"), sourceExcerpt: try s.string("sourceExcerpt"))
    }
}

extension ImageEvidence.RegionPair {
    func jsonValue() -> JSONValue { .object(["submitted": submitted.jsonValue(), "source": source.jsonValue()]) }
    init(_ r: Obj) throws {
        try r.keys(required: ["submitted", "source"])
        self.init(submitted: try .init(r.object("submitted")), source: try .init(r.object("source")))
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
    func jsonValue() -> JSONValue {
        var m: [String: JSONValue] = ["offset": .int(Int64(offset)), "length": .int(Int64(length))]
        if let location { m["location"] = location.jsonValue() }
        if let endLocation { m["endLocation"] = endLocation.jsonValue() }
        return .object(m)
    }
    init(_ o: Obj) throws {
        try o.keys(required: ["offset", "length"], since4: ["location", "endLocation"])
        self.init(offset: try o.int("offset", 0...Int.max), length: try o.int("length", 0...Int.max),
                  location: o.has("location") ? try DocumentLocation(o.object("location")) : nil,
                  endLocation: o.has("endLocation") ? try DocumentLocation(o.object("endLocation")) : nil)
    }
}
