/// A receiver operating characteristic: for every threshold t on a case's score, the share of
/// positives and of negatives scoring ≥ t. Hashmark decides at 0.5 (the model's rule), so the
/// point at 0.5 is the reported operating point; the rest shows what other thresholds would buy.
public struct ROCCurve: Sendable, Codable, Equatable {
    public struct Point: Sendable, Codable, Equatable {
        public var threshold: Double
        public var tpr: Double
        public var fpr: Double
    }

    /// From the strictest threshold to the most lenient; the first point is (0, 0) above every
    /// score, the last is (1, 1) at threshold 0.
    public var points: [Point]
    /// Area under the curve (trapezoids); nil without positives or negatives.
    public var auc: Double?

    public init(positives: [Double], negatives: [Double]) {
        var thresholds = Set(positives).union(negatives)
        thresholds.insert(0)
        let pos = positives.sorted(by: >), neg = negatives.sorted(by: >)
        var points = [Point(threshold: .infinity, tpr: 0, fpr: 0)]
        var i = 0, j = 0
        for t in thresholds.sorted(by: >) {
            while i < pos.count && pos[i] >= t { i += 1 }
            while j < neg.count && neg[j] >= t { j += 1 }
            points.append(Point(threshold: t, tpr: pos.isEmpty ? 0 : Double(i) / Double(pos.count),
                                fpr: neg.isEmpty ? 0 : Double(j) / Double(neg.count)))
        }
        self.points = points
        if pos.isEmpty || neg.isEmpty {
            auc = nil
        } else {
            var area = 0.0
            for (a, b) in zip(points, points.dropFirst()) { area += (b.fpr - a.fpr) * (a.tpr + b.tpr) / 2 }
            auc = area
        }
    }

    /// The operating point of a threshold: TPR and FPR of scores ≥ `threshold`.
    public func at(_ threshold: Double) -> Point? {
        points.last { $0.threshold >= threshold }
    }

    enum CodingKeys: String, CodingKey { case points, auc }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        points = try c.decode([Point].self, forKey: .points)
        auc = try c.decodeIfPresent(Double.self, forKey: .auc)
    }

    /// JSON has no infinity: the sentinel first point is written with threshold 1e308.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(points.map { Point(threshold: $0.threshold.isFinite ? $0.threshold : 1e308, tpr: $0.tpr, fpr: $0.fpr) },
                     forKey: .points)
        try c.encodeIfPresent(auc, forKey: .auc)
    }
}
