/// A 2-D point in image pixels (x right, y down).
public struct LocalPoint: Sendable, Hashable {
    public var x: Float
    public var y: Float
    public init(x: Float, y: Float) { self.x = x; self.y = y }
}

/// An axis-aligned rectangle in image pixels.
public struct LocalRect: Sendable, Hashable {
    public var minX: Float, minY: Float, maxX: Float, maxY: Float
    public init(minX: Float, minY: Float, maxX: Float, maxY: Float) {
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
    }
    public var width: Float { maxX - minX }
    public var height: Float { maxY - minY }
    public var area: Float { max(0, width) * max(0, height) }

    /// Whether (x, y) lies inside or on the edge.
    public func contains(x: Float, y: Float) -> Bool { x >= minX && x <= maxX && y >= minY && y <= maxY }

    /// Bounding box of `points`; nil for none.
    public init?(bounding points: [LocalPoint]) {
        guard let f = points.first else { return nil }
        var r = LocalRect(minX: f.x, minY: f.y, maxX: f.x, maxY: f.y)
        for p in points.dropFirst() {
            r.minX = min(r.minX, p.x); r.minY = min(r.minY, p.y)
            r.maxX = max(r.maxX, p.x); r.maxY = max(r.maxY, p.y)
        }
        self = r
    }

    /// Intersection-over-union with `other` (0 when disjoint).
    public func iou(_ other: LocalRect) -> Float {
        let ix = max(0, min(maxX, other.maxX) - max(minX, other.minX))
        let iy = max(0, min(maxY, other.maxY) - max(minY, other.minY))
        let inter = ix * iy
        let union = area + other.area - inter
        return union > 0 ? inter / union : 0
    }
}

/// The affine map from query pixels to candidate (corpus) pixels:
/// x' = a·x + b·y + tx, y' = c·x + d·y + ty. A negative determinant is a mirrored copy.
public struct LocalAffine: Sendable, Hashable {
    public var a: Float, b: Float, c: Float, d: Float, tx: Float, ty: Float

    public init(a: Float, b: Float, c: Float, d: Float, tx: Float, ty: Float) {
        self.a = a; self.b = b; self.c = c; self.d = d; self.tx = tx; self.ty = ty
    }

    public func apply(_ p: LocalPoint) -> LocalPoint {
        LocalPoint(x: a * p.x + b * p.y + tx, y: c * p.x + d * p.y + ty)
    }

    public var determinant: Float { a * d - b * c }
    public var isMirrored: Bool { determinant < 0 }

    /// Isotropic scale (corpus pixels per query pixel): √|det|.
    public var scale: Float { abs(determinant).squareRoot() }

    /// Rotation of the query content in the corpus frame, degrees in (−180, 180], y down (positive =
    /// clockwise on screen); for a mirrored map, the rotation after undoing a horizontal flip.
    public var rotationDegrees: Float {
        let angle = isMirrored ? LocalMath.atan2f(-c - b, d - a) : LocalMath.atan2f(c - b, a + d)
        return angle * 180 / Float.pi
    }

    /// Ratio of the larger to the smaller singular value (1 for a similarity).
    public var anisotropy: Float {
        let e = (a + d) / 2, f = (a - d) / 2, g = (c + b) / 2, h = (c - b) / 2
        let q = (e * e + h * h).squareRoot(), r = (f * f + g * g).squareRoot()
        let s1 = q + r, s2 = abs(q - r)
        return s2 > 0 ? s1 / s2 : .infinity
    }

    public var inverse: LocalAffine? {
        let det = determinant
        guard abs(det) > 1e-12 else { return nil }
        let ia = d / det, ib = -b / det, ic = -c / det, id = a / det
        return LocalAffine(a: ia, b: ib, c: ic, d: id, tx: -(ia * tx + ib * ty), ty: -(ic * tx + id * ty))
    }

    /// The exact affine through three correspondences; nil when the query points are collinear.
    static func through(_ p: [LocalPoint], _ q: [LocalPoint]) -> LocalAffine? {
        let det = (p[1].x - p[0].x) * (p[2].y - p[0].y) - (p[2].x - p[0].x) * (p[1].y - p[0].y)
        guard abs(det) > 1 else { return nil }
        func row(_ v: (LocalPoint) -> Float) -> (Float, Float, Float) {
            let v0 = v(q[0]), v1 = v(q[1]), v2 = v(q[2])
            let a = ((v1 - v0) * (p[2].y - p[0].y) - (v2 - v0) * (p[1].y - p[0].y)) / det
            let b = ((p[1].x - p[0].x) * (v2 - v0) - (p[2].x - p[0].x) * (v1 - v0)) / det
            return (a, b, v0 - a * p[0].x - b * p[0].y)
        }
        let (a, b, tx) = row { $0.x }, (c, d, ty) = row { $0.y }
        return LocalAffine(a: a, b: b, c: c, d: d, tx: tx, ty: ty)
    }

    /// Least-squares affine over all pairs (normal equations, centred for conditioning).
    static func leastSquares(_ p: [LocalPoint], _ q: [LocalPoint]) -> LocalAffine? {
        let n = Double(p.count)
        guard p.count >= 3 else { return nil }
        var mx = 0.0, my = 0.0, nx = 0.0, ny = 0.0
        for i in p.indices { mx += Double(p[i].x); my += Double(p[i].y); nx += Double(q[i].x); ny += Double(q[i].y) }
        mx /= n; my /= n; nx /= n; ny /= n
        var sxx = 0.0, sxy = 0.0, syy = 0.0, ux = 0.0, uy = 0.0, vx = 0.0, vy = 0.0
        for i in p.indices {
            let x = Double(p[i].x) - mx, y = Double(p[i].y) - my
            let u = Double(q[i].x) - nx, v = Double(q[i].y) - ny
            sxx += x * x; sxy += x * y; syy += y * y
            ux += u * x; uy += u * y; vx += v * x; vy += v * y
        }
        let det = sxx * syy - sxy * sxy
        guard abs(det) > 1e-9 else { return nil }
        let a = (ux * syy - uy * sxy) / det, b = (uy * sxx - ux * sxy) / det
        let c = (vx * syy - vy * sxy) / det, d = (vy * sxx - vx * sxy) / det
        return LocalAffine(a: Float(a), b: Float(b), c: Float(c), d: Float(d),
                           tx: Float(nx - a * mx - b * my), ty: Float(ny - c * mx - d * my))
    }
}

enum PolygonClip {
    /// Sutherland–Hodgman clipping of a convex or simple polygon to `rect`.
    static func clip(_ poly: [LocalPoint], to r: LocalRect) -> [LocalPoint] {
        var out = poly
        let edges: [(LocalPoint) -> Float] = [
            { $0.x - r.minX }, { r.maxX - $0.x }, { $0.y - r.minY }, { r.maxY - $0.y },
        ]
        for inside in edges {
            let input = out
            out = []
            guard let last = input.last else { break }
            var s = last
            for e in input {
                let de = inside(e), ds = inside(s)
                if de >= 0 {
                    if ds < 0 { out.append(cross(s, e, ds, de)) }
                    out.append(e)
                } else if ds >= 0 {
                    out.append(cross(s, e, ds, de))
                }
                s = e
            }
        }
        return out
    }

    private static func cross(_ s: LocalPoint, _ e: LocalPoint, _ ds: Float, _ de: Float) -> LocalPoint {
        let t = ds / (ds - de)
        return LocalPoint(x: s.x + t * (e.x - s.x), y: s.y + t * (e.y - s.y))
    }
}
