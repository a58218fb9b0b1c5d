import Foundation
import HashmarkFingerprint
import HashmarkMedia
import HashmarkTransforms

/// Turns case plans into the bytes a submitter would upload, with Hashmark's own code only.
///
/// Images are delivered as JPEG q95 (how edited images are published; JPEG-quality cases are
/// re-encoded once more on top of their own quality). Texts: a passage of the work, edited, then
/// embedded between passages of unrelated held-out text; `excerpt` cases embed themselves.
/// Recordings: decoded at `audioRate`, edited, delivered as 16-bit WAV (re-encodings as their MP3
/// or Ogg bytes).
public enum Materialiser {
    public static let deliveryQuality = 95
    /// Words of the work taken for edits that rewrite a passage.
    public static let passageWords = 300
    /// Words of filler around an edited passage, on each side.
    public static let fillerWords = 60

    /// The JPEG round trip the transforms use for `.jpeg` steps.
    public static func recompress(_ image: RGBImage, _ quality: Int) throws -> RGBImage {
        try ImageDecoder.decode(try JPEGEncoder.encode(image, quality: quality)).image
    }

    /// A transformed image's bytes; `.original` returns `originalBytes`. `photo`: the filler
    /// image of a transparent work's photo cases, or the work a shared element comes from.
    public static func image(_ plan: CasePlan, source: DecodedImage, photo: RGBImage? = nil,
                             originalBytes: [UInt8]) throws -> [UInt8] {
        switch plan.operation {
        case .original: return originalBytes
        case .image(let t):
            var rng = SeededGenerator(seed: plan.seed)
            let out = try t.apply(to: source.image, rng: &rng, recompress: recompress).image
            return try JPEGEncoder.encode(out, quality: deliveryQuality)
        case .transparent(let paste):
            guard let out = try paste.apply(source, photo: photo) else {
                throw EvalError(code: "cases-invalid", message: "\(plan.id): no photo to paste the work on")
            }
            return try JPEGEncoder.encode(out, quality: deliveryQuality)
        case .sharedElement(let element):
            guard let photo else {
                throw EvalError(code: "cases-invalid", message: "\(plan.id): no registered work to share an element with")
            }
            var rng = SeededGenerator(seed: plan.seed)
            return try JPEGEncoder.encode(try element.apply(to: source.image, work: photo, rng: &rng), quality: deliveryQuality)
        case .document(let format, let inner):
            var plain = plan
            plain.operation = inner
            return try DocumentCases.wrap(imageJPEG: try image(plain, source: source, photo: photo, originalBytes: originalBytes),
                                          format: format)
        case .text, .fixture, .audio: throw EvalError(code: "cases-invalid", message: "\(plan.id): not an image case")
        }
    }

    /// A transformed text's bytes (UTF-8); `.original` returns the source text.
    public static func text(_ plan: CasePlan, source: String, filler: String) throws -> [UInt8] {
        switch plan.operation {
        case .original: return Array(source.utf8)
        case .text(let t):
            var rng = SeededGenerator(seed: plan.seed)
            if containsExcerpt(t) {
                return Array(try t.apply(source: source, filler: filler, rng: &rng).text.utf8)
            }
            let words = source.split(whereSeparator: \.isWhitespace)
            let start = words.count > passageWords ? rng.nextInt(below: words.count - passageWords) : 0
            let passage = words[start..<min(words.count, start + passageWords)].joined(separator: " ")
            let edited = try t.apply(source: passage, filler: filler, rng: &rng).text
            return embed(edited, filler: filler)
        case .fixture(let path):
            guard let data = FileManager.default.contents(atPath: path), let passage = String(data: data, encoding: .utf8) else {
                throw EvalError(code: "cases-invalid", message: "\(plan.id): cannot read \(path)")
            }
            return embed(passage.trimmingCharacters(in: .whitespacesAndNewlines), filler: filler)
        case .document(let format, let inner):
            var plain = plan
            plain.operation = inner
            let bytes = try text(plain, source: source, filler: filler)
            return try DocumentCases.wrap(text: String(decoding: bytes, as: UTF8.self), image: nil, format: format)
        case .image, .audio, .transparent, .sharedElement:
            throw EvalError(code: "cases-invalid", message: "\(plan.id): not a text case")
        }
    }

    /// The rate recordings are decoded at for edits (what the edited file is delivered at).
    public static let audioRate = 22_050

    /// An edited recording's bytes (`AudioEdit.deliver`); `.original` returns `originalBytes`.
    /// `source` and `other` are mono at `audioRate`.
    public static func audio(_ plan: CasePlan, source: [Float], other: [Float], originalBytes: [UInt8]) throws -> [UInt8] {
        switch plan.operation {
        case .original: return originalBytes
        case .audio(let edit):
            var rng = SeededGenerator(seed: plan.seed)
            return try edit.deliver(source, rate: audioRate, other: other, rng: &rng)
        default: throw EvalError(code: "cases-invalid", message: "\(plan.id): not an audio case")
        }
    }

    /// `passage` between `fillerWords` words of `filler` and the next `fillerWords`.
    static func embed(_ passage: String, filler: String) -> [UInt8] {
        let fill = filler.split(whereSeparator: \.isWhitespace)
        let before = fill.prefix(fillerWords).joined(separator: " ")
        let after = fill.dropFirst(fillerWords).prefix(fillerWords).joined(separator: " ")
        return Array([before, passage, after].filter { !$0.isEmpty }.joined(separator: "\n\n").utf8)
    }

    static func containsExcerpt(_ t: TextTransform) -> Bool {
        switch t {
        case .excerpt: true
        case .pipeline(let steps): steps.contains(where: containsExcerpt)
        default: false
        }
    }

    /// The file name a case is checked under (its extension tells nothing to the engine, which
    /// sniffs content, but keeps reports readable).
    public static func fileName(_ plan: CasePlan) -> String {
        let safe = plan.id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
        if case .original = plan.operation {
            return String(safe) + "." + (plan.source.path.split(separator: ".").last.map(String.init) ?? "bin")
        }
        if case .document(let format, _) = plan.operation { return String(safe) + "." + format }
        if case .audio(let edit) = plan.operation {
            if case .reencode(let format, _) = edit { return String(safe) + "." + (format == .mp3 ? "mp3" : "ogg") }
            return String(safe) + ".wav"
        }
        return String(safe) + (plan.modality == .image ? ".jpg" : ".txt")
    }
}
