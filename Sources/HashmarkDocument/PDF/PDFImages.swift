import Foundation
import HashmarkReport

/// Embedded images through `pdfimages`: `-list` first (page, size and kind of every image,
/// without writing any), then `-all -p` over only the pages that hold the images kept, so a PDF
/// with thousands of images never has them all written to disk.
struct PDFImages {
    /// One row of `pdfimages -list`.
    struct Entry: Equatable {
        var page: Int
        var number: Int
        var width: Int
        var height: Int
    }

    /// Images smaller than this on either side (icons, bullets, spacers) are not checked.
    static let minimumSide = 32

    var images: [ExtractedDocument.EmbeddedImage] = []
    var skipped = 0

    init(file: String, pages: Int, in directory: TemporaryDirectory, tools: PopplerTools) throws(DocumentError) {
        let limits = tools.limits
        guard pages > 0 else { return }
        let listing = try tools.process("pdfimages").run(["-list", "-l", String(pages), file],
                                                         limits: tools.caps(outputBytes: 8 << 20))
        guard listing.exitStatus == 0 else { throw listing.failure("pdfimages") }
        let entries = Self.parse(list: String(decoding: listing.stdout, as: UTF8.self))
        let large = entries.filter { $0.width >= Self.minimumSide && $0.height >= Self.minimumSide }
        skipped = entries.count - large.count
        let wanted = Array(large.prefix(limits.maxImages))
        skipped += large.count - wanted.count
        guard let lastPage = wanted.last?.page else { return }

        let run = try tools.process("pdfimages").run(["-all", "-p", "-l", String(lastPage), file, directory.path + "/img"],
                                                     limits: tools.caps(outputBytes: 1 << 20, fileBytes: limits.maxEntryBytes))
        guard run.exitStatus == 0 else { throw run.failure("pdfimages") }
        let written = Dictionary(directory.contents().compactMap { name in Self.number(ofFile: name).map { ($0, name) } },
                                 uniquingKeysWith: { first, _ in first })
        var total = 0, perPage: [Int: Int] = [:]
        for entry in wanted {
            // Numbered on its page among the images kept (so `{page, image}` names one image).
            let onPage = (perPage[entry.page] ?? 0) + 1
            guard let name = written[entry.number], name.hasSuffix(".jpg") || name.hasSuffix(".png"),
                  let data = FileManager.default.contents(atPath: directory.path + "/" + name),
                  total + data.count <= limits.maxTotalBytes else { skipped += 1; continue }
            total += data.count
            perPage[entry.page] = onPage
            images.append(.init(bytes: [UInt8](data), location: DocumentLocation(page: entry.page, image: onPage)))
        }
    }

    /// Rows of type "image" (masks and stencils are parts of another image, not pictures).
    static func parse(list: String) -> [Entry] {
        list.split(whereSeparator: \.isNewline).compactMap { line in
            let f = line.split(whereSeparator: \.isWhitespace)
            guard f.count >= 5, f[2] == "image", let page = Int(f[0]), let number = Int(f[1]),
                  let width = Int(f[3]), let height = Int(f[4]) else { return nil }
            return Entry(page: page, number: number, width: width, height: height)
        }
    }

    /// NNN from "img-PPP-NNN.ext", the number `-list` gives the same image.
    static func number(ofFile name: String) -> Int? {
        guard name.hasPrefix("img-"), let dot = name.lastIndex(of: "."),
              let dash = name[..<dot].lastIndex(of: "-") else { return nil }
        return Int(name[name.index(after: dash)..<dot])
    }
}
