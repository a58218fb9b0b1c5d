// RGB → luma as the `pdqhash` wrapper computes it (numpy, in double:
// `R*0.299 + G*0.587 + B*0.114`, then rounded to float).

extension PDQ {
    /// Per-channel products in double, so `(r + g) + b` rounds exactly like numpy's expression.
    static let lumaTables: (r: [Double], g: [Double], b: [Double]) = (
        (0..<256).map { Double($0) * 0.299 },
        (0..<256).map { Double($0) * 0.587 },
        (0..<256).map { Double($0) * 0.114 }
    )

    /// Row-major luma (0…255) exactly as `pdqhash` feeds Meta's C++: the entry point for callers
    /// that keep luma around (e.g. to hash several crops).
    public static func luma(_ image: RGBImage) -> [Float] {
        let n = image.width * image.height
        let (rt, gt, bt) = lumaTables
        return [Float](unsafeUninitializedCapacity: n) { out, initialized in
            image.pixels.withUnsafeBufferPointer { px in
                for i in 0..<n {
                    let o = 3 * i
                    out[i] = Float(rt[Int(px[o])] + gt[Int(px[o + 1])] + bt[Int(px[o + 2])])
                }
            }
            initialized = n
        }
    }
}
