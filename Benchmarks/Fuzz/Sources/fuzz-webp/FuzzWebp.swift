import FuzzSupport
import HashmarkMedia

/// WEBP inputs only (anything else returns at once) through `ImageDecoder.decode`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    ImageFuzz.run(fuzzBytes(data, size), only: .webp)
    return 0
}
