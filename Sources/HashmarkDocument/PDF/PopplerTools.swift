import Foundation
import Synchronization

/// The Poppler programs in one directory, each run as a `LimitedProcess`.
struct PopplerTools {
    let directory: String
    let limits: DocumentLimits

    func process(_ name: String) -> LimitedProcess { LimitedProcess(path: directory + "/" + name) }

    /// Caps for a program that prints at most `outputBytes` and writes files of at most `fileBytes`.
    func caps(outputBytes: Int, fileBytes: Int = 1 << 20) -> LimitedProcess.Limits {
        .init(seconds: limits.processSeconds, memoryBytes: limits.processMemoryBytes, fileBytes: fileBytes,
              maxOutputBytes: outputBytes)
    }

    /// "pdftotext 22.12.0", from `pdftotext -v` (which prints to stderr), read once per directory.
    func version() throws(DocumentError) -> String {
        if let known = Self.versions.withLock({ $0[directory] }) { return known }
        let output = try process("pdftotext").run(["-v"], limits: caps(outputBytes: 4096))
        let words = String(decoding: output.stderr + output.stdout, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        let number = words.first { $0.first?.isNumber == true && $0.contains(".") }
        let version = "pdftotext " + (number.map(String.init) ?? "unknown")
        Self.versions.withLock { $0[directory] = version }
        return version
    }

    private static let versions = Mutex<[String: String]>([:])
}

/// What `pdfinfo` says about a document: its page count. (Its `Encrypted:` line is not used: an
/// owner-password PDF says "yes" and still reads; a user-password one fails with "Incorrect
/// password", which `failure` maps to `.encrypted`.)
struct PDFInfo: Equatable {
    var pages: Int

    /// Parses the `Pages:` line; nil without one.
    init?(_ output: String) {
        for line in output.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0] == "Pages", let pages = Int(parts[1].trimmingCharacters(in: .whitespaces)) {
                self.pages = pages
                return
            }
        }
        return nil
    }
}

extension LimitedProcess.Output {
    /// The error for a failed run: "Incorrect password" means encrypted, anything else invalid.
    func failure(_ program: String) -> DocumentError {
        let text = String(decoding: stderr, as: UTF8.self)
        if text.contains("Incorrect password") {
            return DocumentError(.encrypted, "the PDF needs a password (\(program): \(errorExcerpt))")
        }
        if signal == SIGXCPU { return DocumentError(.timeout, "\(program) ran out of CPU time (RLIMIT_CPU)") }
        if signal == SIGXFSZ { return DocumentError(.tooLarge, "\(program) wrote a file over the size limit") }
        let how = exitStatus.map { "exit status \($0)" } ?? "signal \(signal ?? 0)"
        return DocumentError(.invalid, "\(program) failed (\(how)): \(errorExcerpt)")
    }
}
