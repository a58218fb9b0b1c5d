import FuzzSupport
import HashmarkReport

/// The strict JSON parser and `VerdictReport(bytes:)`: whatever parses serialises canonically,
/// the canonical bytes parse back to an equal value, and canonical form is a fixed point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let value = try? JSONValue.parse(bytes) else {
        invariant((try? VerdictReport(bytes: bytes)) == nil, "a report parsed from bytes the JSON parser rejects")
        return 0
    }
    let canonical: [UInt8]
    do {
        canonical = try value.canonicalBytes()
    } catch {
        invariant(false, "parsed JSON cannot be serialised: \(error)")
        return 0
    }
    let reparsed = try? JSONValue.parse(canonical)
    invariant(reparsed == value, "canonical bytes parse to a different value")
    invariant((try? reparsed?.canonicalBytes()) == canonical, "canonical form is not a fixed point")
    guard let report = try? VerdictReport(bytes: bytes) else { return 0 }
    let reportBytes: [UInt8]
    do {
        reportBytes = try report.canonicalBytes()
    } catch {
        invariant(false, "a parsed report cannot be serialised: \(error)")
        return 0
    }
    invariant((try? VerdictReport(bytes: reportBytes)) == report, "report → canonical bytes → report differs")
    invariant((try? VerdictReport(bytes: reportBytes).canonicalBytes()) == reportBytes,
              "the report's canonical form is not a fixed point")
    return 0
}
