import FuzzSupport
import HashmarkMedia

/// JPEG inputs only (anything else is rejected at once: -1 keeps it out of the corpus) through `ImageDecoder.decode`, also decoded
/// at a reduced DCT scale and checked against the full decode.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    return ImageFuzz.run(fuzzBytes(data, size), only: .jpeg, scaledCheck: true)
}
