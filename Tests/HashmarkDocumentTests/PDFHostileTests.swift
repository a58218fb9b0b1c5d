import Foundation
import HashmarkDocument
import Testing

/// Hostile and broken PDFs (Tests/Fixtures/documents/pdf, see its README) and a broken or
/// missing Poppler.
@Suite(.timeLimit(.minutes(15))) struct PDFHostileTests {
    func code(_ bytes: [UInt8], limits: DocumentLimits = .init(), directory: String = "/usr/bin") -> DocumentError.Code? {
        do {
            _ = try PDFExtractor(limits: limits, popplerDirectory: directory).extract(bytes)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func aUserPasswordMeansEncrypted() throws {
        #expect(code(try PDFFixtures.bytes("encrypted-user.pdf")) == .encrypted)
    }

    @Test func anOwnerPasswordAloneStillGivesTheText() throws {
        let doc = try PDFExtractor().extract(try PDFFixtures.bytes("encrypted-owner.pdf"))
        #expect(doc.text.contains("Netherfield Park"))
        #expect(doc.pageCount == 3)
    }

    @Test func aTruncatedFileIsInvalid() throws {
        #expect(code(try PDFFixtures.bytes("truncated.pdf")) == .invalid)
    }

    /// Poppler rebuilds a broken cross-reference table by scanning the objects: the text and
    /// image come back as from the intact file.
    @Test func aBrokenCrossReferenceTableIsRepairedByPoppler() throws {
        let doc = try PDFExtractor().extract(try PDFFixtures.bytes("damaged-xref.pdf"))
        let intact = try PDFExtractor().extract(try PDFFixtures.bytes("plain.pdf"))
        #expect(doc.text == intact.text)
        #expect(doc.images.map(\.location) == intact.images.map(\.location))
    }

    @Test func aTextFileIsInvalid() throws {
        #expect(code(try PDFFixtures.bytes("not-a-pdf.pdf")) == .invalid)
    }

    @Test func moreThanMaxPagesIsTooLarge() throws {
        let many = try PDFFixtures.bytes("many-pages.pdf")
        #expect(code(many, limits: DocumentLimits(maxPages: 10)) == .tooLarge)
        #expect(code(many, limits: DocumentLimits(maxPages: 40)) == nil)
    }

    @Test func textOverTheCapIsTooLarge() throws {
        let many = try PDFFixtures.bytes("many-pages.pdf")
        #expect(code(many, limits: DocumentLimits(maxTextBytes: 200)) == .tooLarge)
        #expect(code(many, limits: DocumentLimits(maxTextBytes: 4000)) == nil)
    }

    @Test func aMissingPopplerIsUnavailable() throws {
        #expect(code(try PDFFixtures.bytes("plain.pdf"), directory: "/nonexistent/poppler") == .extractorUnavailable)
    }

    /// Stand-in tools that hang: the call ends at the deadline and leaves no process behind.
    @Test func aHangingToolIsKilledAtTheDeadline() throws {
        let directory = try PDFFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pids = directory.appendingPathComponent("pids")
        for name in ["pdftotext", "pdfinfo", "pdfimages"] {
            try PDFFixtures.script(name, in: directory, "echo $$ >> '\(pids.path)'\nsleep 60 &\necho $! >> '\(pids.path)'\nwait")
        }
        let started = Date()
        #expect(code(try PDFFixtures.bytes("plain.pdf"), limits: DocumentLimits(processSeconds: 1), directory: directory.path) == .timeout)
        #expect(Date().timeIntervalSince(started) < 5)
        let written = try String(contentsOf: pids, encoding: .utf8).split(whereSeparator: \.isNewline).compactMap { Int32($0) }
        #expect(written.count == 2)
        // SIGKILL is sent at the deadline; dying takes the kernel a moment under load.
        for pid in written {
            #expect(becomesGone(pid), "process \(pid) outlived the deadline: \((try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? "?")")
        }
    }

    /// `isGone` within 3 s.
    func becomesGone(_ pid: Int32) -> Bool {
        for _ in 0..<300 {
            if isGone(pid) { return true }
            usleep(10_000)
        }
        return false
    }

    /// No such process, or a zombie left for init to reap (a grandchild is not ours to wait for).
    func isGone(_ pid: Int32) -> Bool {
        if kill(pid, 0) != 0 { return errno == ESRCH }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
    }
}
