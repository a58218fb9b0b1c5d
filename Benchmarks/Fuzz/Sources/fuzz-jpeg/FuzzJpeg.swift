import FuzzSupport
import HashmarkMedia

/// JPEG inputs only (anything else returns at once) through `ImageDecoder.decode`, also decoded
/// at a reduced DCT scale and checked against the full decode.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    ImageFuzz.run(fuzzBytes(data, size), only: .jpeg, scaledCheck: true)
    return 0
}
