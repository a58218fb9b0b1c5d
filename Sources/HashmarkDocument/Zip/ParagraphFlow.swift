import Foundation

/// What an element means to the paragraph walker of one format.
enum FlowRole {
    /// Content is read (inline markup, unknown elements).
    case inline
    /// Nothing inside is read (metadata, deleted text, scripts).
    case skip
    /// A leaf paragraph (`w:p`, `text:p`): paragraphs nested inside (notes, text boxes)
    /// come out after it.
    case paragraph
    /// A block container (XHTML `div`, `p`, `li`): its direct text is a paragraph and nested
    /// blocks come out in document order.
    case block
    /// Text that is appended as is, not collapsed (`w:tab`, `text:s`, `br`).
    case literal(String)
    /// Only the text of this element's subtree counts (`w:t`), kept as character data.
    case textRun
    /// Preformatted block (XHTML `pre`): whitespace kept.
    case preformatted
}

/// Paragraphs of one XML part in reading order, with the paragraph where each reference
/// (image link) was seen.
struct ParagraphFlow {
    var paragraphs: [String] = []
    /// (reference as written, 1-based index into `paragraphs`, nil when there are none).
    var references: [(String, Int?)] = []

    /// Walks `root`. `textEverywhere` reads character data anywhere (ODT, XHTML); false reads it
    /// only inside `.textRun` elements (DOCX). `references` returns the image links on an element.
    init(_ root: XMLElement, textEverywhere: Bool, role: (XMLElement) -> FlowRole,
         references: (XMLElement) -> [String] = { _ in [] }) {
        var walker = Walker(textEverywhere: textEverywhere)
        walker.walk(root, role: role, references: references)
        walker.flush()
        paragraphs = walker.done
        let total = paragraphs.count
        self.references = walker.refs.map { ($0.0, total == 0 ? nil : min($0.1, total)) }
    }
}

private struct Walker {
    let textEverywhere: Bool
    var done: [String] = []
    var refs: [(String, Int)] = []
    /// Open leaf paragraphs, innermost last, each with the paragraphs nested in it.
    var open: [(text: ParagraphText, deferred: [String])] = [(ParagraphText(), [])]
    var inTextRun = 0
    var inPre = 0

    mutating func walk(_ e: XMLElement, role: (XMLElement) -> FlowRole, references: (XMLElement) -> [String]) {
        for r in references(e) { refs.append((r, done.count + 1)) }
        switch role(e) {
        case .skip: return
        case .literal(let s): open[open.count - 1].text.appendLiteral(s); return
        case .inline: children(e, role, references)
        case .textRun: inTextRun += 1; children(e, role, references); inTextRun -= 1
        case .preformatted:
            flush(); inPre += 1; children(e, role, references); inPre -= 1; flush()
        case .block:
            flush(); children(e, role, references); flush()
        case .paragraph:
            open.append((ParagraphText(), []))
            children(e, role, references)
            let (text, deferred) = open.removeLast()
            let paragraph = text.finished
            if open.count > 1 {
                if !paragraph.isEmpty { open[open.count - 1].deferred.append(paragraph) }
                open[open.count - 1].deferred += deferred
            } else {
                flush()
                if !paragraph.isEmpty { done.append(paragraph) }
                done += deferred
            }
        }
    }

    private mutating func children(_ e: XMLElement, _ role: (XMLElement) -> FlowRole,
                                   _ references: (XMLElement) -> [String]) {
        for child in e.children {
            switch child {
            case .element(let c): walk(c, role: role, references: references)
            case .text(let t):
                guard textEverywhere || inTextRun > 0 else { continue }
                if inPre > 0 { open[open.count - 1].text.appendLiteral(t) } else { open[open.count - 1].text.append(t) }
            }
        }
    }

    /// Ends the text gathered outside any leaf paragraph (XHTML block content).
    mutating func flush() {
        guard open.count == 1 else { return }
        let paragraph = open[0].text.finished
        if !paragraph.isEmpty { done.append(paragraph) }
        done += open[0].deferred
        open[0] = (ParagraphText(), [])
    }
}

/// One paragraph's text: source whitespace collapses to single spaces, literal text
/// (tabs, line breaks, counted spaces) is kept; ends are trimmed.
struct ParagraphText {
    private var scalars = String.UnicodeScalarView()
    private var pendingSpace = false

    mutating func append(_ s: String) {
        for u in s.unicodeScalars {
            if u.properties.isWhitespace && u != "\u{A0}" {
                pendingSpace = !scalars.isEmpty
            } else {
                if pendingSpace, let last = scalars.last, last != "\n", last != "\t" { scalars.append(" ") }
                pendingSpace = false
                scalars.append(u)
            }
        }
    }

    mutating func appendLiteral(_ s: String) {
        if pendingSpace, !scalars.isEmpty, let first = s.unicodeScalars.first, first != "\n", first != "\t",
           scalars.last != "\n", scalars.last != "\t" {
            scalars.append(" ")
        }
        pendingSpace = false
        scalars.append(contentsOf: s.unicodeScalars)
    }

    var finished: String {
        String(scalars).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
