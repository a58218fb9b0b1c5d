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
    var previousEnd: UInt32 = 0
    for k in 0..<n.wordCount {
        let s = n.wordStarts[k], e = n.wordEnds[k]
        invariant(previousEnd <= s && s < e && Int(e) <= size, "word \(k) spans \(s)..<\(e) after \(previousEnd)")
        previousEnd = e
    }
    if let valid {
        invariant(TextNormalizer.normalize(valid) == n, "String and UTF-8 bytes normalise differently")
    }
    return 0
}
