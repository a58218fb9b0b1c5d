/// Serialises laid-out pages as PDF objects, a cross-reference table and a trailer.
enum PDFFile {
    static func bytes(of pages: [PDFLayout.Page]) -> [UInt8] {
        // Objects 1 catalog, 2 page tree, 3 font; then per page: page, contents, its images.
        var objects: [[UInt8]] = [[], [], Array("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".utf8)]
        var kids: [Int] = []
        for page in pages {
            let pageNumber = objects.count + 1
            kids.append(pageNumber)
            let imageNumbers = page.images.indices.map { pageNumber + 2 + $0 }
            let xobjects = imageNumbers.enumerated().map { "/Im\($0.offset + 1) \($0.element) 0 R" }.joined(separator: " ")
            objects.append(Array(("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents \(pageNumber + 1) 0 R"
                + " /Resources << /Font << /F1 3 0 R >> /XObject << \(xobjects) >> >> >>").utf8))
            objects.append(stream(content(of: page), dictionary: ""))
            for (image, _) in page.images {
                let components = jpegComponents(image.jpeg)
                let space = components == 1 ? "/DeviceGray" : components == 4 ? "/DeviceCMYK" : "/DeviceRGB"
                objects.append(stream(image.jpeg, dictionary: "/Type /XObject /Subtype /Image /Width \(image.width)"
                    + " /Height \(image.height) /ColorSpace \(space) /BitsPerComponent 8 /Filter /DCTDecode"
                    + (components == 4 ? " /Decode [1 0 1 0 1 0 1 0]" : "")))
            }
        }
        objects[0] = Array("<< /Type /Catalog /Pages 2 0 R >>".utf8)
        objects[1] = Array("<< /Type /Pages /Kids [\(kids.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(kids.count) >>".utf8)

        var file = Array("%PDF-1.4\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(file.count)
            file += Array("\(index + 1) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
        }
        let xref = file.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += pad(offset) + " 00000 n \n" }
        table += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return file + Array(table.utf8)
    }

    /// The page's content stream: images with `cm`/`Do`, then the text lines with `T*`.
    static func content(of page: PDFLayout.Page) -> [UInt8] {
        var ops = ""
        for (index, placed) in page.images.enumerated() {
            let box = placed.box
            ops += "q \(number(box.w)) 0 0 \(number(box.h)) \(number(box.x)) \(number(box.y)) cm /Im\(index + 1) Do Q\n"
        }
        var bytes = Array(ops.utf8)
        guard !page.lines.isEmpty else { return bytes }
        let firstBaseline = page.top - PDFLayout.fontSize
        bytes += Array("BT\n/F1 \(number(PDFLayout.fontSize)) Tf \(number(PDFLayout.leading)) TL\n".utf8)
        bytes += Array("\(number(PDFLayout.margin)) \(number(firstBaseline)) Td\n".utf8)
        for (index, line) in page.lines.enumerated() {
            if index > 0 { bytes += Array("T*\n".utf8) }
            if !line.isEmpty { bytes += literal(line) + Array(" Tj\n".utf8) }
        }
        return bytes + Array("ET\n".utf8)
    }

    /// A PDF string literal of `text` in WinAnsi: ( ) \ escaped, bytes above 0x7E in octal.
    static func literal(_ text: String) -> [UInt8] {
        var out: [UInt8] = [0x28]
        for scalar in text.unicodeScalars {
            let code = WinAnsi.code(for: scalar)
            switch code {
            case 0x28, 0x29, 0x5C: out += [0x5C, code]
            case 0x20...0x7E: out.append(code)
            default: out += Array(("\\" + String(code, radix: 8).leftPadded(to: 3)).utf8)
            }
        }
        return out + [0x29]
    }

    static func stream(_ data: [UInt8], dictionary: String) -> [UInt8] {
        Array("<< \(dictionary) /Length \(data.count) >>\nstream\n".utf8) + data + Array("\nendstream".utf8)
    }

    /// Colour components from the JPEG's start-of-frame segment; 3 when none is found.
    static func jpegComponents(_ jpeg: [UInt8]) -> Int {
        var i = 2
        while i + 9 < jpeg.count, jpeg[i] == 0xFF {
            let marker = jpeg[i + 1]
            let length = Int(jpeg[i + 2]) << 8 | Int(jpeg[i + 3])
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) { return Int(jpeg[i + 9]) }
            i += 2 + length
        }
        return 3
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format2: value)
    }

    static func pad(_ offset: Int) -> String { String(offset).leftPadded(to: 10) }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }

    /// Two decimals, without Foundation.
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        self = sign + String(magnitude / 100) + "." + String(magnitude % 100).leftPadded(to: 2)
    }
}
