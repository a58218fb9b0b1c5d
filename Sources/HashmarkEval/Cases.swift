import HashmarkTransforms

public enum CaseLabel: String, Sendable, Codable {
    case positive, negative
}

public enum Split: String, Sendable, Codable {
    case train, test
}

/// The edit a generated case applies to its source work.
public enum CaseOperation: Sendable, Hashable, Codable {
    /// The file as it is (unrelated originals among the negatives).
    case original
    case image(ImageTransform)
    case text(TextTransform)
    /// A recording edited (`AudioEditSuite`); `.excerpt` and `.mix` use the case's filler.
    case audio(AudioEdit)
    /// A stored passage (a language-model rewrite, `ParaphraseFixtures`) embedded in filler.
    case fixture(path: String)
    /// Another case's file delivered inside a document (`DocumentCases`): pdf, epub, docx, odt.
    indirect case document(format: String, inner: CaseOperation)
    /// A transparent work pasted over another background (`TransparentPaste`); photo cases use
    /// the case's filler image.
    case transparent(TransparentPaste)
    /// An unrelated image with a small element of a registered work (the case's filler) pasted
    /// in (`SharedElement`): a negative.
    case sharedElement(SharedElement)
}

/// One evaluation case, described but not yet materialised (bytes are produced on demand, so a
/// run over thousands of cases keeps only a few images in memory).
public struct CasePlan: Sendable, Hashable, Codable {
    /// `<source work id>/<transform name>`, unique within a run.
    public var id: String
    public var modality: Modality
    public var label: CaseLabel
    public var split: Split
    public var source: PoolWork
    /// The registered work a positive copies; nil for negatives.
    public var expectedWork: String?
    /// Unrelated held-out text that surrounds a text passage, or the unrelated recording an
    /// audio excerpt or mix is heard in.
    public var filler: PoolWork?
    /// Images: photometric / geometric / regenerative; texts: verbatim / rewrite / obfuscation /
    /// combined; `original` for untransformed distractors.
    public var family: String
    public var kind: String
    public var transform: String
    public var strength: Double
    public var seed: UInt64
    public var operation: CaseOperation
}

public enum CaseGenerator {
    /// The text family a transform kind reports under.
    public static func textFamily(kind: String) -> String {
        switch kind {
        case "excerpt", "interleave": "verbatim"
        case "substitute", "shuffle": "rewrite"
        case "case", "homoglyph", "zerowidth", "punctuation": "obfuscation"
        case "paraphrase": "paraphrase"
        default: "combined"
        }
    }

    /// Every case of a run: each registered work through every transform of its modality
    /// (positives), each distractor through the same transforms plus as it is (negatives).
    /// Deterministic for a given split and seed.
    public static func plans(_ split: WorkSplit, seed: UInt64,
                             imageSuite: TransformSuite? = nil,
                             textSuite: TextTransformSuite? = nil) -> [CasePlan] {
        let images = imageSuite ?? .standard(seed: seed)
        let texts = textSuite ?? .standard(seed: seed)
        var out: [CasePlan] = []
        let groups: [([PoolWork], CaseLabel, Split, [PoolWork], [PoolWork])] = [
            (split.registeredTrain, .positive, .train, split.distractorTrain, split.registeredTrain),
            (split.registeredTest, .positive, .test, split.distractorTest, split.registeredTest),
            (split.distractorTrain, .negative, .train, split.distractorTrain, split.registeredTrain),
            (split.distractorTest, .negative, .test, split.distractorTest, split.registeredTest),
        ]
        for (works, label, part, fillers, registered) in groups {
            let fillerTexts = fillers.filter { $0.modality == .text }
            let fillerRecordings = fillers.filter { $0.modality == .audio }
            for work in works {
                let workSeed = SeededGenerator.derive(seed, stableHash(work.id))
                let expected = label == .positive ? work.id : nil
                func add(_ family: String, _ kind: String, _ name: String, _ strength: Double, _ caseSeed: UInt64,
                         _ op: CaseOperation, filler: PoolWork?) {
                    out.append(CasePlan(id: "\(work.id)/\(name)", modality: work.modality, label: label, split: part,
                                        source: work, expectedWork: expected, filler: filler, family: family,
                                        kind: kind, transform: name, strength: strength,
                                        seed: SeededGenerator.derive(caseSeed, stableHash(work.id)), operation: op))
                }
                if label == .negative { add("original", "original", "original", 0, workSeed, .original, filler: nil) }
                switch work.modality {
                case .image:
                    for c in images.cases {
                        add(c.family.rawValue, c.kind, c.name, c.strength, c.seed, .image(c.transform), filler: nil)
                    }
                    let wrappable = DocumentCases.wrappable(images)
                    for (i, format) in DocumentCases.formats.enumerated() where !wrappable.isEmpty {
                        let c = wrappable[Int(SeededGenerator.derive(workSeed, UInt64(i)) % UInt64(wrappable.count))]
                        add("document", format, "\(format)-\(c.name)", c.strength, c.seed,
                            .document(format: format, inner: .image(c.transform)), filler: nil)
                    }
                    // A negative sharing a small element (a logo, an emblem) with a registered
                    // opaque image of the same split.
                    let owners = registered.filter { $0.modality == .image && !$0.transparent }
                    if label == .negative, !owners.isEmpty {
                        let e = SharedElement.standard
                        add("shared-element", "shared-element", e.name, e.side * 100, SeededGenerator.derive(workSeed, 0x5E1E_0000),
                            .sharedElement(e), filler: owners[Int(workSeed % UInt64(owners.count))])
                    }
                    // A negative showing a larger element of a registered work, one its rights
                    // holder registered as an ignore-element (`RegisteredElement`).
                    if label == .negative, let owner = RegisteredElement.owner(among: registered) {
                        let e = RegisteredElement.element
                        add("registered-element", "registered-element", RegisteredElement.caseName, e.side * 100,
                            SeededGenerator.derive(workSeed, 0x5E1E_0001), .sharedElement(e), filler: owner)
                    }
                    if work.transparent {
                        // Photos from opaque held-out images of the same split, never the work itself.
                        let photos = fillers.filter { $0.modality == .image && !$0.transparent && $0.id != work.id }
                        let photo = photos.isEmpty ? nil : photos[Int(workSeed % UInt64(photos.count))]
                        for (i, paste) in TransparentPaste.allCases.enumerated() where photo != nil || !paste.needsPhoto {
                            add("transparent", "paste", paste.name, 0, SeededGenerator.derive(seed, 0x7A5E_0000 + UInt64(i)),
                                .transparent(paste), filler: paste.needsPhoto ? photo : nil)
                        }
                    }
                case .text:
                    // Filler from a held-out text of the same split, never the work itself.
                    let others = fillerTexts.filter { $0.id != work.id }
                    let filler = others.isEmpty ? nil : others[Int(workSeed % UInt64(others.count))]
                    for c in texts.cases {
                        add(textFamily(kind: c.kind), c.kind, c.name, c.strength, c.seed, .text(c.transform),
                            filler: filler)
                    }
                    let wrappable = DocumentCases.wrappable(texts)
                    for (i, format) in DocumentCases.formats.enumerated() where !wrappable.isEmpty {
                        let c = wrappable[Int(SeededGenerator.derive(workSeed, UInt64(i)) % UInt64(wrappable.count))]
                        add("document", format, "\(format)-\(c.name)", c.strength, c.seed,
                            .document(format: format, inner: .text(c.transform)), filler: filler)
                    }
                case .audio:
                    // The new track around an excerpt: a held-out recording of the same split.
                    let others = fillerRecordings.filter { $0.id != work.id }
                    let filler = others.isEmpty ? nil : others[Int(workSeed % UInt64(others.count))]
                    for (i, c) in AudioEditSuite.standard.cases.enumerated() where filler != nil || !c.edit.needsOther {
                        add(c.family, c.family, c.name, c.strength, SeededGenerator.derive(seed, 0xA0D1_0000 + UInt64(i)),
                            .audio(c.edit), filler: c.edit.needsOther ? filler : nil)
                    }
                }
            }
        }
        return out
    }

    /// FNV-1a of the UTF-8 bytes: a seed stream per work id, stable across runs and platforms.
    public static func stableHash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }
}
