import FuzzSupport

/// `TextDecoder.decode(_:format: .html)`: encodings and the HTML stripper.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    TextFuzz.run(fuzzBytes(data, size), format: .html)
    return 0
}
