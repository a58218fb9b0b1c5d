/// A small SVG writer: detection rate against transform strength, one panel per transform kind,
/// with 95 % Wilson intervals and the bar as a dashed line. Opens in any browser.
public enum SVGPlot {
    static let panelW = 190.0, panelH = 130.0, perRow = 6
    static let margin = (left: 34.0, top: 22.0, right: 10.0, bottom: 26.0)

    public static func detection(_ r: EvalReport) -> String {
        var body: [String] = []
        var y = 30.0
        body.append(text(10, 20, "Hashmark detection rate vs transform strength (test split; bars: 95 % Wilson CI; "
                         + "dashed: bar \(Format.pct(r.minTPR)))", size: 13, weight: "bold"))
        for m in r.modalities {
            var kinds: [String] = []
            for t in m.transforms where t.positives > 0 && !kinds.contains(t.kind) { kinds.append(t.kind) }
            body.append(text(10, y + 16, "\(m.modality.rawValue)s — model \(r.model.id)", size: 12, weight: "bold"))
            y += 24
            for (i, kind) in kinds.enumerated() {
                let x0 = Double(i % perRow) * panelW + 10, y0 = y + Double(i / perRow) * panelH
                body.append(panel(kind, m.transforms.filter { $0.kind == kind && $0.positives > 0 },
                                  x0: x0, y0: y0, bar: r.minTPR))
            }
            y += Double((kinds.count + perRow - 1) / perRow) * panelH + 10
        }
        let width = Double(perRow) * panelW + 20
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(y + 10))" \
            viewBox="0 0 \(Int(width)) \(Int(y + 10))" font-family="sans-serif">
            <rect width="100%" height="100%" fill="white"/>
            \(body.joined(separator: "\n"))
            </svg>

            """
    }

    static func panel(_ kind: String, _ rows: [RateRow], x0: Double, y0: Double, bar: Double) -> String {
        let w = panelW - margin.left - margin.right, h = panelH - margin.top - margin.bottom
        let left = x0 + margin.left, top = y0 + margin.top
        let xs = rows.map(\.strength)
        let lo = xs.min() ?? 0, hi = xs.max() ?? 1
        func px(_ s: Double) -> Double { hi > lo ? left + (s - lo) / (hi - lo) * w : left + w / 2 }
        func py(_ v: Double) -> Double { top + (1 - v) * h }
        var parts = [
            "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(w))\" height=\"\(f(h))\" fill=\"#fafafa\" stroke=\"#bbb\"/>",
            text(left, y0 + 14, kind, size: 11, weight: "bold"),
            line(left, py(bar), left + w, py(bar), stroke: "#c0392b", dash: true),
        ]
        for v in [0.0, 0.5, 1.0] {
            parts.append(text(x0 + 4, py(v) + 4, Format.num(v, 1), size: 9))
        }
        parts.append(text(left, top + h + 14, Format.num(lo), size: 9))
        if hi > lo { parts.append(text(left + w - 16, top + h + 14, Format.num(hi), size: 9)) }
        let sorted = rows.sorted { $0.strength < $1.strength }
        let points = sorted.map { "\(f(px($0.strength))),\(f(py($0.tpr.rate)))" }.joined(separator: " ")
        parts.append("<polyline points=\"\(points)\" fill=\"none\" stroke=\"#2c6fbb\" stroke-width=\"1.5\"/>")
        for row in sorted {
            let x = px(row.strength)
            parts.append(line(x, py(row.tpr.low), x, py(row.tpr.high), stroke: "#7fa7d6", dash: false))
            parts.append("<circle cx=\"\(f(x))\" cy=\"\(f(py(row.tpr.rate)))\" r=\"3\" fill=\"#2c6fbb\">"
                         + "<title>\(escape(row.transform)): \(Format.pct(row.tpr.rate)) of \(row.positives)</title></circle>")
        }
        return parts.joined(separator: "\n")
    }

    static func f(_ x: Double) -> String { Format.num(x, 1) }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, dash: Bool) -> String {
        "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(stroke)\""
            + (dash ? " stroke-dasharray=\"4 3\"" : "") + "/>"
    }

    static func text(_ x: Double, _ y: Double, _ s: String, size: Int, weight: String = "normal") -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(size)\" font-weight=\"\(weight)\">\(escape(s))</text>"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

import Foundation
