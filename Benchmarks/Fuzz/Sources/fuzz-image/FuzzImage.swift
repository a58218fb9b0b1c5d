import FuzzSupport

/// Any bytes through `ImageDecoder.decode` (sniffing, dispatch, every decoder, EXIF orientation).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    return ImageFuzz.run(fuzzBytes(data, size))
}
