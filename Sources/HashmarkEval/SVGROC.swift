import Foundation

extension SVGPlot {
    /// ROC curves, one panel per modality: TPR against FPR on a log axis (low FPRs are what
    /// matter), the model's operating point (score ≥ 0.5) marked, FPR = 0 drawn at the left edge.
    public static func roc(_ r: EvalReport) -> String {
        let w = 360.0, h = 260.0, left = 50.0, top = 40.0, plotW = 280.0, plotH = 180.0
        var body = [text(10, 20, "Hashmark ROC (test split): TPR vs FPR as the score threshold moves; "
                         + "dot: the model's decision (score ≥ 0.5)", size: 13, weight: "bold")]
        for (i, m) in r.modalities.enumerated() {
            let x0 = 10 + Double(i) * w
            let negatives = max(1, m.negatives)
            let decades = max(1.0, min(4.0, ceil(log10(Double(negatives)))))
            let minFPR = pow(10, -decades)
            func px(_ fpr: Double) -> Double {
                x0 + left + (log10(max(fpr, minFPR)) + decades) / decades * plotW
            }
            func py(_ tpr: Double) -> Double { top + (1 - tpr) * plotH }
            let auc = m.roc.auc.map { "AUC \(Format.num($0, 3))" } ?? "AUC n/a"
            body.append(text(x0 + left, top - 8, "\(m.modality.rawValue)s — \(m.positives) positives, "
                             + "\(m.negatives) negatives, \(auc)", size: 11, weight: "bold"))
            body.append("<rect x=\"\(f(x0 + left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" "
                        + "fill=\"#fafafa\" stroke=\"#bbb\"/>")
            for k in 0...Int(decades) {
                let fpr = pow(10, Double(k) - decades)
                body.append(line(px(fpr), top, px(fpr), top + plotH, stroke: "#e3e3e3", dash: false))
                let label = k == 0 ? "≤\(Format.pct(fpr))" : Format.pct(fpr)
                body.append(text(px(fpr) - 14, top + plotH + 14, label, size: 9))
            }
            for v in [0.0, 0.5, 0.9, 1.0] {
                body.append(text(x0 + 14, py(v) + 4, Format.pct(v), size: 9))
                if v == 0.9 { body.append(line(x0 + left, py(v), x0 + left + plotW, py(v), stroke: "#c0392b", dash: true)) }
            }
            body.append(text(x0 + left + plotW / 2 - 30, top + plotH + 30, "false-positive rate (log)", size: 10))
            var path: [String] = []
            var previous: ROCCurve.Point?
            for p in m.roc.points {
                if let q = previous { path.append("\(f(px(p.fpr))),\(f(py(q.tpr)))") }
                path.append("\(f(px(p.fpr))),\(f(py(p.tpr)))")
                previous = p
            }
            body.append("<polyline points=\"\(path.joined(separator: " "))\" fill=\"none\" stroke=\"#2c6fbb\" stroke-width=\"1.5\"/>")
            if let op = m.roc.at(0.5) {
                body.append("<circle cx=\"\(f(px(op.fpr)))\" cy=\"\(f(py(op.tpr)))\" r=\"4\" fill=\"#c0392b\">"
                            + "<title>score ≥ 0.5: TPR \(Format.pct(op.tpr)), FPR \(Format.pct(op.fpr))</title></circle>")
                body.append(text(px(op.fpr) + 6, py(op.tpr) + 14, "TPR \(Format.pct(op.tpr)) at FPR \(Format.pct(op.fpr))", size: 9))
            }
        }
        let width = 20 + Double(max(1, r.modalities.count)) * w
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(h + 20))" \
            viewBox="0 0 \(Int(width)) \(Int(h + 20))" font-family="sans-serif">
            <rect width="100%" height="100%" fill="white"/>
            \(body.joined(separator: "\n"))
            </svg>

            """
    }
}
