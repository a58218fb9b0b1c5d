/// A parsed XML element: namespace-resolved name, attributes and children, as a value.
struct XMLElement: Sendable, Equatable {
    /// Namespace URI ("" when none) and local name.
    var namespace: String
    var name: String
    /// Attributes keyed by "{namespace}local" when prefixed, by the plain name otherwise.
    var attributes: [String: String]
    var children: [XMLNode]

    /// The attribute `local` in namespace `namespace` ("" for an unprefixed attribute).
    func attribute(_ local: String, _ namespace: String = "") -> String? {
        attributes[namespace.isEmpty ? local : "{\(namespace)}\(local)"]
    }

    /// True when this element is `name` in `namespace`.
    func `is`(_ namespace: String, _ name: String) -> Bool {
        self.name == name && self.namespace == namespace
    }

    /// Child elements, in order.
    var elements: [XMLElement] {
        children.compactMap { if case .element(let e) = $0 { e } else { nil } }
    }

    /// The first child element `name` in `namespace`.
    func child(_ namespace: String, _ name: String) -> XMLElement? {
        elements.first { $0.is(namespace, name) }
    }

    /// Every descendant element (depth first, document order).
    func descendants(_ namespace: String, _ name: String) -> [XMLElement] {
        var found: [XMLElement] = []
        for e in elements {
            if e.is(namespace, name) { found.append(e) }
            found += e.descendants(namespace, name)
        }
        return found
    }
}

/// A child of an element: an element or character data (entities already replaced).
enum XMLNode: Sendable, Equatable {
    case element(XMLElement)
    case text(String)
}

/// Namespace URIs of the formats read here.
enum NS {
    static let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    static let rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    static let office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    static let text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    static let draw = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
    static let manifest = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
    static let xlink = "http://www.w3.org/1999/xlink"
    static let container = "urn:oasis:names:tc:opendocument:xmlns:container"
    static let opf = "http://www.idpf.org/2007/opf"
    static let xenc = "http://www.w3.org/2001/04/xmlenc#"
    static let xhtml = "http://www.w3.org/1999/xhtml"
}
