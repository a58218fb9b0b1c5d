import FuzzSupport
import HashmarkFingerprint

/// `TextNormalizer.normalize(utf8:)`: the ASCII fast path equals the full reference path, word
/// spans are ordered and inside the input, invalid bytes are counted exactly when there are some.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let n = TextNormalizer.normalize(utf8: bytes)
    invariant(n == TextNormalizer.referenceNormalize(utf8: bytes), "fast path differs from the reference")
    invariant(n == TextNormalizer.normalize(utf8: UnsafeBufferPointer(start: data, count: size)),
              "Array and UnsafeBufferPointer normalise differently")
    invariant(n.byteCount == size, "byteCount \(n.byteCount) for \(size) bytes")
    invariant(n.wordStarts.count == n.wordCount && n.wordEnds.count == n.wordCount, "array lengths differ")
    invariant(n.replacedBytes >= 0 && n.replacedBytes <= size, "replacedBytes \(n.replacedBytes)")
    let valid = String(validating: bytes, as: UTF8.self)
    invariant((n.replacedBytes == 0) == (valid != nil), "replacedBytes \(n.replacedBytes), valid UTF-8: \(valid != nil)")
    // Spans are ordered but may overlap: one scalar can fold to several words ("¼" is NFKD
    // "1⁄4": words "1" and "4", both spanning the two bytes of "¼").
    var previousStart: UInt32 = 0, previousEnd: UInt32 = 0
    for k in 0..<n.wordCount {
        let s = n.wordStarts[k], e = n.wordEnds[k]
        invariant(previousStart <= s && previousEnd <= e && s < e && Int(e) <= size,
                  "word \(k) spans \(s)..<\(e) after \(previousStart)..<\(previousEnd)")
        previousStart = s
        previousEnd = e
    }
    if let valid {
        invariant(TextNormalizer.normalize(valid) == n, "String and UTF-8 bytes normalise differently")
    }
    return 0
}
