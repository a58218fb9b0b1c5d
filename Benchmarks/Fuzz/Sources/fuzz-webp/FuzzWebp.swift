import FuzzSupport
import HashmarkMedia

/// WEBP inputs only (anything else is rejected at once: -1 keeps it out of the corpus) through `ImageDecoder.decode`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    return ImageFuzz.run(fuzzBytes(data, size), only: .webp)
}
