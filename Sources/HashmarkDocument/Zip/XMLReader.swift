/// A small non-validating XML parser for the parts of EPUB, DOCX and ODT files.
///
/// It never loads a DTD and never expands a declared entity: a `<!DOCTYPE` with an internal
/// subset, or any `<!ENTITY`, is refused as `.tooLarge` ("XML entity declarations are
/// refused"), which ends billion-laughs documents before any expansion. A plain
/// `<!DOCTYPE html>` is accepted. Element nesting past `maxDepth` is refused as `.tooLarge`.
/// The five XML entities, numeric references and common XHTML named entities are replaced;
/// an unknown named entity is kept as written. Input must be UTF-8 (a BOM is skipped).
struct XMLReader {
    private let b: [UInt8]
    private let entry: String
    private let maxDepth: Int
    private var i = 0

    /// Parses `bytes` (the archive member `entry`, named in errors) into its root element.
    static func parse(_ bytes: [UInt8], entry: String, maxDepth: Int) throws(DocumentError) -> XMLElement {
        var reader = XMLReader(b: bytes, entry: entry, maxDepth: maxDepth)
        return try reader.document()
    }

    private init(b: [UInt8], entry: String, maxDepth: Int) {
        self.b = b; self.entry = entry; self.maxDepth = maxDepth
    }

    private func invalid(_ why: String) -> DocumentError {
        DocumentError(.invalid, "\(entry): malformed XML (\(why))")
    }

    private static let entityRefused = "XML entity declarations are refused"

    // MARK: - Document

    private mutating func document() throws(DocumentError) -> XMLElement {
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        if b.starts(with: [0xFE, 0xFF]) || b.starts(with: [0xFF, 0xFE]) { throw invalid("UTF-16 is not read") }
        var stack: [(element: XMLElement, qname: String, scope: [String: String]?)] = []
        var scopes: [[String: String]] = [["xml": "http://www.w3.org/XML/1998/namespace"]]
        var root: XMLElement?
        while i < b.count {
            if b[i] != UInt8(ascii: "<") {
                let start = i
                while i < b.count && b[i] != UInt8(ascii: "<") { i += 1 }
                let text = decode(start, i)
                if stack.isEmpty {
                    if text.contains(where: { !$0.isWhitespace }) { throw invalid("text outside the root element") }
                } else {
                    Self.appendText(text, to: &stack[stack.count - 1].element)
                }
                continue
            }
            if match("<!--") { try skip(past: "-->"); continue }
            if match("<?") { try skip(past: "?>"); continue }
            if match("<![CDATA[") {
                guard !stack.isEmpty else { throw invalid("CDATA outside the root element") }
                let start = i + 9
                try skip(past: "]]>")
                Self.appendText(String(decoding: b[start..<(i - 3)], as: UTF8.self), to: &stack[stack.count - 1].element)
                continue
            }
            if match("<!ENTITY") { throw DocumentError(.tooLarge, Self.entityRefused) }
            if match("<!DOCTYPE") {
                guard root == nil && stack.isEmpty else { throw invalid("misplaced DOCTYPE") }
                try doctype(); continue
            }
            if match("<!") { throw invalid("unexpected markup declaration") }
            if match("</") {
                i += 2
                let name = self.name()
                skipSpace()
                guard i < b.count, b[i] == UInt8(ascii: ">") else { throw invalid("unterminated end tag") }
                i += 1
                guard let open = stack.popLast(), open.qname == name else { throw invalid("mismatched end tag </\(name)>") }
                if open.scope != nil { scopes.removeLast() }
                if stack.isEmpty { root = open.element } else { stack[stack.count - 1].element.children.append(.element(open.element)) }
                continue
            }
            guard stack.isEmpty ? root == nil : true else { throw invalid("content after the root element") }
            i += 1
            let (qname, raw, selfClosing) = try startTag()
            var declared: [String: String]?
            for (key, value) in raw where key == "xmlns" || key.hasPrefix("xmlns:") {
                declared = declared ?? [:]
                declared?[key == "xmlns" ? "" : String(key.dropFirst(6))] = value
            }
            if let declared { scopes.append(declared) }
            let element = try resolve(qname, raw, scopes)
            if selfClosing {
                if declared != nil { scopes.removeLast() }
                if stack.isEmpty { root = element } else { stack[stack.count - 1].element.children.append(.element(element)) }
            } else {
                guard stack.count < maxDepth else {
                    throw DocumentError(.tooLarge, "\(entry): XML nesting deeper than \(maxDepth)")
                }
                stack.append((element, qname, declared))
            }
        }
        guard stack.isEmpty, let root else { throw invalid(stack.isEmpty ? "no root element" : "unclosed <\(stack[stack.count - 1].qname)>") }
        return root
    }

    /// Appends in place (the last text child is taken out first, so its buffer is unique and
    /// grows amortised): text split by many comments or CDATA sections joins in linear time.
    private static func appendText(_ text: String, to element: inout XMLElement) {
        if case .text(var previous)? = element.children.last {
            element.children.removeLast()
            previous += text
            element.children.append(.text(previous))
        } else if !text.isEmpty {
            element.children.append(.text(text))
        }
    }

    /// `<!DOCTYPE name PUBLIC "…" "…">` is skipped; an internal subset (`[`) is refused.
    private mutating func doctype() throws(DocumentError) {
        i += 9
        var quote: UInt8?
        while i < b.count {
            let c = b[i]
            i += 1
            if let q = quote { if c == q { quote = nil }; continue }
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = c
            case UInt8(ascii: "["): throw DocumentError(.tooLarge, Self.entityRefused)
            case UInt8(ascii: ">"): return
            default: break
            }
        }
        throw invalid("unterminated DOCTYPE")
    }

    // MARK: - Tags

    private mutating func startTag() throws(DocumentError) -> (String, [(String, String)], Bool) {
        let qname = name()
        guard !qname.isEmpty else { throw invalid("empty element name") }
        var attributes: [(String, String)] = []
        while true {
            skipSpace()
            guard i < b.count else { throw invalid("unterminated start tag <\(qname)>") }
            if b[i] == UInt8(ascii: ">") { i += 1; return (qname, attributes, false) }
            if match("/>") { i += 2; return (qname, attributes, true) }
            let key = name()
            guard !key.isEmpty else { throw invalid("bad attribute in <\(qname)>") }
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "=") else { throw invalid("attribute \(key) without value") }
            i += 1
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") else {
                throw invalid("unquoted attribute \(key)")
            }
            let quote = b[i]
            let start = i + 1
            i = start
            while i < b.count && b[i] != quote { i += 1 }
            guard i < b.count else { throw invalid("unterminated attribute \(key)") }
            attributes.append((key, decode(start, i)))
            i += 1
        }
    }

    private func resolve(_ qname: String, _ raw: [(String, String)], _ scopes: [[String: String]]) throws(DocumentError) -> XMLElement {
        func lookup(_ prefix: String) -> String? {
            for scope in scopes.reversed() { if let uri = scope[prefix] { return uri } }
            return nil
        }
        let (prefix, local) = Self.split(qname)
        guard let ns = prefix.isEmpty ? (lookup("") ?? "") : lookup(prefix) else {
            throw invalid("undeclared prefix \(prefix)")
        }
        var attributes: [String: String] = [:]
        for (key, value) in raw where key != "xmlns" && !key.hasPrefix("xmlns:") {
            let (p, l) = Self.split(key)
            if p.isEmpty { attributes[l] = value; continue }
            guard let uri = lookup(p) else { throw invalid("undeclared prefix \(p)") }
            attributes["{\(uri)}\(l)"] = value
        }
        return XMLElement(namespace: ns, name: local, attributes: attributes, children: [])
    }

    private static func split(_ qname: String) -> (String, String) {
        guard let colon = qname.firstIndex(of: ":") else { return ("", qname) }
        return (String(qname[..<colon]), String(qname[qname.index(after: colon)...]))
    }

    // MARK: - Scanning

    private func match(_ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard i + n <= b.count else { return false }
        return s.withUTF8Buffer { p in
            for k in 0..<n where b[i + k] != p[k] { return false }
            return true
        }
    }

    private mutating func skip(past end: StaticString) throws(DocumentError) {
        i += 2
        while i < b.count {
            if match(end) { i += end.utf8CodeUnitCount; return }
            i += 1
        }
        throw invalid("unterminated \(end)")
    }

    private mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    private mutating func name() -> String {
        let start = i
        while i < b.count {
            let c = b[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == UInt8(ascii: "/") || c == UInt8(ascii: ">")
                || c == UInt8(ascii: "=") || c == UInt8(ascii: "<") { break }
            i += 1
        }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    /// Bytes `start..<end` as text, with character and entity references replaced.
    private func decode(_ start: Int, _ end: Int) -> String {
        guard b[start..<end].contains(UInt8(ascii: "&")) else { return String(decoding: b[start..<end], as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var k = start
        while k < end {
            let c = b[k]
            guard c == UInt8(ascii: "&"), let semi = b[(k + 1)..<min(end, k + 34)].firstIndex(of: UInt8(ascii: ";")),
                  let scalar = XMLEntities.scalar(for: b[(k + 1)..<semi]) else {
                out.append(c); k += 1; continue
            }
            out += Array(String(Character(scalar)).utf8)
            k = semi + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
