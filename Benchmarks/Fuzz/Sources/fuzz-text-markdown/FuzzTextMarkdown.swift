import FuzzSupport

/// `TextDecoder.decode(_:format: .markdown)`: encodings and the Markdown stripper.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    TextFuzz.run(fuzzBytes(data, size), format: .markdown)
    return 0
}
