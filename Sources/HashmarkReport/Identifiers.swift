import Foundation
import HashmarkPrimitives

/// Report ids double as file names (`<id>.json`), so they are restricted to a safe alphabet.
public enum ReportID {
    /// `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`: no slash, no leading dot, at most 128 bytes.
    public static func isValid(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard let first = bytes.first, bytes.count <= 128, isAlnum(first) else { return false }
        return bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_")
            || $0 == UInt8(ascii: "-") }
    }

    /// A fresh id: `YYYYMMDDTHHMMSSZ-` plus 16 random hex digits, so ids sort by time.
    public static func generate(at date: Date = Date()) -> String {
        let stamp = RFC3339.string(from: date).filter { $0 != "-" && $0 != ":" }
        var random = SystemRandomNumberGenerator()
        let suffix = Hex.encode((0..<8).map { _ in UInt8.random(in: 0...255, using: &random) })
        return "\(stamp)-\(suffix)"
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
    }
}

/// RFC 3339 timestamps in UTC with whole seconds and a `Z` (`2026-01-31T12:00:00Z`), formatted
/// from the Gregorian calendar arithmetic directly: no locale, no time zone database.
public enum RFC3339 {
    public static func string(from date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2))Z"
    }

    /// Accepts `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with field ranges checked (leap second 60 allowed).
    public static func isValid(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count >= 20, b.last == UInt8(ascii: "Z") else { return false }
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) else { return nil }
                value = value * 10 + Int(b[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              digits(0..<4) != nil, let month = digits(5..<7), let day = digits(8..<10),
              let hour = digits(11..<13), let minute = digits(14..<16), let second = digits(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return false }
        if b.count == 20 { return true }
        guard b[19] == UInt8(ascii: "."), b.count >= 22, b.count <= 30, digits(20..<(b.count - 1)) != nil else {
            return false
        }
        return true
    }

    /// Days since 1970-01-01 → (year, month, day), Howard Hinnant's civil-from-days algorithm.
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
