import FuzzSupport

/// `TextDecoder.decode(_:format: .plain)`: encodings.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    TextFuzz.run(fuzzBytes(data, size), format: .plain)
    return 0
}
