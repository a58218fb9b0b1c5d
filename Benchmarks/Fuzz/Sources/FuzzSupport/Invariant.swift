#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Aborts when `condition` is false, so libFuzzer records the input as a crash (with a stack).
///
/// A harness, not a library: aborting on input-dependent conditions is the point here.
@inline(__always)
public func invariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                      fileID: StaticString = #fileID, line: UInt = #line) {
    if !condition() {
        var text = "INVARIANT FAILED at \(fileID):\(line): \(message())\n"
        _ = text.withUTF8 { write(2, $0.baseAddress, $0.count) }
        abort()
    }
}

/// The fuzzer's input as an array (what every public entry point takes).
public func fuzzBytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
}
