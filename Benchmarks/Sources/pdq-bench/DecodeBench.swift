import HashmarkEngine
import HashmarkFingerprint
import HashmarkMedia

/// Fast-path strategies compared: DCT-scaled JPEG decoding to at least this shorter side
/// (`nil`: full size), then `PDQ.fastHash` of the small image as it is ("plain") or with the
/// full image's sampling geometry (`PDQ.fastHash(_:reducedFrom:)`, "geo").
let candidates: [(side: Int?, geometry: Bool)] = [(nil, false), (1024, false), (512, false), (256, false),
                                                  (512, true), (384, true), (320, true), (256, true), (128, true)]

func label(_ c: (side: Int?, geometry: Bool)) -> String {
    (c.side.map(String.init) ?? "none") + (c.geometry ? " geo" : "")
}

/// The exact reference point: full-size decode, `PDQ.hash`.
func exactHash(_ bytes: [UInt8]) throws -> (PDQHash, DecodedImage) {
    let decoded = try ImageDecoder.decode(bytes)
    return (PDQ.hash(decoded.image), decoded)
}

func candidateHash(_ bytes: [UInt8], minimumSide: Int?, geometry: Bool) throws -> (PDQHash, DecodedImage) {
    let decoded = try ImageDecoder.decode(bytes, minimumSide: minimumSide)
    guard geometry else { return (PDQ.fastHash(decoded.image).hash, decoded) }
    let reduction = PDQReduction(originalWidth: decoded.originalWidth, originalHeight: decoded.originalHeight,
                                 scale: decoded.scaleDenominator, exifOrientation: decoded.exifOrientation)
    return (PDQ.fastHash(decoded.image, reducedFrom: reduction).hash, decoded)
}

func pdqHash(of content: FileContent) -> PDQHash? {
    if case .image(let fingerprint) = content { return fingerprint.pdq }
    return nil
}

/// End to end, as `hashmark hash` runs it: read the file, `Fingerprinter.analyse` (default path
/// and `--exact`), plus each candidate strategy, all timed per file on one thread.
func decodeBench(_ path: String, reps: Int) throws -> [String: Any] {
    let limit = ImageLimits().maxFileBytes
    var defaultHash: PDQHash?, exactDihedralHash: PDQHash?
    let defaultMs = try medianMilliseconds(reps: reps) {
        let bytes = try MediaFile.read(path, maxBytes: limit)
        defaultHash = pdqHash(of: try Fingerprinter.analyse(bytes, fileName: path))
    }
    let exactMs = try medianMilliseconds(reps: reps) {
        let bytes = try MediaFile.read(path, maxBytes: limit)
        exactDihedralHash = pdqHash(of: try Fingerprinter.analyse(bytes, fileName: path, exact: true))
    }
    let bytes = try MediaFile.read(path, maxBytes: limit)
    let (exact, full) = try exactHash(bytes)
    let decodeFullMs = try medianMilliseconds(reps: reps) { _ = try ImageDecoder.decode(bytes) }
    var results: [[String: Any]] = []
    for c in candidates {
        var hash = PDQHash(hash: .zero, quality: 0)
        var decoded = full
        let ms = try medianMilliseconds(reps: reps) {
            (hash, decoded) = try candidateHash(bytes, minimumSide: c.side, geometry: c.geometry)
        }
        results.append(["minimumSide": label(c), "ms": ms, "distance": hash.hash.distance(to: exact.hash),
                           "decodedWidth": decoded.image.width, "decodedHeight": decoded.image.height])
    }
    guard let d = defaultHash, let e = exactDihedralHash else { throw BenchError(description: "\(path): not an image") }
    return [
        "file": path, "width": full.image.width, "height": full.image.height, "bytes": bytes.count,
        "defaultMs": defaultMs, "exactMs": exactMs, "decodeFullMs": decodeFullMs,
        "default": d.hash.hex, "exact": e.hash.hex, "quality": e.quality, "exactPlainHash": exact.hash.hex,
        "defaultDistance": d.hash.distance(to: exact.hash), "candidates": results,
    ]
}

/// Distances only (no timing): each candidate strategy's hash against the exact hash.
func survey(_ path: String) throws -> [String: Any] {
    let bytes = try MediaFile.read(path, maxBytes: ImageLimits().maxFileBytes)
    let (exact, full) = try exactHash(bytes)
    var distances: [String: Int] = [:]
    for c in candidates {
        distances[label(c)] = try candidateHash(bytes, minimumSide: c.side, geometry: c.geometry).0.hash
            .distance(to: exact.hash)
    }
    let fingerprint = pdqHash(of: try Fingerprinter.analyse(bytes, fileName: path))
    return ["file": path, "width": full.image.width, "height": full.image.height, "quality": exact.quality,
            "distances": distances, "defaultDistance": fingerprint.map { $0.hash.distance(to: exact.hash) } ?? -1]
}
