import Foundation
import HashmarkMedia
import Testing

/// Error codes are a public contract: kebab-case, and raised only through the named constants.
@Suite("Error codes")
struct ErrorCodeTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/HashmarkMedia")

    static func isKebabCase(_ code: String) throws -> Bool {
        try Regex("^[a-z][a-z0-9-]*$").wholeMatch(in: code) != nil
    }

    static func sourceFiles() throws -> [(name: String, text: String)] {
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        return try files.filter { $0.hasSuffix(".swift") }.sorted().map {
            ($0, try String(contentsOf: sources.appendingPathComponent($0), encoding: .utf8))
        }
    }

    @Test func textDecodingCodesAreKebabCase() throws {
        for code in TextDecodingError.Code.allCases {
            #expect(try Self.isKebabCase(code.rawValue), "\(code)")
        }
    }

    /// Every `public static let name = "value"` in `MediaError.Code`, read from the source (static
    /// members cannot be enumerated at run time), and every place that raises a `MediaError`.
    @Test func mediaErrorCodesAreKebabCaseConstants() throws {
        let files = try Self.sourceFiles()
        let errorFile = try #require(files.first { $0.name == "MediaError.swift" }).text
        let body = try #require(errorFile.range(of: "public enum Code {")).upperBound
        let constant = try Regex(#"public static let (\w+) = "([^"]*)""#)
        let codes = errorFile[body...].matches(of: constant).compactMap { $0.output[2].substring.map(String.init) }
        #expect(codes.count >= 11)
        for code in codes { #expect(try Self.isKebabCase(code), "\(code)") }
        #expect(Set(codes).count == codes.count)
        #expect(codes.contains(MediaError.Code.tooManyScans) && codes.contains(MediaError.Code.fileTooLarge))
        // Raised through a constant, never a string literal.
        let raised = try Regex(#"MediaError\(code:\s*([^,]+),"#)
        var sites = 0
        for file in files {
            for match in file.text.matches(of: raised) {
                sites += 1
                let argument = String(match.output[1].substring ?? "")
                #expect(argument.hasPrefix("MediaError.Code."), "\(file.name): \(argument)")
            }
        }
        #expect(sites > 20)
    }
}
