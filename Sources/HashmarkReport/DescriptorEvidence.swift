/// Learned-descriptor evidence (`descriptor`, schema `/6`): how close the submission and the work
/// are in the embedding space of a named model, which catches re-renderings (painterly, sketched,
/// recoloured, redrawn copies) that change every pixel statistic PDQ and keypoints rely on.
///
/// A reader recomputes it with the model named by `model` and `modelSha256` (the SHA-256 of its
/// `weights.bin`): both images resized to the model's input, embedded, and the dot product of the
/// two unit vectors taken; `similarity` is that cosine less `backgroundCosine`, the submission's
/// k-th highest cosine with the model's set of unrelated images (`background.bin`), so that a
/// submission resembling everything (a sketch, a flat render) needs a closer match.
public struct DescriptorEvidence: Sendable, Equatable {
    /// Cosine similarity of the two descriptors, in [−1, 1].
    public var cosine: Double
    /// The submission's k-th highest cosine with the model's background images (absent when the
    /// model has none: `similarity` is then the cosine).
    public var backgroundCosine: Double?
    /// `cosine − backgroundCosine`: what the threshold applies to.
    public var similarity: Double
    /// The lowest similarity that counts as a match.
    public var threshold: Double
    /// The best cosine between the submission and any other registered work: how far this work
    /// stands out from the rest of the corpus (absent when the corpus has no other work).
    public var nextBestCosine: Double?
    /// The model id (`model.json`'s `model`).
    public var model: String
    /// SHA-256 of the model's `weights.bin`.
    public var modelSha256: String
    /// `"black"` or `"grey"` when the work's descriptor that matched is of the transparent work
    /// over that background (`/7`).
    public var workBackground: String?

    public init(cosine: Double, backgroundCosine: Double? = nil, threshold: Double, nextBestCosine: Double? = nil,
                model: String, modelSha256: String, workBackground: String? = nil) {
        self.cosine = cosine; self.backgroundCosine = backgroundCosine
        self.similarity = cosine - (backgroundCosine ?? 0)
        self.threshold = threshold; self.nextBestCosine = nextBestCosine
        self.model = model; self.modelSha256 = modelSha256; self.workBackground = workBackground
    }
}

// MARK: - JSON (schema `/6` and later)

extension DescriptorEvidence {
    func jsonValue() -> JSONValue {
        var m: [String: JSONValue] = ["cosine": .double(cosine), "similarity": .double(similarity),
                                      "threshold": .double(threshold), "model": .string(model), "modelSha256": .string(modelSha256)]
        if let backgroundCosine { m["backgroundCosine"] = .double(backgroundCosine) }
        if let nextBestCosine { m["nextBestCosine"] = .double(nextBestCosine) }
        if let workBackground { m["workBackground"] = .string(workBackground) }
        return .object(m)
    }

    init(_ ev: Obj) throws {
        guard ev.version >= 6 else { throw ReportError(.schema, "\(ev.path): descriptor evidence needs hashmark.verdict/6") }
        try ev.keys(required: ["cosine", "similarity", "threshold", "model", "modelSha256"],
                    optional: ["backgroundCosine", "nextBestCosine"], since7: ["workBackground"])
        self.init(cosine: try ev.number("cosine", -1.0001...1.0001),
                  backgroundCosine: ev.has("backgroundCosine") ? try ev.number("backgroundCosine", -1.0001...1.0001) : nil,
                  threshold: try ev.number("threshold", -2...2),
                  nextBestCosine: ev.has("nextBestCosine") ? try ev.number("nextBestCosine", -1.0001...1.0001) : nil,
                  model: try ev.string("model", nonEmpty: true), modelSha256: try ev.hash("modelSha256"),
                  workBackground: try ev.workBackground())
        let stated = try ev.number("similarity", -2.0002...2.0002)
        guard abs(stated - similarity) <= 1e-6 else { throw ev.fail("similarity", "must equal cosine - backgroundCosine") }
        similarity = stated
    }
}
