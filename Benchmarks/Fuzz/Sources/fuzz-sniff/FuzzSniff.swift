import FuzzSupport
import HashmarkMedia

/// `MediaType.sniff`: any collection type gives the same answer, and the file name only turns
/// text into Markdown.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let type = MediaType.sniff(bytes, fileName: nil)
    invariant(type == MediaType.sniff(UnsafeBufferPointer(start: data, count: size), fileName: nil),
              "Array and UnsafeBufferPointer sniff differently")
    invariant(type == MediaType.sniff(bytes[...], fileName: nil), "Array and ArraySlice sniff differently")
    invariant(type != .markdown, "Markdown without a file name")
    invariant(type == MediaType.sniff(bytes, fileName: "notes.txt"), "a .txt name changed the type")
    let markdown = MediaType.sniff(bytes, fileName: "notes.md")
    invariant(markdown == (type == .text ? .markdown : type), "a .md name turned \(type) into \(markdown)")
    invariant(bytes.isEmpty ? type == .unknown : true, "empty input is \(type)")
    return 0
}
