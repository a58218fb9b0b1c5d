#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in pixel coordinates: pixel `(i, j)` has its centre at `x = i, y = j`
/// (x to the right, y downwards).
public struct Point2: Sendable, Hashable, Codable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// A 3×3 projective map between pixel coordinates (row-major, acting on column vectors
/// `(x, y, 1)`).
///
/// Every geometric transform reports the map from OUTPUT pixel coordinates to SOURCE pixel
/// coordinates, so a local-feature test can check that a match found at an output pixel points
/// back at the right place in the original.
public struct Homography: Sendable, Hashable, Codable {
    /// Nine entries, row-major.
    public var m: [Double]

    /// `nil` unless exactly nine finite entries are given.
    public init?(_ entries: [Double]) {
        guard entries.count == 9, entries.allSatisfy(\.isFinite) else { return nil }
        m = entries
    }

    private init(unchecked entries: [Double]) {
        m = entries
    }

    public static let identity = Homography(unchecked: [1, 0, 0, 0, 1, 0, 0, 0, 1])

    public static func translation(_ tx: Double, _ ty: Double) -> Homography {
        Homography(unchecked: [1, 0, tx, 0, 1, ty, 0, 0, 1])
    }

    public static func scale(_ sx: Double, _ sy: Double) -> Homography {
        Homography(unchecked: [sx, 0, 0, 0, sy, 0, 0, 0, 1])
    }

    /// Rotation about the origin by `radians`, in the y-down pixel frame: positive angles turn
    /// the picture counter-clockwise as it is displayed.
    public static func rotation(radians: Double) -> Homography {
        let c = cos(radians)
        let s = sin(radians)
        return Homography(unchecked: [c, s, 0, -s, c, 0, 0, 0, 1])
    }

    /// `self ∘ other`: apply `other` first, then `self`.
    public static func * (lhs: Homography, rhs: Homography) -> Homography {
        var r = [Double](repeating: 0, count: 9)
        for i in 0..<3 {
            for j in 0..<3 {
                var sum = 0.0
                for k in 0..<3 { sum += lhs.m[i * 3 + k] * rhs.m[k * 3 + j] }
                r[i * 3 + j] = sum
            }
        }
        return Homography(unchecked: r)
    }

    /// The image of a point; `nil` when it maps to infinity.
    public func apply(_ p: Point2) -> Point2? {
        let w = m[6] * p.x + m[7] * p.y + m[8]
        guard abs(w) > 1e-12 else { return nil }
        return Point2(x: (m[0] * p.x + m[1] * p.y + m[2]) / w,
                      y: (m[3] * p.x + m[4] * p.y + m[5]) / w)
    }

    /// The inverse map; `nil` when singular.
    public var inverse: Homography? {
        let a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8]
        let co0 = e * i - f * h, co1 = -(d * i - f * g), co2 = d * h - e * g
        let det = a * co0 + b * co1 + c * co2
        guard abs(det) > 1e-15, det.isFinite else { return nil }
        let inv = [co0, -(b * i - c * h), b * f - c * e,
                   co1, a * i - c * g, -(a * f - c * d),
                   co2, -(a * h - b * g), a * e - b * d].map { $0 / det }
        return Homography(inv)
    }

    /// The homography taking each `from[k]` to `to[k]` (four correspondences, no three
    /// collinear); `nil` when degenerate. Normalised so that `m[8] == 1`.
    public static func mapping(from: [Point2], to: [Point2]) -> Homography? {
        guard from.count == 4, to.count == 4 else { return nil }
        // Unknowns h0…h7 with h8 = 1; two equations per correspondence.
        var a = [[Double]](repeating: [Double](repeating: 0, count: 9), count: 8)
        for k in 0..<4 {
            let x = from[k].x, y = from[k].y, u = to[k].x, v = to[k].y
            a[2 * k] = [x, y, 1, 0, 0, 0, -u * x, -u * y, u]
            a[2 * k + 1] = [0, 0, 0, x, y, 1, -v * x, -v * y, v]
        }
        // Gaussian elimination with partial pivoting on the augmented 8×9 system.
        for col in 0..<8 {
            var pivot = col
            for r in (col + 1)..<8 where abs(a[r][col]) > abs(a[pivot][col]) { pivot = r }
            guard abs(a[pivot][col]) > 1e-12 else { return nil }
            if pivot != col { a.swapAt(pivot, col) }
            for r in 0..<8 where r != col {
                let factor = a[r][col] / a[col][col]
                if factor != 0 {
                    for c in col..<9 { a[r][c] -= factor * a[col][c] }
                }
            }
        }
        var h = (0..<8).map { a[$0][8] / a[$0][$0] }
        h.append(1)
        return Homography(h)
    }
}
